package dev.oneclick.site.internal;

import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.naming.ResourceNames;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the static site's steps work with: the SDK clients and the deployer's settings. {@code cloudFront} is null
 * when the CDN is switched off.
 *
 * @param siteUrl the {@code siteUrl} recorded without a CDN (such as a local preview's address), or null
 * @param s3Endpoint the S3 endpoint override, or null, for the bucket URL recorded without a CDN
 */
public record SiteClients(S3Client s3, S3AsyncClient s3Async, CloudFrontClient cloudFront, AwsCall call,
        boolean s3Compatible, boolean cdnEnabled, int concurrency, ResourceNames names, String siteUrl,
        URI s3Endpoint, Duration pollInterval, Duration destroyWaitTimeout) {
}
