package dev.oneclick.site.internal;

import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.internal.aws.DirectS3;
import dev.oneclick.naming.ResourceNames;
import java.net.URI;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the static site's steps work with: the SDK clients (each given as a supplier, so a client is built only when
 * a step first uses it) and the deployer's settings. {@code cloudFrontSource} is null when the CDN is switched off.
 *
 * @param directS3 sends single-part uploads, and the single deletes of a store without DeleteObjects, without the
 *     SDK's pipeline ({@link DirectS3}); null when the user handed in the async S3 client or added interceptors
 *     (which then see every request), or a proxy is set
 * @param prestart starts building the clients a deploy, plan or destroy uses on background threads (does nothing
 *     for clients that were handed in ready-made)
 * @param s3Throttles the throttling answers (503, 429) the async S3 client (and {@code directS3}) received, counted
 *     by the {@link dev.oneclick.internal.aws.ThrottleCounter} on the client oneclick builds; always 0 for a client
 *     handed in
 * @param siteUrl the {@code siteUrl} recorded without a CDN (such as a local preview's address), or null
 * @param s3Endpoint the S3 endpoint override, or null, for the bucket URL recorded without a CDN
 */
public record SiteClients(Supplier<S3Client> s3Source, Supplier<S3AsyncClient> s3AsyncSource,
        Supplier<DirectS3> directS3, Supplier<CloudFrontClient> cloudFrontSource, Runnable prestart,
        LongSupplier s3Throttles, AwsCall call, boolean s3Compatible, boolean cdnEnabled, int concurrency,
        ResourceNames names, String siteUrl, URI s3Endpoint, Duration pollInterval, Duration destroyWaitTimeout) {

    public S3Client s3() {
        return s3Source.get();
    }

    public S3AsyncClient s3Async() {
        return s3AsyncSource.get();
    }

    /** The CloudFront client, or null when the CDN is switched off. */
    public CloudFrontClient cloudFront() {
        return cloudFrontSource == null ? null : cloudFrontSource.get();
    }
}
