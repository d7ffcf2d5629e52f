/**
 * The static-site sync engine behind the deployer: {@code SiteSync} validates and hashes a site folder, plans
 * against a bucket (deploy manifest + listing, HeadObject only for keys the manifest does not vouch for), and applies
 * the plan with bounded concurrency (multipart for large files, CopyObject for header-only changes, batched deletes).
 * Not public API: the deployer is the entry point.
 */
package dev.oneclick.site.internal;
