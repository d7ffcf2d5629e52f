package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import dev.oneclick.engine.internal.ProjectRecords;
import dev.oneclick.engine.internal.TrackerRecords;
import dev.oneclick.errors.ResourceNotOwnedException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.internal.aws.BucketPolicies;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PutBucketPolicyRequest;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The static-site engine over the wire: CloudFront, the bucket controls and the objects on moto (S3 and CloudFront
 * with {@link Moto}'s corrections), the record on dynalite. Every AWS request the engine makes is a real SDK request
 * answered by a real server; the calls are counted by an interceptor on the engine's clients.
 */
class DeployerMotoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "user-7";
    private static Moto moto;
    private static LocalAws local;

    @TempDir
    Path tmp;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private final List<String> policiesPut = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private CloudFrontClient cloudFront;
    private S3Client s3;
    private DeploymentTracker tracker;
    private String guid;
    private String bucket;
    private Path site;

    @BeforeAll
    static void start() {
        moto = Moto.start();
        local = LocalAws.start();
    }

    @AfterAll
    static void stop() {
        moto.close();
        local.close();
    }

    /** Counts every request the engine's clients send, by operation name. */
    private final ExecutionInterceptor counter = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            if (context.request() instanceof PutBucketPolicyRequest put) {
                policiesPut.add(put.policy());
            }
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        guid = UUID.randomUUID().toString();
        bucket = "tmux-builder-" + guid;
        cloudFront = keep(moto.configure(CloudFrontClient.builder().overrideConfiguration(o -> o
                .addExecutionInterceptor(counter))).httpClientBuilder(ApacheHttpClient.builder()
                .expectContinueEnabled(false)).build());
        s3 = keep(moto.configure(S3Client.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)))
                .httpClientBuilder(ApacheHttpClient.builder().expectContinueEnabled(false)).build());
        tracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient()).tableName("moto-engine")
                .pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        site = tmp.resolve("dist");
        write("index.html", "<!doctype html><title>app</title><script src=\"/assets/app.3f9a2b1c.js\"></script>");
        write("about/index.html", "<!doctype html><title>about</title>");
        write("assets/app.3f9a2b1c.js", "console.log('hello');");
        write("favicon.ico", "ico");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        opened.add(c);
        return c;
    }

    private void write(String rel, String text) throws IOException {
        Path p = site.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private DeployerBuilder builder() {
        return DefaultDeployer.builder().region("us-east-1").s3Client(s3).s3AsyncClient(moto.s3AsyncClient())
                .cloudFrontClient(cloudFront).tracker(tracker).concurrency(4).pollInterval(Duration.ZERO)
                .sleeper(d -> { }).listener(new DeployListener() {
                    @Override
                    public void progress(Progress e) {
                        progress.add(e.message());
                    }
                });
    }

    private DefaultDeployer deployer() {
        return keep(builder().build());
    }

    /** Routing ALL (403/404 to index.html): moto 5.2.1 serves no CloudFront Functions, which ROUTES needs. */
    private DeployRequest request() {
        return DeployRequest.builder().guid(guid).userId(USER).projectName("Moto").siteDir(site)
                .routing(DeployRequest.Routing.ALL).build();
    }

    private DeploymentRecord record() {
        return tracker.get(USER, guid).orElseThrow();
    }

    private long count(String operation) {
        return calls.stream().filter(c -> c.endsWith(":" + operation)).count();
    }

    private List<DistributionSummary> distributionsWithComment(String comment) {
        return cloudFront.listDistributions(b -> { }).distributionList().items().stream()
                .filter(d -> comment.equals(d.comment())).toList();
    }

    private boolean bucketExists(String name) {
        try {
            s3.headBucket(r -> r.bucket(name));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        }
    }

    private void assertBucketEqualsSite(String name) throws IOException {
        for (Path f : Files.walk(site).filter(Files::isRegularFile).toList()) {
            String key = site.relativize(f).toString().replace('\\', '/');
            assertArrayEquals(Files.readAllBytes(f), s3.getObjectAsBytes(r -> r.bucket(name).key(key)).asByteArray(),
                    key);
        }
    }

    /** Deploys another project of the same user; returns its record. */
    private DeploymentRecord deployOther() {
        String other = UUID.randomUUID().toString();
        deployer().deploy(request().toBuilder().guid(other).build());
        return tracker.get(USER, other).orElseThrow();
    }

    // ------------------------------------------------------------------ the lifecycle

    @Test
    void deploy_onMoto_createsPrivateTaggedBucketOacAndTaggedDistributionAndRecordsThem() throws IOException {
        Deployment d = deployer().deploy(request());

        AwsResources own = record().oneclickResources();
        String distId = own.cloudFrontId().orElseThrow();
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
        assertEquals(Optional.of(bucket), own.s3Bucket());
        assertEquals(d.resources(), record().awsResources());
        assertEquals("arn:aws:cloudfront::123456789012:distribution/" + distId, own.cloudFrontArn().orElseThrow());
        Map<String, String> bucketTags = s3.getBucketTagging(r -> r.bucket(bucket)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
        assertEquals(guid, bucketTags.get(ResourceNames.TAG_PROJECT_GUID));
        assertEquals(USER, bucketTags.get(ResourceNames.TAG_USER_ID));
        var bpa = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
        assertTrue(bpa.blockPublicAcls() && bpa.ignorePublicAcls() && bpa.blockPublicPolicy()
                && bpa.restrictPublicBuckets());
        JsonNode st = JSON.readTree(s3.getBucketPolicy(r -> r.bucket(bucket)).policy()).path("Statement").get(0);
        assertEquals("cloudfront.amazonaws.com", st.path("Principal").path("Service").asText());
        assertEquals(own.cloudFrontArn().orElseThrow(), st.path("Condition").path("StringEquals")
                .path("AWS:SourceArn").asText());
        DistributionConfig c = cloudFront.getDistributionConfig(r -> r.id(distId)).distributionConfig();
        assertEquals("tmux-builder-" + guid, c.comment());
        assertEquals(own.originAccessControlId().orElseThrow(), c.origins().items().get(0).originAccessControlId());
        assertEquals(bucket + ".s3.us-east-1.amazonaws.com", c.origins().items().get(0).domainName());
        String arn = own.cloudFrontArn().orElseThrow();
        assertTrue(cloudFront.listTagsForResource(r -> r.resource(arn)).tags().items().stream()
                .anyMatch(t -> t.key().equals(ResourceNames.TAG_PROJECT_GUID) && t.value().equals(guid)));
        assertBucketEqualsSite(bucket);
        System.out.println("[moto] first deploy: " + calls.size() + " S3/CloudFront requests " + calls.stream()
                .collect(Collectors.groupingBy(x -> x, java.util.TreeMap::new, Collectors.counting())));
    }

    @Test
    void deploy_onMoto_whenRerunWithNothingChanged_sendsNoUpdateAndNoWriteAndChangesNothing() {
        deployer().deploy(request());
        DeploymentRecord before = record();
        calls.clear();

        Deployment again = deployer().deploy(request());

        assertEquals(0, count("UpdateDistribution"), calls.toString());
        assertEquals(0, count("CreateDistributionWithTags") + count("CreateBucket") + count("PutObject")
                + count("PutBucketPolicy") + count("CreateOriginAccessControl"), calls.toString());
        assertEquals(0, again.filesUploaded());
        assertEquals(before.version(), record().version());
        assertEquals(1, distributionsWithComment("tmux-builder-" + guid).size());
        System.out.println("[moto] no-change redeploy: " + calls.size() + " S3/CloudFront requests " + calls.stream()
                .collect(Collectors.groupingBy(x -> x, java.util.TreeMap::new, Collectors.counting())));
    }

    @Test
    void deploy_onMoto_whenAPageChanges_uploadsItAndInvalidatesIt() throws IOException {
        deployer().deploy(request());
        write("about/index.html", "<!doctype html><title>about us, changed</title>");
        calls.clear();

        Deployment d = deployer().deploy(request());

        assertEquals(1, d.filesUploaded());
        assertEquals(1, count("CreateInvalidation"));
        assertTrue(d.invalidatedPaths().stream().anyMatch(p -> p.startsWith("/about")), d.invalidatedPaths()
                .toString());
        assertEquals(0, count("UpdateDistribution"));
        assertBucketEqualsSite(bucket);
    }

    @Test
    void destroy_onMoto_removesBucketDistributionAndOacAndMarksDestroyed() {
        deployer().deploy(request());
        String oac = record().oneclickResources().originAccessControlId().orElseThrow();

        DeploymentRecord done = deployer().destroy(guid, USER);

        assertEquals(Optional.of(DeploymentStatus.DESTROYED), done.status());
        assertFalse(bucketExists(bucket));
        assertTrue(distributionsWithComment("tmux-builder-" + guid).isEmpty());
        assertTrue(cloudFront.listOriginAccessControls(b -> { }).originAccessControlList().items().stream()
                .noneMatch(o -> o.id().equals(oac)));
        assertTrue(done.oneclickResources().isEmpty(), done.toString());
        assertTrue(done.awsResources().isEmpty(), done.toString());
    }

    @Test
    void deploy_onMoto_whenTheProcessDiesBetweenCreateDistributionAndRecord_rerunMakesNoSecondOne() {
        ProjectRecords failing = new DeployerWireScenarios.ForwardingRecords(new TrackerRecords(tracker)) {
            @Override
            public DeploymentRecord recordResources(String userId, String projectId, String projectName,
                    AwsResources resources) {
                if (resources.cloudFrontId().isPresent()) {
                    throw new TrackerException("injected: the process died before recording "
                            + resources.cloudFrontId().get());
                }
                return super.recordResources(userId, projectId, projectName, resources);
            }
        };
        assertThrows(TrackerException.class, () -> keep(builder().records(failing).build()).deploy(request()));
        assertEquals(1, distributionsWithComment("tmux-builder-" + guid).size());

        Deployment d = deployer().deploy(request());

        assertEquals(1, distributionsWithComment("tmux-builder-" + guid).size(), "exactly one distribution");
        assertEquals(distributionsWithComment("tmux-builder-" + guid).get(0).id(),
                d.resources().cloudFrontId().orElseThrow());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
    }

    // ------------------------------------------------------------------ ownership

    @Test
    void deployAndDestroy_onMoto_whenAnEventPlantedAnotherProjectsBucketAndDistribution_leaveBothUntouched()
            throws IOException {
        DeploymentRecord other = deployOther();
        String otherBucket = other.awsResources().s3Bucket().orElseThrow();
        String otherDist = other.awsResources().cloudFrontId().orElseThrow();
        DistributionConfig otherConfig = cloudFront.getDistributionConfig(r -> r.id(otherDist)).distributionConfig();
        deployer().deploy(request());
        tracker.recordResources(USER, guid, "Moto", AwsResources.builder().s3Bucket(otherBucket)
                .cloudFrontId(otherDist).build());

        deployer().deploy(request());
        deployer().destroy(guid, USER);

        assertTrue(bucketExists(otherBucket));
        assertBucketEqualsSite(otherBucket);
        assertEquals(otherConfig, cloudFront.getDistributionConfig(r -> r.id(otherDist)).distributionConfig());
        assertFalse(bucketExists(bucket));
        assertTrue(progress.stream().anyMatch(m -> m.startsWith("Ignoring awsResources.s3Bucket = " + otherBucket)),
                progress.toString());
        assertTrue(progress.stream().anyMatch(m -> m.startsWith("Ignoring awsResources.cloudFrontId = " + otherDist)),
                progress.toString());
    }

    @Test
    void deploy_onMoto_whenTheEnginesEntryNamesAnotherProjectsDistribution_refusesIt() {
        DeploymentRecord other = deployOther();
        String otherDist = other.awsResources().cloudFrontId().orElseThrow();
        DistributionConfig otherConfig = cloudFront.getDistributionConfig(r -> r.id(otherDist)).distributionConfig();
        deployer().deploy(request());
        tracker.recordOwnResources(USER, guid, "Moto", AwsResources.builder().cloudFrontId(otherDist).build());

        ResourceNotOwnedException e = assertThrows(ResourceNotOwnedException.class,
                () -> deployer().deploy(request()));
        assertThrows(ResourceNotOwnedException.class, () -> deployer().destroy(guid, USER));

        assertEquals(otherDist, e.resourceId());
        assertEquals("oneclickResources.cloudFrontId", e.recordEntry());
        assertEquals(otherConfig, cloudFront.getDistributionConfig(r -> r.id(otherDist)).distributionConfig());
        assertTrue(bucketExists(bucket));
    }

    @Test
    void deploy_onMoto_whenTheEnginesEntryNamesAnotherProjectsOac_refusesIt() {
        DeploymentRecord other = deployOther();
        String otherOac = other.awsResources().originAccessControlId().orElseThrow();
        deployer().deploy(request());
        tracker.recordOwnResources(USER, guid, "Moto", AwsResources.builder().originAccessControlId(otherOac)
                .build());

        ResourceNotOwnedException e = assertThrows(ResourceNotOwnedException.class,
                () -> deployer().deploy(request()));
        assertThrows(ResourceNotOwnedException.class, () -> deployer().destroy(guid, USER));

        assertEquals("oneclickResources.originAccessControlId", e.recordEntry());
        assertTrue(cloudFront.getOriginAccessControl(r -> r.id(otherOac)).originAccessControl() != null);
    }

    @Test
    void destroy_onMoto_whenTheEnginesEntryNamesAnotherProjectsBucket_refusesIt() throws IOException {
        DeploymentRecord other = deployOther();
        String otherBucket = other.awsResources().s3Bucket().orElseThrow();
        deployer().deploy(request());
        tracker.recordOwnResources(USER, guid, "Moto", AwsResources.builder().s3Bucket(otherBucket).build());

        ResourceNotOwnedException e = assertThrows(ResourceNotOwnedException.class,
                () -> deployer().destroy(guid, USER));

        assertEquals(otherBucket, e.resourceId());
        assertEquals("oneclickResources.s3Bucket", e.recordEntry());
        assertTrue(bucketExists(otherBucket));
        assertBucketEqualsSite(otherBucket);
        assertTrue(bucketExists(bucket));
    }

    @Test
    void destroy_onMoto_whenTheBucketIsTaggedForAnotherProject_refusesNamingTheTag() {
        deployer().deploy(request());
        String stranger = UUID.randomUUID().toString();
        s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(
                Tag.builder().key(ResourceNames.TAG_PROJECT_GUID).value(stranger).build())));

        ResourceNotOwnedException e = assertThrows(ResourceNotOwnedException.class,
                () -> deployer().destroy(guid, USER));

        assertTrue(e.getMessage().contains("is tagged oneclick:project-guid=" + stranger), e.getMessage());
        assertTrue(bucketExists(bucket));
    }

    // ------------------------------------------------------------------ the bucket policy, merged by Sid

    /**
     * Someone else's statement: S3 server access logs delivered into the bucket. (A deny-non-TLS statement is the
     * wire scenarios' case: moto applies it, as AWS would, to its own plain-HTTP callers.)
     */
    private static final String ACCESS_LOGS = "{\"Sid\":\"S3ServerAccessLogsPolicy\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},\"Action\":\"s3:PutObject\","
            + "\"Resource\":\"arn:aws:s3:::%s/access-logs/*\"}";

    /** Adds a statement of someone else's to the bucket policy, as a user or another tool would. */
    private void addAccessLogStatement() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode p = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(s3.getBucketPolicy(r -> r.bucket(bucket)).policy());
        ((com.fasterxml.jackson.databind.node.ArrayNode) p.path("Statement")).insert(0,
                JSON.readTree(String.format(ACCESS_LOGS, bucket)));
        s3.putBucketPolicy(r -> r.bucket(bucket).policy(p.toString()));
    }

    private List<String> sids(String policy) throws IOException {
        List<String> out = new ArrayList<>();
        JSON.readTree(policy).path("Statement").forEach(st -> out.add(st.path("Sid").asText()));
        return out;
    }

    @Test
    void deploy_onMoto_whenSomeoneAddedAStatement_keepsItAndSendsNoPutWhileOneclicksAreInPlace() throws IOException {
        Deployment first = deployer().deploy(request());
        String arn = first.resources().cloudFrontArn().orElseThrow();
        assertTrue(BucketPolicies.hasOwned(s3.getBucketPolicy(r -> r.bucket(bucket)).policy(), bucket, arn));
        addAccessLogStatement();
        calls.clear();

        deployer().deploy(request());

        assertEquals(0, count("PutBucketPolicy"), calls.toString());
        assertEquals(List.of("S3ServerAccessLogsPolicy", BucketPolicies.READ_SID, BucketPolicies.DENY_MANIFEST_SID),
                sids(s3.getBucketPolicy(r -> r.bucket(bucket)).policy()));

        // An older oneclick wrote only the read statement: the next deploy adds the manifest deny, keeping the rest.
        String withoutDeny = s3.getBucketPolicy(r -> r.bucket(bucket)).policy()
                .replace("\"" + BucketPolicies.DENY_MANIFEST_SID + "\"", "\"SomeoneElsesDeny\"");
        s3.putBucketPolicy(r -> r.bucket(bucket).policy(withoutDeny));
        calls.clear();
        Plan plan = deployer().plan(request());
        deployer().deploy(request());

        assertEquals(Plan.ResourceChange.Action.REPAIR, plan.resources().stream()
                .filter(r -> r.type().equals("S3 bucket policy")).findFirst().orElseThrow().action());
        assertEquals(1, count("PutBucketPolicy"), calls.toString());
        assertEquals(List.of("S3ServerAccessLogsPolicy", "SomeoneElsesDeny", BucketPolicies.READ_SID,
                BucketPolicies.DENY_MANIFEST_SID), sids(s3.getBucketPolicy(r -> r.bucket(bucket)).policy()));
    }

    @Test
    void destroy_onMoto_removesOnlyOneclicksStatementsBeforeDeletingTheBucket() throws IOException {
        deployer().deploy(request());
        addAccessLogStatement();
        calls.clear();
        policiesPut.clear();

        deployer().destroy(guid, USER);

        assertEquals(1, policiesPut.size(), calls.toString());
        assertEquals(List.of("S3ServerAccessLogsPolicy"), sids(policiesPut.get(0)));
        assertEquals(0, count("DeleteBucketPolicy"), calls.toString());
        List<String> ops = calls.stream().map(c -> c.substring(c.indexOf(':') + 1)).toList();
        assertTrue(ops.indexOf("PutBucketPolicy") < ops.indexOf("DeleteBucket"), calls.toString());
        assertFalse(bucketExists(bucket));
    }

    @Test
    void destroy_onMoto_whenThePolicyHoldsOnlyOneclicksStatements_deletesThePolicy() {
        deployer().deploy(request());
        calls.clear();

        deployer().destroy(guid, USER);

        assertEquals(1, count("DeleteBucketPolicy"), calls.toString());
        assertEquals(0, count("PutBucketPolicy"), calls.toString());
        assertFalse(bucketExists(bucket));
    }
}
