package dev.oneclick.maven.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class IamPolicyTest {
    static final Path POLICY = Path.of(System.getProperty("basedir", ".")).resolve("../docs/iam-policy.json")
            .normalize();
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";
    private static final String BUCKET = "tmux-builder-" + GUID;

    private static AwsOperation s3(String operation, String bucket, String key) {
        return new AwsOperation("S3", operation, "us-east-1", bucket, key, null, null);
    }

    @Test
    void allows_whenWildcardsAndDeny_evaluatesLikeIam() throws Exception {
        IamPolicy p = IamPolicy.parse("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":["s3:Get*","s3:PutObject"],"Resource":"arn:aws:s3:::tmux-builder-*/*"},
                  {"Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::tmux-builder-x/*"}]}""");
        assertTrue(p.allows("s3:getobject", "arn:aws:s3:::tmux-builder-a/index.html"));
        assertTrue(p.allows("s3:PutObject", "arn:aws:s3:::tmux-builder-a/index.html"));
        assertFalse(p.allows("s3:PutObject", "arn:aws:s3:::tmux-builder-x/index.html"));
        assertFalse(p.allows("s3:PutObject", "arn:aws:s3:::other/index.html"));
        assertFalse(p.allows("s3:DeleteObject", "arn:aws:s3:::tmux-builder-a/index.html"));
        assertFalse(p.allows("s3:GetObject", "arn:aws:s3:::TMUX-builder-a/index.html"));
    }

    @Test
    void parse_whenConditionPresent_refusesWhatItCannotEvaluate() {
        assertThrows(IllegalArgumentException.class, () -> IamPolicy.parse("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",
                  "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"""));
    }

    @Test
    void of_whenS3Operations_mapsToActionsAndArns() {
        assertEquals(List.of(new IamActions.Required("s3:ListBucket", "arn:aws:s3:::" + BUCKET)),
                IamActions.of(s3("ListObjectsV2", BUCKET, null)));
        assertEquals(List.of(new IamActions.Required("s3:PutObject", "arn:aws:s3:::" + BUCKET + "/a.js")),
                IamActions.of(s3("UploadPart", BUCKET, "a.js")));
        assertEquals(List.of(new IamActions.Required("s3:PutBucketPublicAccessBlock", "arn:aws:s3:::" + BUCKET)),
                IamActions.of(s3("PutPublicAccessBlock", BUCKET, null)));
    }

    @Test
    void of_whenCloudFrontCreateWithTags_needsCreateAndTag() {
        assertEquals(List.of("cloudfront:CreateDistribution", "cloudfront:TagResource"),
                IamActions.of(AwsOperation.of("CloudFront", "CreateDistributionWithTags")).stream()
                        .map(IamActions.Required::action).toList());
    }

    @Test
    void of_whenDynamoDbQueryOnIndex_checksTheIndexArn() {
        var op = new AwsOperation("DynamoDb", "Query", "eu-west-1", null, null, "tmux-deployments", "projectId-index");
        assertEquals(List.of(new IamActions.Required("dynamodb:Query",
                "arn:aws:dynamodb:eu-west-1:123456789012:table/tmux-deployments/index/projectId-index")),
                IamActions.of(op));
    }

    @Test
    void deployerPolicy_whenOtherBucketsOrTables_allowsNothing() throws Exception {
        IamPolicy p = IamPolicy.load(POLICY);
        assertFalse(p.allows("s3:PutObject", "arn:aws:s3:::someone-elses-bucket/index.html"));
        assertFalse(p.allows("s3:DeleteBucket", "arn:aws:s3:::prod-data"));
        assertFalse(p.allows("dynamodb:UpdateItem", "arn:aws:dynamodb:us-east-1:123456789012:table/users"));
        assertFalse(p.allows("dynamodb:DeleteTable", "arn:aws:dynamodb:us-east-1:123456789012:table/tmux-deployments"));
        assertFalse(p.allows("iam:PassRole", "*"));
        assertFalse(p.allows("s3:PutObject", "*"));
    }

    @Test
    void deployerPolicy_whenRead_hasNoServiceWideActionsAndOnlyListingsOnStar() throws Exception {
        IamPolicy p = IamPolicy.load(POLICY);
        for (String a : p.actions()) {
            assertFalse(a.endsWith("*"), "wildcard action " + a);
        }
        // "*" only for calls that IAM cannot scope to a resource
        for (String a : p.actions()) {
            if (p.allows(a, "*")) {
                assertTrue(List.of("cloudfront:listdistributions", "cloudfront:listoriginaccesscontrols",
                        "sts:getcalleridentity").contains(a), a + " allowed on *");
            }
        }
    }

    /**
     * Every call the deploy engine makes (S3 data and control plane, CloudFront, DynamoDB), as listed from its code.
     * CloudFront and the S3 control plane have no emulator here (the engine's tests use fakes, which the SDK's
     * interceptors do not see), so they are checked from this list; the S3 data plane and DynamoDB are also
     * recorded from a real run in {@link LocalDeployIamCoverageTest}.
     */
    @Test
    void deployerPolicy_whenEngineOperationsListed_allowsEveryOne() throws Exception {
        assertEquals(List.of(), IamPolicy.load(POLICY).missing(engineOperations()));
    }

    @Test
    void deployerPolicy_whenComparedWithEngineOperations_grantsNoActionTheyDoNotNeed() throws Exception {
        java.util.Set<String> needed = new java.util.TreeSet<>();
        for (AwsOperation op : engineOperations()) {
            IamActions.of(op).forEach(r -> needed.add(r.action().toLowerCase(java.util.Locale.ROOT)));
        }
        List<String> extra = IamPolicy.load(POLICY).actions().stream().filter(a -> !needed.contains(a)).toList();
        assertEquals(List.of(), extra, "actions in docs/iam-policy.json that no deployer operation needs");
    }

    /** The engine's calls, as listed from its code (see dev.oneclick.Deployer's Javadoc). */
    static List<AwsOperation> engineOperations() {
        List<AwsOperation> ops = new java.util.ArrayList<>();
        for (String op : List.of("CreateBucket", "HeadBucket", "DeleteBucket", "ListObjectsV2", "ListObjectVersions",
                "GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy", "GetPublicAccessBlock",
                "PutPublicAccessBlock",
                "PutBucketOwnershipControls", "PutBucketEncryption", "GetBucketTagging", "PutBucketTagging",
                "GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration")) {
            ops.add(s3(op, BUCKET, null));
        }
        for (String op : List.of("PutObject", "GetObject", "HeadObject", "CopyObject", "DeleteObject", "DeleteObjects",
                "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload")) {
            ops.add(s3(op, BUCKET, ".oneclick/manifest.json"));
        }
        for (String op : List.of("CreateDistributionWithTags", "GetDistribution", "GetDistributionConfig",
                "UpdateDistribution", "DeleteDistribution", "ListDistributions", "ListTagsForResource",
                "CreateInvalidation", "CreateOriginAccessControl", "GetOriginAccessControl",
                "DeleteOriginAccessControl", "ListOriginAccessControls",
                // the SPA routing function (site.internal.SpaRouting), once the engine calls it
                "CreateFunction", "DescribeFunction", "GetFunction", "UpdateFunction", "PublishFunction",
                "DeleteFunction")) {
            ops.add(AwsOperation.of("CloudFront", op));
        }
        for (String op : List.of("CreateTable", "DescribeTable", "GetItem", "UpdateItem", "PutItem",
                "DeleteItem")) {
            ops.add(new AwsOperation("DynamoDb", op, "us-east-1", null, null, "tmux-deployments", null));
        }
        ops.add(new AwsOperation("DynamoDb", "Query", "us-east-1", null, null, "tmux-deployments", "projectId-index"));
        ops.add(new AwsOperation("DynamoDb", "Query", "us-east-1", null, null, "tmux-deployments", null));
        ops.add(AwsOperation.of("Sts", "GetCallerIdentity"));
        return ops;
    }
}
