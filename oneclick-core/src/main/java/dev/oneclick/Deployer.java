package dev.oneclick;

import dev.oneclick.naming.ResourceNames;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Deploys a built web application to AWS in one step. SKELETON: the engine is being written.
 *
 * <p>{@link #plan} computes what {@link #deploy} would do without changing anything; {@code deploy} applies it and
 * records every resource in the {@link DeploymentTracker} as soon as it exists; {@link #destroy} removes what the
 * record and the tags name. Implementations are thread-safe; close the deployer to release its HTTP clients.
 */
public interface Deployer extends AutoCloseable {

    /** AWS services whose endpoint can be overridden. */
    enum Service {
        S3,
        CLOUDFRONT,
        DYNAMODB,
        STS
    }

    static Builder builder() {
        return dev.oneclick.internal.DefaultDeployer.builder();
    }

    Plan plan(DeployRequest request);

    default Plan plan(Consumer<DeployRequest.Builder> request) {
        return plan(DeployRequest.of(request));
    }

    Deployment deploy(DeployRequest request);

    default Deployment deploy(Consumer<DeployRequest.Builder> request) {
        return deploy(DeployRequest.of(request));
    }

    /** Removes every resource of the project and marks the record DESTROYED; safe to rerun. */
    DeploymentRecord destroy(String guid, String userId);

    /** The tracked record of the project, if any. */
    Optional<DeploymentRecord> status(String guid, String userId);

    @Override
    void close();

    /** Builds a {@link Deployer}. Not thread-safe. */
    interface Builder {
        /** The AWS region; default: the SDK's region provider chain, then us-east-1. */
        Builder region(String region);

        /** Default: the SDK's default credentials chain. */
        Builder credentialsProvider(AwsCredentialsProvider credentials);

        Builder endpointOverride(Service service, URI endpoint);

        /** For S3-compatible stores: path-style addressing and checksums only when required. */
        Builder s3Compatible(boolean s3Compatible);

        /** Default: a tracker over DynamoDB in the same region, table {@code tmux-deployments}. */
        Builder tracker(DeploymentTracker tracker);

        Builder tableName(String tableName);

        Builder names(ResourceNames names);

        Builder listener(DeployListener listener);

        /**
         * Whether to provision the CloudFront distribution (default true). False deploys the private bucket and the
         * files only, with no CDN; the Maven plugin's local target uses it and serves the bucket through its own
         * local preview, which then becomes the {@code siteUrl}.
         */
        Builder cdnEnabled(boolean cdnEnabled);

        /** Most requests in flight during a sync; default 32. */
        Builder concurrency(int concurrency);

        Deployer build();
    }
}
