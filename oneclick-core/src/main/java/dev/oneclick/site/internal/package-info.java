/**
 * The static-site sync engine behind the deployer: {@code SiteSync} is its facade. {@code SiteScanner} validates
 * and hashes a site folder; {@code RemoteListing} reads what a bucket holds (deploy manifest + listing, HeadObject
 * only for keys the manifest does not vouch for); {@code SyncPlanner} turns both into a {@code SyncPlan} without
 * I/O; {@code Transfers} applies the plan with bounded concurrency (multipart for large files, CopyObject for
 * header-only changes, batched deletes) and {@code ManifestWriter} keeps the manifest up to date.
 * Not public API: the deployer is the entry point.
 */
package dev.oneclick.site.internal;
