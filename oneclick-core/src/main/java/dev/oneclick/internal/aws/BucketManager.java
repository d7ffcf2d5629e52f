package dev.oneclick.internal.aws;

import dev.oneclick.errors.BucketNameTakenException;
import dev.oneclick.DeployListener;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetPublicAccessBlockResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The project's S3 bucket: found, created private (Block Public Access all on, ACLs disabled, SSE-S3 default
 * encryption, tagged), given the CloudFront-only bucket policy, and emptied and deleted on destroy.
 *
 * <p>In S3-compatible mode (a store such as s3proxy or MinIO that implements objects but not the bucket control
 * APIs), the control calls are skipped and a progress event says so. Thread-safe.
 */
public final class BucketManager {
    /** The statement id of the policy statement oneclick owns. */
    public static final String POLICY_SID = BucketPolicies.READ_SID;


    private final S3Client s3;
    private final Supplier<DirectS3> directS3;
    private final AwsCall call;
    private final boolean s3Compatible;
    private final DeployListener listener;
    private final String guid;

    /** What HeadBucket says about a name. */
    public enum BucketState {
        /** The bucket exists and this account can use it. */
        OWNED,
        /** No bucket of that name exists. */
        MISSING
    }

    public BucketManager(S3Client s3, AwsCall call, boolean s3Compatible, DeployListener listener, String guid) {
        this(s3, null, call, s3Compatible, listener, guid);
    }

    /**
     * @param directS3 sends the single deletes of a store without DeleteObjects instead of {@code s3} ({@link
     *     DirectS3}), or null
     */
    public BucketManager(S3Client s3, Supplier<DirectS3> directS3, AwsCall call, boolean s3Compatible,
            DeployListener listener, String guid) {
        this.s3 = s3;
        this.directS3 = directS3;
        this.call = call;
        this.s3Compatible = s3Compatible;
        this.listener = listener;
        this.guid = guid;
    }

    public boolean s3Compatible() {
        return s3Compatible;
    }

