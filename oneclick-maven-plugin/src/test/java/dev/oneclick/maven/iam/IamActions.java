package dev.oneclick.maven.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps an SDK operation to the IAM actions it needs and the resource ARN each is checked on. Most operations
 * need the action of the same name in the service's prefix; the exceptions (S3 above all) are listed.
 */
public final class IamActions {
    /** A sample account; the policy's ARNs use a wildcard or the deployer's account in their place. */
    static final String ACCOUNT = "123456789012";

    /** One action on one resource. */
    public record Required(String action, String resource) {
        @Override
        public String toString() {
            return action + " on " + resource;
        }
    }

    private static final Map<String, String> PREFIX = Map.of(
            "s3", "s3", "cloudfront", "cloudfront", "dynamodb", "dynamodb", "sts", "sts");

    /** S3 operations whose IAM action has another name (or several). */
    private static final Map<String, List<String>> S3 = Map.ofEntries(
            Map.entry("HeadBucket", List.of("s3:ListBucket")),
            Map.entry("ListObjectsV2", List.of("s3:ListBucket")),
            Map.entry("ListObjects", List.of("s3:ListBucket")),
            Map.entry("ListObjectVersions", List.of("s3:ListBucketVersions")),
            Map.entry("ListMultipartUploads", List.of("s3:ListBucketMultipartUploads")),
            Map.entry("ListParts", List.of("s3:ListMultipartUploadParts")),
            Map.entry("HeadObject", List.of("s3:GetObject")),
            Map.entry("GetObject", List.of("s3:GetObject")),
            Map.entry("PutObject", List.of("s3:PutObject")),
            Map.entry("CopyObject", List.of("s3:PutObject", "s3:GetObject")),
            Map.entry("CreateMultipartUpload", List.of("s3:PutObject")),
            Map.entry("UploadPart", List.of("s3:PutObject")),
            Map.entry("CompleteMultipartUpload", List.of("s3:PutObject")),
            Map.entry("AbortMultipartUpload", List.of("s3:AbortMultipartUpload")),
            Map.entry("DeleteObject", List.of("s3:DeleteObject")),
            // DeleteObjects is checked per key; with version ids (destroy of a versioned bucket) it needs both
            Map.entry("DeleteObjects", List.of("s3:DeleteObject", "s3:DeleteObjectVersion")),
            Map.entry("GetPublicAccessBlock", List.of("s3:GetBucketPublicAccessBlock")),
            Map.entry("PutPublicAccessBlock", List.of("s3:PutBucketPublicAccessBlock")),
            Map.entry("DeletePublicAccessBlock", List.of("s3:PutBucketPublicAccessBlock")),
            Map.entry("GetBucketEncryption", List.of("s3:GetEncryptionConfiguration")),
            Map.entry("PutBucketEncryption", List.of("s3:PutEncryptionConfiguration")),
            Map.entry("GetBucketLifecycleConfiguration", List.of("s3:GetLifecycleConfiguration")),
            Map.entry("PutBucketLifecycleConfiguration", List.of("s3:PutLifecycleConfiguration")),
            Map.entry("DeleteBucketTagging", List.of("s3:PutBucketTagging")),
            Map.entry("ListBuckets", List.of("s3:ListAllMyBuckets")),
            Map.entry("GetBucketCors", List.of("s3:GetBucketCORS")),
            Map.entry("PutBucketCors", List.of("s3:PutBucketCORS")));

    /** S3 operations on objects (checked on {@code arn:aws:s3:::bucket/key}); the others act on the bucket. */
    private static final List<String> S3_OBJECT_OPERATIONS = List.of("HeadObject", "GetObject", "PutObject",
            "CopyObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload",
            "DeleteObject", "DeleteObjects", "ListParts");

    /** CloudFront operations that need other or more actions. */
    private static final Map<String, List<String>> CLOUDFRONT = Map.of(
            "CreateDistributionWithTags", List.of("cloudfront:CreateDistribution", "cloudfront:TagResource"),
            "GetDistributionConfig", List.of("cloudfront:GetDistributionConfig"));

    private IamActions() {
    }

    /** The actions and resources {@code op} needs. */
    public static List<Required> of(AwsOperation op) {
        String service = op.service().toLowerCase(Locale.ROOT);
        String prefix = PREFIX.get(service);
        if (prefix == null) {
            throw new IllegalArgumentException("no IAM mapping for service " + op.service() + " (" + op + ")");
        }
        String name = op.operation();
        List<Required> out = new ArrayList<>();
        switch (prefix) {
            case "s3" -> {
                String bucket = op.bucket() == null ? "*" : op.bucket();
                String resource;
                if ("ListBuckets".equals(name)) {
                    resource = "*";
                } else if (S3_OBJECT_OPERATIONS.contains(name)) {
                    resource = "arn:aws:s3:::" + bucket + "/" + (op.key() == null ? "*" : op.key());
                } else {
                    resource = "arn:aws:s3:::" + bucket;
                }
                for (String a : S3.getOrDefault(name, List.of("s3:" + name))) {
                    out.add(new Required(a, resource));
                }
            }
            case "cloudfront" -> {
                String resource;
                if (name.startsWith("List") && !name.equals("ListTagsForResource")) {
                    resource = "*";
                } else if (name.endsWith("Function")) {
                    // the SPA routing function, named {prefix}-{guid}-spa (site.internal.SpaRouting)
                    resource = "arn:aws:cloudfront::" + ACCOUNT + ":function/tmux-builder-"
                            + "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab-spa";
                } else if (name.contains("OriginAccessControl")) {
                    resource = "arn:aws:cloudfront::" + ACCOUNT + ":origin-access-control/E2EXAMPLE";
                } else {
                    resource = "arn:aws:cloudfront::" + ACCOUNT + ":distribution/E1EXAMPLE";
                }
                for (String a : CLOUDFRONT.getOrDefault(name, List.of("cloudfront:" + name))) {
                    out.add(new Required(a, resource));
                }
            }
            case "dynamodb" -> {
                String table = "arn:aws:dynamodb:" + op.region() + ":" + ACCOUNT + ":table/"
                        + (op.table() == null ? "*" : op.table());
                String resource = op.index() == null ? table : table + "/index/" + op.index();
                if (name.startsWith("List")) {
                    resource = "*";
                }
                out.add(new Required("dynamodb:" + name, resource));
            }
            default -> out.add(new Required(prefix + ":" + name, "*"));
        }
        return out;
    }
}
