/**
 * The naming convention: project GUIDs ({@link dev.oneclick.naming.ProjectGuid}) and the AWS resource names and
 * tags built from them ({@link dev.oneclick.naming.ResourceNames}), each checked against that resource's AWS rules.
 */
package dev.oneclick.naming;
