/**
 * The record of a project's AWS resources ({@link dev.oneclick.resources.AwsResources}) and its JSON Schema
 * ({@link dev.oneclick.resources.ResourcesSchema}, class-path resource
 * {@code dev/oneclick/resources/aws-resources.schema.json}).
 */
package dev.oneclick.resources;