    /**
     * Looks the bucket up with HeadBucket.
     *
     * @throws BucketNameTakenException when the name belongs to another account (403)
     */
    public BucketState inspect(String bucket, String region) {
        try {
            call.exec("S3", "HeadBucket", bucket, () -> s3.headBucket(r -> r.bucket(bucket)));
            return BucketState.OWNED;
        } catch (dev.oneclick.errors.AwsRequestException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NoSuchBucketException) {
                return BucketState.MISSING;
            }
            if (cause instanceof S3Exception s3e) {
                if (s3e.statusCode() == 404) {
                    return BucketState.MISSING;
                }
                if (s3e.statusCode() == 403) {
                    throw new BucketNameTakenException(bucket, "The S3 bucket name " + bucket + " is owned by "
                            + "another AWS account (bucket names are shared by all accounts): HeadBucket answered 403. "
                            + "Nothing was created. Use another resource name prefix, or deploy with the credentials "
                            + "of the account that owns the bucket. If the bucket is this account's, the credentials "
                            + "lack s3:ListBucket on it.", s3e);
                }
                if (s3e.statusCode() == 301) {
                    String other = s3e.awsErrorDetails() == null || s3e.awsErrorDetails().sdkHttpResponse() == null
                            ? null : s3e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region")
                                    .orElse(null);
                    throw new dev.oneclick.errors.AwsRequestException("S3", "HeadBucket", "PermanentRedirect",
                            "The bucket " + bucket + " exists in region " + (other == null ? "another region" : other)
                                    + ", not in " + region + ". Deploy with region " + (other == null ? "of the bucket"
                                    : other) + ", or destroy the project there first.", s3e);
                }
            }
            throw e;
        }
    }

    /**
     * Creates the bucket unless this account already owns it.
     *
     * @return true when this call created it
     * @throws BucketNameTakenException when another account owns the name
     */
    public boolean create(String bucket, String region) {
        CreateBucketRequest.Builder req = CreateBucketRequest.builder().bucket(bucket);
        if (region != null && !"us-east-1".equals(region)) {
            req.createBucketConfiguration(c -> c.locationConstraint(region));
        }
        if (!s3Compatible) {
            req.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED);
        }
        try {
            call.exec("S3", "CreateBucket", bucket, () -> s3.createBucket(req.build()));
            return true;
        } catch (dev.oneclick.errors.AwsRequestException e) {
            if (e.getCause() instanceof BucketAlreadyOwnedByYouException) {
                return false;
            }
            if (e.getCause() instanceof BucketAlreadyExistsException bae) {
                throw taken(bucket, bae);
            }
            throw e;
        }
    }

    private static BucketNameTakenException taken(String bucket, Exception cause) {
        return new BucketNameTakenException(bucket, "The S3 bucket name " + bucket + " is owned by another AWS "
                + "account (bucket names are shared by all accounts). Nothing was created. Use another resource "
                + "name prefix, or deploy with the credentials of the account that owns the bucket.", cause);
    }

    /**
     * Makes the bucket private and tags it: Block Public Access all on, ACLs disabled (bucket owner enforced),
     * SSE-S3 default encryption, and the project tags merged into the bucket's tags. Idempotent.
     */
    public void applyPrivateSettings(String bucket, Map<String, String> tags) {
        if (s3Compatible) {
            progress("S3-compatible endpoint: skipping Block Public Access, ownership controls, default encryption "
                    + "and tagging of " + bucket + " (the store does not implement them)");
            return;
        }
        call.exec("S3", "PutPublicAccessBlock", bucket, () -> s3.putPublicAccessBlock(r -> r.bucket(bucket)
                .publicAccessBlockConfiguration(allBlocked())));
        call.exec("S3", "PutBucketOwnershipControls", bucket, () -> s3.putBucketOwnershipControls(r -> r
                .bucket(bucket)
                .ownershipControls(o -> o.rules(rule -> rule.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)))));
        call.exec("S3", "PutBucketEncryption", bucket, () -> s3.putBucketEncryption(r -> r.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))))));
        Map<String, String> merged = new LinkedHashMap<>(currentTags(bucket));
        merged.putAll(tags);
        List<Tag> tagSet = new ArrayList<>();
        merged.forEach((k, v) -> tagSet.add(Tag.builder().key(k).value(v).build()));
        call.exec("S3", "PutBucketTagging", bucket, () -> s3.putBucketTagging(r -> r.bucket(bucket)
                .tagging(t -> t.tagSet(tagSet))));
    }

    private static PublicAccessBlockConfiguration allBlocked() {
        return PublicAccessBlockConfiguration.builder().blockPublicAcls(true).ignorePublicAcls(true)
                .blockPublicPolicy(true).restrictPublicBuckets(true).build();
    }

    /** The bucket's tags; empty when it has none. */
    public Map<String, String> currentTags(String bucket) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s3Compatible) {
            return out;
        }
        try {
            call.run("S3", "GetBucketTagging", bucket, () -> s3.getBucketTagging(r -> r.bucket(bucket)))
                    .tagSet().forEach(t -> out.put(t.key(), t.value()));
        } catch (dev.oneclick.errors.AwsRequestException e) {
            if (!"NoSuchTagSet".equals(e.errorCode())) {
                throw e;
            }
        }
        return out;
    }

    /** Whether Block Public Access is fully on (always true in S3-compatible mode, which cannot tell). */
    public boolean isPrivate(String bucket) {
        if (s3Compatible) {
            return true;
        }
        try {
            GetPublicAccessBlockResponse r = call.run("S3", "GetPublicAccessBlock", bucket,
                    () -> s3.getPublicAccessBlock(b -> b.bucket(bucket)));
            return allBlocked().equals(r.publicAccessBlockConfiguration());
        } catch (dev.oneclick.errors.AwsRequestException e) {
            if ("NoSuchPublicAccessBlockConfiguration".equals(e.errorCode())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Whether the bucket has oneclick's lifecycle rule ({@link BucketLifecycle}). In S3-compatible mode no lifecycle
     * request is sent (stores such as s3proxy answer 501 and log an error for each); a store that does not implement
     * lifecycle rules (501 NotImplemented) counts as having it: there is nothing to repair. Either way a progress
     * event says the rule is skipped.
     */
    public boolean hasAbortRule(String bucket) {
        if (s3Compatible) {
            progress("S3-compatible endpoint: lifecycle rules are not managed there; skipping the rule that aborts "
                    + "incomplete multipart uploads of " + bucket + " after " + BucketLifecycle.ABORT_AFTER_DAYS
                    + " day");
            return true;
        }
        List<LifecycleRule> rules = lifecycleRules(bucket);
        return rules == null || BucketLifecycle.hasOurs(rules);
    }

    /**
     * Adds oneclick's rule (abort incomplete multipart uploads one day after they start) to the bucket's lifecycle
     * rules, keeping every rule someone else set; nothing is written when it is already there or the store does not
     * implement lifecycle rules.
     *
     * @return true when the configuration was written
     */
    public boolean ensureAbortRule(String bucket) {
        if (s3Compatible) {
            return false;
        }
        List<LifecycleRule> rules = lifecycleRules(bucket);
        if (rules == null || BucketLifecycle.hasOurs(rules)) {
            return false;
        }
        List<LifecycleRule> merged = BucketLifecycle.merge(rules);
        try {
            call.exec("S3", "PutBucketLifecycleConfiguration", bucket, () -> s3.putBucketLifecycleConfiguration(r -> r
                    .bucket(bucket).lifecycleConfiguration(c -> c.rules(merged))
                    .overrideConfiguration(o -> o.addPlugin(LegacyMd5Plugin.create()))));
        } catch (dev.oneclick.errors.AwsRequestException e) {
            if (BulkDeletes.notImplemented(e)) {
                skippedLifecycle(bucket, "PutBucketLifecycleConfiguration");
                return false;
            }
            throw e;
        }
        return true;
    }

    /** The bucket's lifecycle rules (empty when it has none), or null when the store does not implement them. */
    private List<LifecycleRule> lifecycleRules(String bucket) {
        try {
            return call.run("S3", "GetBucketLifecycleConfiguration", bucket,
                    () -> s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket))).rules();
        } catch (dev.oneclick.errors.AwsRequestException e) {
            if ("NoSuchLifecycleConfiguration".equals(e.errorCode())) {
                return List.of();
            }
            if (BulkDeletes.notImplemented(e)) {
                skippedLifecycle(bucket, "GetBucketLifecycleConfiguration");
                return null;
            }
            throw e;
        }
    }

    private void skippedLifecycle(String bucket, String operation) {
        progress((s3Compatible ? "S3-compatible endpoint: " : "") + "the store does not implement lifecycle rules ("
                + operation + " answered NotImplemented); skipping the rule that aborts incomplete multipart uploads "
                + "of " + bucket + " after " + BucketLifecycle.ABORT_AFTER_DAYS + " day");
    }

    /**
     * The bucket policy of oneclick's statements alone ({@link BucketPolicies#owned}): only the given CloudFront
     * distribution reads objects (principal {@code cloudfront.amazonaws.com}, {@code s3:GetObject}, condition
     * {@code AWS:SourceArn}), and never the deploy manifest's folder.
     */
    public static String cloudFrontPolicy(String bucket, String distributionArn) {
        return BucketPolicies.merged(null, bucket, distributionArn);
    }

    /** The bucket's policy text, or null when it has none (or the store does not implement policies). */
    public String currentPolicy(String bucket) {
        if (s3Compatible) {
            return null;
        }
        try {
            return call.run("S3", "GetBucketPolicy", bucket, () -> s3.getBucketPolicy(r -> r.bucket(bucket))).policy();
        } catch (dev.oneclick.errors.AwsRequestException e) {
            if ("NoSuchBucketPolicy".equals(e.errorCode()) || "NoSuchBucket".equals(e.errorCode())) {
                return null;
            }
            throw e;
        }
    }

    /** Whether {@code policyText} holds oneclick's statements for that distribution (others' may be there too). */
    public static boolean policyMatches(String policyText, String bucket, String distributionArn) {
        return BucketPolicies.hasOwned(policyText, bucket, distributionArn);
    }

    /**
     * Puts oneclick's statements into the bucket policy unless they are already in place, keeping every statement
     * of someone else's ({@link BucketPolicies#merged}).
     *
     * @return true when the policy was written
     */
    public boolean putCloudFrontPolicy(String bucket, String distributionArn) {
        if (s3Compatible) {
            progress("S3-compatible endpoint: skipping the bucket policy of " + bucket
                    + " (the store does not implement policies)");
            return false;
        }
        String current = currentPolicy(bucket);
        if (policyMatches(current, bucket, distributionArn)) {
            return false;
        }
        String policy = BucketPolicies.merged(current, bucket, distributionArn);
        long dropped = BucketPolicies.publicStatements(current);
        if (dropped > 0) {
            progress("Bucket policy of " + bucket + ": dropping " + dropped + " statement(s) that made the bucket "
                    + "public (the bucket stays private; CloudFront serves it)");
        }
        call.exec("S3", "PutBucketPolicy", bucket, () -> s3.putBucketPolicy(r -> r.bucket(bucket).policy(policy)));
        return true;
    }

    /**
     * Removes oneclick's statements from the bucket policy, keeping everyone else's (the policy is deleted when
     * nothing else is left). Nothing is sent when the policy holds none of oneclick's statements.
     *
     * @return true when the policy was changed
     */
    public boolean removeOwnPolicy(String bucket) {
        if (s3Compatible) {
            return false;
        }
        String current = currentPolicy(bucket);
        if (!BucketPolicies.hasAnyOwned(current)) {
            return false;
        }
        String rest = BucketPolicies.withoutOwned(current, bucket);
        if (rest == null) {
            call.exec("S3", "DeleteBucketPolicy", bucket, () -> s3.deleteBucketPolicy(r -> r.bucket(bucket)));
        } else {
            call.exec("S3", "PutBucketPolicy", bucket, () -> s3.putBucketPolicy(r -> r.bucket(bucket).policy(rest)));
        }
        return true;
    }

    /**
     * Deletes every object version and delete marker (every page), then the bucket. A missing bucket is fine.
     *
     * @return how many object versions were deleted
     */
    public int emptyAndDelete(String bucket) {
        int deleted;
        ExecutorService pool = Executors.newFixedThreadPool(BulkDeletes.DELETE_THREADS, r -> {
            Thread t = new Thread(r, "oneclick-delete");
            t.setDaemon(true);
            return t;
        });
        try {
            BulkDeletes d = new BulkDeletes(s3, directS3, call, this::progress, bucket, pool);
            if (s3Compatible) {
                emptyUnversioned(bucket, d);
            } else {
                emptyVersioned(bucket, d);
            }
            deleted = d.finish();
        } catch (dev.oneclick.errors.AwsRequestException e) {
            if (e.getCause() instanceof NoSuchBucketException || "NoSuchBucket".equals(e.errorCode())) {
                return 0;
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
        try {
            call.exec("S3", "DeleteBucket", bucket, () -> s3.deleteBucket(r -> r.bucket(bucket)));
        } catch (dev.oneclick.errors.AwsRequestException e) {
            if (!(e.getCause() instanceof NoSuchBucketException) && !"NoSuchBucket".equals(e.errorCode())) {
                throw e;
            }
        }
        return deleted;
    }

    private void emptyVersioned(String bucket, BulkDeletes d) {
        String keyMarker = null;
        String versionMarker = null;
        while (true) {
            String km = keyMarker;
            String vm = versionMarker;
            ListObjectVersionsResponse page = call.run("S3", "ListObjectVersions", bucket,
                    () -> s3.listObjectVersions(r -> r.bucket(bucket).keyMarker(km).versionIdMarker(vm)
                            .encodingType(EncodingType.URL)));
            List<ObjectIdentifier> ids = new ArrayList<>();
            page.versions().forEach(v -> ids.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId())
                    .build()));
            page.deleteMarkers().forEach(m -> ids.add(ObjectIdentifier.builder().key(m.key())
                    .versionId(m.versionId()).build()));
            d.add(ids);
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return;
            }
            emptying(bucket, d);
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        }
    }

    private void emptyUnversioned(String bucket, BulkDeletes d) {
        String token = null;
        while (true) {
            String t = token;
            ListObjectsV2Response page = call.run("S3", "ListObjectsV2", bucket,
                    () -> s3.listObjectsV2(r -> r.bucket(bucket).continuationToken(t).encodingType(EncodingType.URL)));
            List<ObjectIdentifier> ids = new ArrayList<>();
            page.contents().forEach(o -> ids.add(ObjectIdentifier.builder().key(o.key()).build()));
            d.add(ids);
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                return;
            }
            emptying(bucket, d);
            token = page.nextContinuationToken();
        }
    }

    /** A progress line per listing page of a bucket with more than one page: emptying a large bucket takes a while. */
    private void emptying(String bucket, BulkDeletes d) {
        progress("Emptying bucket " + bucket + ": " + d.deletedSoFar() + " object version(s) deleted so far ...");
    }

    private void progress(String message) {
        listener.progress(new DeployListener.Progress(guid, message));
    }
}
