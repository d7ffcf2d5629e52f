package dev.oneclick.local;

import static dev.oneclick.local.MotoTest.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.DistributionAlreadyExistsException;
import software.amazon.awssdk.services.cloudfront.model.InvalidIfMatchVersionException;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What moto {@value Moto#VERSION} does that {@link MotoCorrections} leaves as it is, pinned so a moto upgrade that
 * changes it shows up here: what works as on AWS, and the deviations tests over moto must allow for (rules moto does
 * not enforce belong in the in-memory fakes).
 */
class MotoKnownBehaviourTest {

    private static Moto moto;

    @BeforeAll
    static void startMoto() {
        moto = Moto.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void resetMoto() {
        moto.reset();
    }

    // ---- CloudFront ----

    @Test
    void distributionId_onMoto_isThirteenCapitalsAndDigitsNotAlwaysStartingWithE() {
        CloudFrontClient cf = moto.cloudFrontClient();
        for (int i = 0; i < 3; i++) {
            int n = i;
            String id = cf.createDistribution(b -> b.distributionConfig(config("id-" + n, null, "c"))).distribution()
                    .id();
            assertTrue(id.matches("[A-Z][A-Z0-9]{12}"), id);
        }
    }

    @Test
    void createDistribution_whenCallerReferenceRepeated_throwsDistributionAlreadyExistsNamingIt() {
        CloudFrontClient cf = moto.cloudFrontClient();
        String id = cf.createDistribution(b -> b.distributionConfig(config("same", null, "c"))).distribution().id();

        DistributionAlreadyExistsException e = assertThrows(DistributionAlreadyExistsException.class,
                () -> cf.createDistribution(b -> b.distributionConfig(config("same", null, "again"))));

        assertEquals(409, e.statusCode());
        assertTrue(e.getMessage().contains(id), e.getMessage());
    }

    @Test
    void getDistribution_afterCreate_isDeployedAtOnce() {
        CloudFrontClient cf = moto.cloudFrontClient();
        CreateDistributionResponse created = cf.createDistribution(b -> b.distributionConfig(config("d", null, "c")));
        assertEquals("InProgress", created.distribution().status());
        assertEquals("Deployed", cf.getDistribution(b -> b.id(created.distribution().id())).distribution().status());
    }

    @Test
    void updateDistribution_whenIfMatchIsWrong_succeedsAndETagNeverChanges() {
        CloudFrontClient cf = moto.cloudFrontClient();
        CreateDistributionResponse created = cf.createDistribution(b -> b.distributionConfig(config("u", null, "c")));
        String id = created.distribution().id();

        String etag = cf.updateDistribution(b -> b.id(id).ifMatch("NOT-THE-ETAG")
                .distributionConfig(config("u", null, "changed"))).eTag();

        assertEquals(created.eTag(), etag);
        assertEquals("changed", cf.getDistributionConfig(b -> b.id(id)).distributionConfig().comment());
        assertThrows(InvalidIfMatchVersionException.class, () -> cf.updateDistribution(b -> b.id(id)
                .distributionConfig(config("u", null, "no if-match"))), "a missing If-Match is refused");
    }

    @Test
    void deleteDistribution_whenEnabledAndIfMatchWrong_deletesIt() {
        CloudFrontClient cf = moto.cloudFrontClient();
        String id = cf.createDistribution(b -> b.distributionConfig(config("del", null, "c"))).distribution().id();

        cf.deleteDistribution(b -> b.id(id).ifMatch("NOT-THE-ETAG"));

        assertThrows(NoSuchDistributionException.class, () -> cf.getDistribution(b -> b.id(id)));
    }

    @Test
    void listDistributions_whenMaxItemsIsOne_returnsEverythingInOneUntruncatedPage() {
        CloudFrontClient cf = moto.cloudFrontClient();
        for (int i = 0; i < 3; i++) {
            int n = i;
            cf.createDistribution(b -> b.distributionConfig(config("list-" + n, null, "c")));
        }
        var list = cf.listDistributions(b -> b.maxItems("1")).distributionList();
        assertEquals(3, list.items().size());
        assertEquals(Boolean.FALSE, list.isTruncated());
    }

    @Test
    void createInvalidation_onMoto_isCompletedAtOnce() {
        CloudFrontClient cf = moto.cloudFrontClient();
        String id = cf.createDistribution(b -> b.distributionConfig(config("inv", null, "c"))).distribution().id();
        var invalidation = cf.createInvalidation(b -> b.distributionId(id).invalidationBatch(i -> i
                .callerReference("inv-1").paths(p -> p.quantity(1).items("/*")))).invalidation();
        assertEquals("COMPLETED", invalidation.status());
        assertEquals("COMPLETED", cf.getInvalidation(b -> b.distributionId(id).id(invalidation.id())).invalidation()
                .status());
    }

    @Test
    void originAccessControl_createListGetDelete_workAndDeleteInUseIsAllowed() {
        CloudFrontClient cf = moto.cloudFrontClient();
        var created = cf.createOriginAccessControl(b -> b.originAccessControlConfig(c -> c.name("tmux-builder-g")
                .signingBehavior("always").signingProtocol("sigv4").originAccessControlOriginType("s3")));
        String id = created.originAccessControl().id();
        assertEquals(List.of("tmux-builder-g"), cf.listOriginAccessControls(b -> { }).originAccessControlList()
                .items().stream().map(s -> s.name()).toList());
        assertEquals("sigv4", cf.getOriginAccessControl(b -> b.id(id)).originAccessControl()
                .originAccessControlConfig().signingProtocolAsString());
        cf.createDistribution(b -> b.distributionConfig(config("oac-in-use", id, "c")));

        cf.deleteOriginAccessControl(b -> b.id(id).ifMatch(created.eTag())); // AWS: OriginAccessControlInUse

        assertEquals(0, cf.listOriginAccessControls(b -> { }).originAccessControlList().quantity());
    }

    // ---- S3 bucket controls ----

    @Test
    void newBucket_onMoto_hasNoBlockPublicAccessOwnershipControlsOrEncryption() {
        S3Client s3 = moto.s3Client();
        s3.createBucket(b -> b.bucket("defaults"));
        // AWS (since 2023): all four Block Public Access flags on, BucketOwnerEnforced, SSE-S3 (AES256)
        assertEquals(404, assertThrows(S3Exception.class,
                () -> s3.getPublicAccessBlock(b -> b.bucket("defaults"))).statusCode());
        assertEquals(404, assertThrows(S3Exception.class,
                () -> s3.getBucketOwnershipControls(b -> b.bucket("defaults"))).statusCode());
        assertEquals(404, assertThrows(S3Exception.class,
                () -> s3.getBucketEncryption(b -> b.bucket("defaults"))).statusCode());
        assertEquals(404, assertThrows(S3Exception.class,
                () -> s3.getBucketTagging(b -> b.bucket("defaults"))).statusCode(), "NoSuchTagSet, as on AWS");
    }

    private static String policy(String bucket, String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement.replace("BUCKET", bucket) + "]}";
    }

    private static int getStatus(S3Client s3, String bucket, String key) {
        try {
            s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return 200;
        } catch (S3Exception e) {
            return e.statusCode();
        }
    }

    /**
     * moto evaluates a bucket policy on object requests, ignoring principals other than {@code *} written as a map and
     * every condition; the launcher's correction makes a statement for service principals only (CloudFront's) not
     * apply to moto's callers, as on AWS. A Deny for {@code *} still applies to them, also one whose condition would
     * not match on AWS: a deny-non-TLS statement denies moto's plain-HTTP callers (as AWS would over HTTP).
     */
    @Test
    void bucketPolicy_onMoto_appliesDenyForEveryoneButNotTheCloudFrontServicePrincipalsStatements() {
        S3Client s3 = moto.s3Client();
        s3.createBucket(b -> b.bucket("policies"));
        s3.putObject(b -> b.bucket("policies").key(".oneclick/manifest.json"), RequestBody.fromString("{}"));
        s3.putObject(b -> b.bucket("policies").key("index.html"), RequestBody.fromString("hi"));

        s3.putBucketPolicy(b -> b.bucket("policies").policy(policy("policies", "{\"Sid\":\"OneclickDenyManifest\","
                + "\"Effect\":\"Deny\",\"Principal\":{\"Service\":\"cloudfront.amazonaws.com\"},\"Action\":"
                + "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::BUCKET/.oneclick/*\"}")));
        assertEquals(200, getStatus(s3, "policies", ".oneclick/manifest.json"), "corrected: CloudFront's deny only");

        s3.putBucketPolicy(b -> b.bucket("policies").policy(policy("policies", "{\"Sid\":\"DenyInsecureTransport\","
                + "\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":"
                + "\"arn:aws:s3:::BUCKET/*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}")));
        assertEquals(403, getStatus(s3, "policies", "index.html"), "a deny for everyone applies to moto's callers");
        s3.deleteBucketPolicy(b -> b.bucket("policies"));
        assertEquals(200, getStatus(s3, "policies", "index.html"));
    }

    @Test
    void bucketControls_putThenGet_roundTripAndPublicPolicyIsAcceptedUnderBlockPublicAccess() {
        S3Client s3 = moto.s3Client();
        s3.createBucket(b -> b.bucket("controls"));
        s3.putPublicAccessBlock(b -> b.bucket("controls").publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                .blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)));
        s3.putBucketOwnershipControls(b -> b.bucket("controls").ownershipControls(o -> o.rules(r -> r
                .objectOwnership("BucketOwnerEnforced"))));
        s3.putBucketTagging(b -> b.bucket("controls").tagging(t -> t.tagSet(s -> s.key("oneclick:project-guid")
                .value("g"))));
        s3.putBucketEncryption(b -> b.bucket("controls").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("AES256")))));

        assertEquals(Boolean.TRUE, s3.getPublicAccessBlock(b -> b.bucket("controls")).publicAccessBlockConfiguration()
                .blockPublicPolicy());
        assertEquals("BucketOwnerEnforced", s3.getBucketOwnershipControls(b -> b.bucket("controls"))
                .ownershipControls().rules().get(0).objectOwnershipAsString());
        assertEquals("g", s3.getBucketTagging(b -> b.bucket("controls")).tagSet().get(0).value());
        assertEquals("AES256", s3.getBucketEncryption(b -> b.bucket("controls")).serverSideEncryptionConfiguration()
                .rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithmAsString());

        String publicPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::controls/*\"}]}";
        s3.putBucketPolicy(b -> b.bucket("controls").policy(publicPolicy)); // AWS: AccessDenied under BPA
        assertEquals(publicPolicy, s3.getBucketPolicy(b -> b.bucket("controls")).policy());
    }

    @Test
    void listObjectVersions_continuedFromMarkersOfVersionsDeletedMeanwhile_returnsAnEmptyLastPage() {
        S3Client s3 = moto.s3Client();
        s3.createBucket(b -> b.bucket("versions"));
        s3.putBucketVersioning(b -> b.bucket("versions").versioningConfiguration(v -> v.status("Enabled")));
        for (int i = 0; i < 5; i++) {
            String key = "k" + i;
            s3.putObject(b -> b.bucket("versions").key(key), RequestBody.fromString("one"));
            s3.putObject(b -> b.bucket("versions").key(key), RequestBody.fromString("two"));
        }
        assertEquals(10, listAllVersions(s3, false), "paging without deleting sees every version");

        int seen = listAllVersions(s3, true);

        assertEquals(3, seen, "the page after deleting the first page's versions is empty and not truncated");
        assertEquals(7, s3.listObjectVersions(b -> b.bucket("versions")).versions().size());
    }

    /** Pages through the bucket's versions, three at a time, deleting each page's versions when asked. */
    private static int listAllVersions(S3Client s3, boolean deleteEachPage) {
        int seen = 0;
        String keyMarker = null;
        String versionMarker = null;
        for (int page = 0; page < 20; page++) {
            String k = keyMarker;
            String v = versionMarker;
            ListObjectVersionsResponse r = s3.listObjectVersions(b -> b.bucket("versions").maxKeys(3).keyMarker(k)
                    .versionIdMarker(v));
            seen += r.versions().size();
            if (deleteEachPage) {
                List<ObjectVersion> versions = new ArrayList<>(r.versions());
                for (ObjectVersion version : versions) {
                    s3.deleteObject(b -> b.bucket("versions").key(version.key()).versionId(version.versionId()));
                }
            }
            if (!Boolean.TRUE.equals(r.isTruncated())) {
                return seen;
            }
            keyMarker = r.nextKeyMarker();
            versionMarker = r.nextVersionIdMarker();
        }
        throw new AssertionError("more than 20 pages");
    }
}
