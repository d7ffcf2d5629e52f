package dev.oneclick;

import dev.oneclick.errors.TrackerException;
import dev.oneclick.errors.ProjectNotFoundException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.BuildFailedException;
import dev.oneclick.errors.BucketNameTakenException;
import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Deploys a built web application to AWS in one step.
 *
 * <p>{@link #plan} computes what {@link #deploy} would do without changing anything; {@code deploy} applies it and
 * records every resource in the {@link DeploymentTracker} as soon as it exists; {@link #destroy} removes what the
 * record and the tags name. Implementations are thread-safe; close the deployer to release its HTTP clients.
 *
 * <pre>{@code
 * try (Deployer deployer = Deployer.builder().region("eu-west-1").build()) {
 *     Deployment d = deployer.deploy(r -> r.guid(guid).userId(userId).siteDir(Path.of("dist")));
 *     d.writeResourcesJson(Path.of("target/oneclick/resources.json"));
 * }
 * }</pre>
 *
 * <p>A static-site deploy makes a private S3 bucket {@code tmux-builder-{guid}} (Block Public Access on, ACLs
 * disabled, SSE-S3, tagged), a CloudFront Origin Access Control and distribution in front of it (HTTPS redirect,
 * compression, SPA fallback), a bucket policy that lets only that distribution read, uploads what changed and
 * invalidates what a cache could hold stale. Every call is safe to rerun, also after a crash.
 *
 * <p>Errors are subtypes of {@link OneclickException}: {@link InvalidInputException} (before anything is written),
 * {@link BuildFailedException}, {@link BucketNameTakenException}, {@link AwsRequestException},
 * {@link TrackerException}. A failed deploy marks the record {@code FAILED} with the message.
 *
 * <p>IAM actions a static-site deploy and destroy use: {@code s3:CreateBucket, s3:ListBucket (HeadBucket),
 * s3:PutBucketPublicAccessBlock, s3:GetBucketPublicAccessBlock, s3:PutBucketOwnershipControls,
 * s3:PutEncryptionConfiguration, s3:GetLifecycleConfiguration, s3:PutLifecycleConfiguration,
 * s3:PutBucketTagging, s3:GetBucketTagging, s3:PutBucketPolicy, s3:GetBucketPolicy,
 * s3:DeleteBucketPolicy (destroy, when the policy holds only oneclick's statements), s3:GetObject, s3:PutObject,
 * s3:DeleteObject, s3:ListBucketVersions, s3:DeleteObjectVersion, s3:DeleteBucket};
 * {@code cloudfront:CreateOriginAccessControl, ListOriginAccessControls, GetOriginAccessControl,
 * DeleteOriginAccessControl, CreateDistribution, TagResource, ListTagsForResource, ListDistributions,
 * GetDistribution, GetDistributionConfig, UpdateDistribution, DeleteDistribution, CreateInvalidation};
 * {@code dynamodb:DescribeTable, CreateTable, GetItem, UpdateItem, Query} on the deployments table and its index.
 */
public interface Deployer extends AutoCloseable {

    /** AWS services whose endpoint can be overridden. */
    enum Service {
        /** The bucket and its objects. */
        S3,
        /** The distribution, the origin access control and invalidations. */
        CLOUDFRONT,
        /** The deployments table (used unless a {@link DeploymentTracker} is given). */
        DYNAMODB,
        /** The caller's account (full stack: the image repository's and the roles' ARNs). */
        STS,
        /** The full stack's image repositories (the control plane; images go to the registry it names). */
        ECR,
        /** The full stack's cluster, task definitions and service. */
        ECS,
        /** The full stack's load balancer, target group and listener (Elastic Load Balancing v2). */
        ELB,
        /** The full stack's default VPC, subnets, security groups and the CloudFront prefix list. */
        EC2,
        /** The full stack's database. */
        RDS,
        /** The full stack's database secret (read by nothing but the task; named in the task definition). */
        SECRETS_MANAGER,
        /** The full stack's log group (CloudWatch Logs). */
        LOGS,
        /** The full stack's task execution role. */
        IAM
    }

    /**
     * A builder for the default implementation. The implementation registers itself as a service of
     * {@link Builder} ({@code META-INF/services}), so this API package does not depend on the implementation's.
     */
    static Builder builder() {
        return java.util.ServiceLoader.load(Builder.class, Deployer.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("No oneclick deployer implementation on the class "
                        + "path: META-INF/services/" + Builder.class.getName() + " is missing from oneclick-core"));
    }

    /**
     * What {@link #deploy} would do for {@code request}, without changing anything in AWS or the tracker. The build
     * command is not run unless {@link DeployRequest#planBuild()} is set: the plan hashes the site folder as it is.
     */
    Plan plan(DeployRequest request);

    default Plan plan(Consumer<DeployRequest.Builder> request) {
        return plan(DeployRequest.of(request));
    }

    /**
     * Validates, optionally builds, plans and applies: afterwards the site is served at {@link Deployment#url()} and
     * the tracker record is {@code DEPLOYED} with every resource.
     */
    Deployment deploy(DeployRequest request);

    default Deployment deploy(Consumer<DeployRequest.Builder> request) {
        return deploy(DeployRequest.of(request));
    }

    /**
     * Removes every resource of the project, found through the record and by name and tag (so it also cleans up after
     * a failed or interrupted deploy), and marks the record {@code DESTROYED}. A CloudFront distribution can only be
     * deleted once it is disabled and deployed; if that takes longer than the deployer waits, the returned record
     * stays {@code DESTROYING} with {@code lastError} saying what remains, and rerunning destroy completes it.
     *
     * @throws ProjectNotFoundException when there is neither a record nor any resource of the project
     */
    default DeploymentRecord destroy(String guid, String userId) {
        return destroy(guid, userId, false);
    }

    /**
     * As {@link #destroy(String, String)}; a full stack's database is deleted after a final snapshot (its id is
     * recorded as {@code rdsFinalSnapshotId}) unless {@code skipFinalSnapshot}.
     */
    DeploymentRecord destroy(String guid, String userId, boolean skipFinalSnapshot);

    /** The tracked record of the project, if any. */
    Optional<DeploymentRecord> status(String guid, String userId);

    /**
     * The user ids holding a record of the project GUID, the owner first: the owner is the user whose record was
     * created first, and deploy, plan and destroy refuse any other user id. Empty when the project has no record
     * (or the table does not exist yet). A caller without a user id of its own (the Maven plugin's default) can take
     * the only one, so a project a backend created deploys under its owner.
     */
    java.util.List<String> recordedUserIds(String guid);

    @Override
    void close();

    /** Builds a {@link Deployer}. Not thread-safe. */
    interface Builder {
        /** The AWS region; default: the SDK's region provider chain, then us-east-1. */
        Builder region(String region);

        /** Default: the SDK's default credentials chain. */
        Builder credentialsProvider(AwsCredentialsProvider credentials);

        /** Sends {@code service}'s requests to {@code endpoint} (a local emulator, a proxy); null removes it. */
        Builder endpointOverride(Service service, URI endpoint);

        /**
         * Sends every AWS service's requests to {@code endpoint} (moto and LocalStack serve them all on one port); an
         * {@link #endpointOverride(Service, URI)} for one service wins. Null removes it.
         */
        Builder awsEndpoint(URI endpoint);

        /**
         * Pushes and pulls the full stack's images through this registry (a local registry, a proxy) instead of the
         * ECR registry that {@code GetAuthorizationToken} names. Null removes it.
         */
        Builder registryEndpoint(URI endpoint);

        /** For S3-compatible stores: path-style addressing and checksums only when required. */
        Builder s3Compatible(boolean s3Compatible);

        /**
         * Default: a tracker over DynamoDB in {@link #tableRegion} (us-east-1 unless set), table
         * {@code tmux-deployments}.
         */
        Builder tracker(DeploymentTracker tracker);

        /** The deployments table of the default tracker; default {@code tmux-deployments}. */
        Builder tableName(String tableName);

        /**
         * The region of the default tracker's deployments table, its own setting apart from {@link #region}: one
         * backend's table serves projects deployed in many regions. Default {@value #DEFAULT_TABLE_REGION}, where the
         * original plan's client reads it, so a deploy to {@code eu-west-1} is found there.
         */
        Builder tableRegion(String tableRegion);

        /** The default {@link #tableRegion}. */
        String DEFAULT_TABLE_REGION = "us-east-1";

        /** The naming convention; default {@link ResourceNames#defaults()} (prefix {@code tmux-builder}). */
        Builder names(ResourceNames names);

        /** Receives progress events; default none. Exceptions it throws are ignored. */
        Builder listener(DeployListener listener);

        /**
         * Whether to provision the CloudFront distribution (default true). False deploys the private bucket and the
         * files only, with no CDN; the Maven plugin's local target uses it and serves the bucket through its own
         * local preview, which then becomes the {@code siteUrl}.
         */
        Builder cdnEnabled(boolean cdnEnabled);

        /**
         * Most requests in flight during a sync; default 32. A sync starts at 8 and grows up to this while throughput
         * keeps up, and halves when S3 answers 503 (SlowDown) or 429.
         */
        Builder concurrency(int concurrency);

        /**
         * How long a deploy or destroy waits for another run of the same project to finish (one run of a project at a
         * time, by a lease in its record); default zero: fail at once with a
         * {@link dev.oneclick.errors.ProjectBusyException} naming the other run and when its lease expires.
         */
        Builder lockWait(java.time.Duration lockWait);

        /** Builds the deployer and the SDK clients it owns (closed by {@link Deployer#close()}). */
        Deployer build();
    }
}
