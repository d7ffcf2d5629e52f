package dev.oneclick.fakes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.DeleteBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketPolicyResponse;
import software.amazon.awssdk.services.s3.model.DeleteBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.GetBucketOwnershipControlsRequest;
import software.amazon.awssdk.services.s3.model.GetBucketOwnershipControlsResponse;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.GetBucketPolicyResponse;
import software.amazon.awssdk.services.s3.model.GetBucketTaggingRequest;
import software.amazon.awssdk.services.s3.model.GetBucketTaggingResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetPublicAccessBlockRequest;
import software.amazon.awssdk.services.s3.model.GetPublicAccessBlockResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.OwnershipControls;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.PutBucketOwnershipControlsRequest;
import software.amazon.awssdk.services.s3.model.PutBucketOwnershipControlsResponse;
import software.amazon.awssdk.services.s3.model.PutBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.PutBucketPolicyResponse;
import software.amazon.awssdk.services.s3.model.PutBucketTaggingRequest;
import software.amazon.awssdk.services.s3.model.PutBucketTaggingResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.PutPublicAccessBlockRequest;
import software.amazon.awssdk.services.s3.model.PutPublicAccessBlockResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionConfiguration;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * An {@link S3Client} for the S3 control plane that no local emulator implements. Bucket and object data calls
 * (create/head/delete bucket, objects, listing) go to a real S3 endpoint (s3proxy or LocalStack); the bucket
 * controls are kept in memory and behave as S3 documents:
 * <ul>
 *   <li>Block Public Access ({@code Put/GetPublicAccessBlock}), ownership controls, default encryption, tags, policy;
 *       a Get of a setting never set fails with S3's code ({@code NoSuchPublicAccessBlockConfiguration},
 *       {@code NoSuchTagSet}, {@code NoSuchBucketPolicy}, ...);</li>
 *   <li>{@code PutBucketPolicy} with a public statement (principal {@code *} without a condition that pins the
 *       caller, such as {@code AWS:SourceArn}) fails with {@code AccessDenied} while {@code BlockPublicPolicy} is on;
 *       a policy whose resource is not this bucket fails with {@code MalformedPolicy};</li>
 *   <li>a name registered with {@link #registerForeignBucket} belongs to another account: HeadBucket answers 403,
 *       CreateBucket {@code BucketAlreadyExists};</li>
 *   <li>CreateBucket's location constraint is kept per bucket; naming {@code us-east-1}, the default, fails with
 *       {@code InvalidLocationConstraint} as on S3;</li>
 *   <li>lifecycle rules: a Put replaces all rules (ids unique), a Get of none fails with
 *       {@code NoSuchLifecycleConfiguration};</li>
 *   <li>{@code ListObjectVersions} lists an unversioned bucket's objects with version id {@code null}.</li>
 * </ul>
 * Thread-safe (synchronized).
 */
public final class FakeS3Control implements S3Client {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Condition keys that make a policy non-public when pinned to a fixed value. */
    private static final Set<String> PINNING_KEYS = Set.of("aws:sourcearn", "aws:sourceaccount", "aws:sourceowner",
            "aws:principalorgid", "aws:principalaccount", "aws:sourcevpc", "aws:sourcevpce");

    private final S3Client data;
    private final Set<String> foreign = new HashSet<>();
    private final Map<String, Control> controls = new HashMap<>();
    private final List<String> calls = new ArrayList<>();

    /** The in-memory control settings of one bucket. */
    public static final class Control {
        public PublicAccessBlockConfiguration publicAccessBlock;
        public OwnershipControls ownership;
        public ServerSideEncryptionConfiguration encryption;
        public Map<String, String> tags;
        public String policy;
        /** The lifecycle rules (null when none were ever set). */
        public List<software.amazon.awssdk.services.s3.model.LifecycleRule> lifecycle;
        /** The region CreateBucket asked for (its LocationConstraint; us-east-1 when none). */
        public String location;
    }

    public FakeS3Control(S3Client data) {
        this.data = data;
    }

    /** Makes {@code bucket} a name owned by another account. */
    public synchronized void registerForeignBucket(String bucket) {
        foreign.add(bucket);
    }

    /** The control settings of a bucket (null when none was ever set). */
    public synchronized Control control(String bucket) {
        return controls.get(bucket);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized long count(String operation) {
        return calls.stream().filter(operation::equals).count();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    // ------------------------------------------------------------------ buckets (delegated)

    @Override
    public synchronized HeadBucketResponse headBucket(HeadBucketRequest request) {
        calls.add("HeadBucket");
        if (foreign.contains(request.bucket())) {
            throw err(S3Exception.builder(), 403, null, null);
        }
        return data.headBucket(request);
    }

    @Override
    public synchronized CreateBucketResponse createBucket(CreateBucketRequest request) {
        calls.add("CreateBucket");
        if (foreign.contains(request.bucket())) {
            throw err(BucketAlreadyExistsException.builder(), 409, "BucketAlreadyExists",
                    "The requested bucket name is not available. The bucket namespace is shared by all users of the "
                            + "system. Please select a different name and try again.");
        }
        String location = request.createBucketConfiguration() == null ? null
                : request.createBucketConfiguration().locationConstraintAsString();
        if ("us-east-1".equals(location)) {
            // us-east-1 is the default location and must not be named
            throw err(S3Exception.builder(), 400, "InvalidLocationConstraint",
                    "The specified location-constraint is not valid");
        }
        CreateBucketResponse r = data.createBucket(request.toBuilder().objectOwnership((String) null)
                .createBucketConfiguration((CreateBucketConfiguration) null).build());
        Control c = controls.computeIfAbsent(request.bucket(), k -> new Control());
        c.location = location == null || location.isEmpty() ? "us-east-1" : location;
        // since April 2023 new buckets get Block Public Access on and ACLs disabled by default
        c.publicAccessBlock = PublicAccessBlockConfiguration.builder().blockPublicAcls(true).ignorePublicAcls(true)
                .blockPublicPolicy(true).restrictPublicBuckets(true).build();
        c.ownership = OwnershipControls.builder().rules(rule -> rule.objectOwnership(request.objectOwnership() == null
                ? "BucketOwnerEnforced" : request.objectOwnershipAsString())).build();
        return r;
    }

    @Override
    public synchronized DeleteBucketResponse deleteBucket(DeleteBucketRequest request) {
        calls.add("DeleteBucket");
        DeleteBucketResponse r = data.deleteBucket(request);
        controls.remove(request.bucket());
        return r;
    }

    // ------------------------------------------------------------------ objects (delegated)

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        record("PutObject");
        return data.putObject(request, body);
    }

    @Override
    public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
        record("GetObject");
        return data.getObject(request, transformer);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
        record("GetObject");
        return data.getObject(request);
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
        record("HeadObject");
        return data.headObject(request);
    }

    @Override
    public CopyObjectResponse copyObject(CopyObjectRequest request) {
        record("CopyObject");
        return data.copyObject(request);
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
        record("DeleteObject");
        return data.deleteObject(request);
    }

    @Override
    public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
        record("DeleteObjects");
        // an unversioned bucket's objects have the version id "null": delete them without one
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (ObjectIdentifier id : request.delete().objects()) {
            ids.add("null".equals(id.versionId()) ? id.toBuilder().versionId(null).build() : id);
        }
        DeleteObjectsResponse r = data.deleteObjects(request.toBuilder()
                .delete(request.delete().toBuilder().objects(ids).build()).build());
        return r;
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        record("ListObjectsV2");
        return data.listObjectsV2(request);
    }

    @Override
    public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
        record("ListObjectVersions");
        ListObjectsV2Response page = data.listObjectsV2(ListObjectsV2Request.builder().bucket(request.bucket())
                .prefix(request.prefix()).startAfter(request.keyMarker())
                .maxKeys(request.maxKeys() == null ? 1000 : request.maxKeys()).build());
        List<ObjectVersion> versions = new ArrayList<>();
        page.contents().forEach(o -> versions.add(ObjectVersion.builder().key(o.key()).versionId("null")
                .isLatest(true).size(o.size()).eTag(o.eTag()).lastModified(o.lastModified()).build()));
        boolean truncated = Boolean.TRUE.equals(page.isTruncated());
        return ListObjectVersionsResponse.builder().name(request.bucket()).versions(versions)
                .isTruncated(truncated)
                .nextKeyMarker(truncated && !versions.isEmpty() ? versions.get(versions.size() - 1).key() : null)
                .nextVersionIdMarker(truncated ? "null" : null).build();
    }

    private synchronized void record(String op) {
        calls.add(op);
    }

    // ------------------------------------------------------------------ controls (in memory)

    private Control existing(String bucket) {
        if (foreign.contains(bucket)) {
            throw err(S3Exception.builder(), 403, "AccessDenied", "Access Denied");
        }
        data.headBucket(r -> r.bucket(bucket));
        return controls.computeIfAbsent(bucket, k -> new Control());
    }

    @Override
    public synchronized PutPublicAccessBlockResponse putPublicAccessBlock(PutPublicAccessBlockRequest request) {
        calls.add("PutPublicAccessBlock");
        existing(request.bucket()).publicAccessBlock = request.publicAccessBlockConfiguration();
        return PutPublicAccessBlockResponse.builder().build();
    }

    @Override
    public synchronized GetPublicAccessBlockResponse getPublicAccessBlock(GetPublicAccessBlockRequest request) {
        calls.add("GetPublicAccessBlock");
        Control c = existing(request.bucket());
        if (c.publicAccessBlock == null) {
            throw err(S3Exception.builder(), 404, "NoSuchPublicAccessBlockConfiguration",
                    "The public access block configuration was not found");
        }
        return GetPublicAccessBlockResponse.builder().publicAccessBlockConfiguration(c.publicAccessBlock).build();
    }

    @Override
    public synchronized PutBucketOwnershipControlsResponse putBucketOwnershipControls(
            PutBucketOwnershipControlsRequest request) {
        calls.add("PutBucketOwnershipControls");
        existing(request.bucket()).ownership = request.ownershipControls();
        return PutBucketOwnershipControlsResponse.builder().build();
    }

    @Override
    public synchronized GetBucketOwnershipControlsResponse getBucketOwnershipControls(
            GetBucketOwnershipControlsRequest request) {
        calls.add("GetBucketOwnershipControls");
        Control c = existing(request.bucket());
        if (c.ownership == null) {
            throw err(S3Exception.builder(), 404, "OwnershipControlsNotFoundError",
                    "The bucket ownership controls were not found");
        }
        return GetBucketOwnershipControlsResponse.builder().ownershipControls(c.ownership).build();
    }

    @Override
    public synchronized PutBucketEncryptionResponse putBucketEncryption(PutBucketEncryptionRequest request) {
        calls.add("PutBucketEncryption");
        existing(request.bucket()).encryption = request.serverSideEncryptionConfiguration();
        return PutBucketEncryptionResponse.builder().build();
    }

    @Override
    public synchronized GetBucketEncryptionResponse getBucketEncryption(GetBucketEncryptionRequest request) {
        calls.add("GetBucketEncryption");
        Control c = existing(request.bucket());
        if (c.encryption == null) {
            throw err(S3Exception.builder(), 404, "ServerSideEncryptionConfigurationNotFoundError",
                    "The server side encryption configuration was not found");
        }
        return GetBucketEncryptionResponse.builder().serverSideEncryptionConfiguration(c.encryption).build();
    }

    @Override
    public synchronized software.amazon.awssdk.services.s3.model.PutBucketLifecycleConfigurationResponse
            putBucketLifecycleConfiguration(
                    software.amazon.awssdk.services.s3.model.PutBucketLifecycleConfigurationRequest request) {
        calls.add("PutBucketLifecycleConfiguration");
        var rules = request.lifecycleConfiguration().rules();
        if (rules.stream().map(r -> r.id()).distinct().count() != rules.size()) {
            throw err(S3Exception.builder(), 400, "InvalidArgument", "Rule ID must be unique");
        }
        existing(request.bucket()).lifecycle = List.copyOf(rules); // replaces every rule, as on S3
        return software.amazon.awssdk.services.s3.model.PutBucketLifecycleConfigurationResponse.builder().build();
    }

    @Override
    public synchronized software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationResponse
            getBucketLifecycleConfiguration(
                    software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationRequest request) {
        calls.add("GetBucketLifecycleConfiguration");
        Control c = existing(request.bucket());
        if (c.lifecycle == null || c.lifecycle.isEmpty()) {
            throw err(S3Exception.builder(), 404, "NoSuchLifecycleConfiguration",
                    "The lifecycle configuration does not exist");
        }
        return software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationResponse.builder()
                .rules(c.lifecycle).build();
    }

    @Override
    public synchronized PutBucketTaggingResponse putBucketTagging(PutBucketTaggingRequest request) {
        calls.add("PutBucketTagging");
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : request.tagging().tagSet()) {
            if (tags.put(t.key(), t.value()) != null) {
                throw err(S3Exception.builder(), 400, "InvalidTag", "Cannot provide multiple Tags with the same key");
            }
        }
        if (tags.size() > 50) {
            throw err(S3Exception.builder(), 400, "BadRequest", "Object tags cannot be greater than 50");
        }
        existing(request.bucket()).tags = tags;
        return PutBucketTaggingResponse.builder().build();
    }

    @Override
    public synchronized GetBucketTaggingResponse getBucketTagging(GetBucketTaggingRequest request) {
        calls.add("GetBucketTagging");
        Control c = existing(request.bucket());
        if (c.tags == null || c.tags.isEmpty()) {
            throw err(S3Exception.builder(), 404, "NoSuchTagSet", "The TagSet does not exist");
        }
        List<Tag> set = new ArrayList<>();
        c.tags.forEach((k, v) -> set.add(Tag.builder().key(k).value(v).build()));
        return GetBucketTaggingResponse.builder().tagSet(set).build();
    }

    @Override
    public synchronized PutBucketPolicyResponse putBucketPolicy(PutBucketPolicyRequest request) {
        calls.add("PutBucketPolicy");
        Control c = existing(request.bucket());
        JsonNode policy;
        try {
            policy = JSON.readTree(request.policy());
        } catch (JsonProcessingException e) {
            throw err(S3Exception.builder(), 400, "MalformedPolicy", "Policies must be valid JSON");
        }
        JsonNode statements = policy.path("Statement");
        if (!statements.isArray() || statements.isEmpty()) {
            throw err(S3Exception.builder(), 400, "MalformedPolicy", "Missing required field Statement");
        }
        boolean isPublic = false;
        for (JsonNode st : statements) {
            for (JsonNode res : asList(st.path("Resource"))) {
                String arn = res.asText();
                if (!arn.equals("arn:aws:s3:::" + request.bucket()) && !arn.startsWith("arn:aws:s3:::"
                        + request.bucket() + "/")) {
                    throw err(S3Exception.builder(), 400, "MalformedPolicy", "Policy has invalid resource");
                }
            }
            if ("Allow".equals(st.path("Effect").asText()) && grantsEveryone(st.path("Principal"))
                    && !pinned(st.path("Condition"))) {
                isPublic = true;
            }
        }
        if (isPublic && c.publicAccessBlock != null && Boolean.TRUE.equals(c.publicAccessBlock.blockPublicPolicy())) {
            throw err(S3Exception.builder(), 403, "AccessDenied",
                    "User is not authorized to perform: s3:PutBucketPolicy on resource because public policies are "
                            + "blocked by the BlockPublicPolicy block public access setting.");
        }
        c.policy = request.policy();
        return PutBucketPolicyResponse.builder().build();
    }

    private static boolean grantsEveryone(JsonNode principal) {
        if (principal.isTextual()) {
            return "*".equals(principal.asText());
        }
        for (JsonNode aws : asList(principal.path("AWS"))) {
            if ("*".equals(aws.asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean pinned(JsonNode condition) {
        if (!condition.isObject()) {
            return false;
        }
        var ops = condition.fields();
        while (ops.hasNext()) {
            var op = ops.next();
            String operator = op.getKey().toLowerCase(Locale.ROOT);
            if (!(operator.startsWith("stringequals") || operator.startsWith("arnequals"))) {
                continue;
            }
            var keys = op.getValue().fieldNames();
            while (keys.hasNext()) {
                if (PINNING_KEYS.contains(keys.next().toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<JsonNode> asList(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node);
        }
        return out;
    }

    @Override
    public synchronized GetBucketPolicyResponse getBucketPolicy(GetBucketPolicyRequest request) {
        calls.add("GetBucketPolicy");
        Control c = existing(request.bucket());
        if (c.policy == null) {
            throw err(S3Exception.builder(), 404, "NoSuchBucketPolicy", "The bucket policy does not exist");
        }
        return GetBucketPolicyResponse.builder().policy(c.policy).build();
    }

    @Override
    public synchronized DeleteBucketPolicyResponse deleteBucketPolicy(DeleteBucketPolicyRequest request) {
        calls.add("DeleteBucketPolicy");
        existing(request.bucket()).policy = null;
        return DeleteBucketPolicyResponse.builder().build();
    }

    static RuntimeException err(S3Exception.Builder b, int status, String code, String message) {
        AwsErrorDetails.Builder details = AwsErrorDetails.builder().serviceName("S3");
        if (code != null) {
            details.errorCode(code).errorMessage(message);
        }
        return (RuntimeException) b.message(message).statusCode(status).awsErrorDetails(details.build()).build();
    }
}
