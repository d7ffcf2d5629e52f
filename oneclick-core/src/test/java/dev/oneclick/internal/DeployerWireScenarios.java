package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.errors.BucketNameTakenException;
import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.Deployment;
import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.Plan;
import dev.oneclick.errors.ProjectNotFoundException;
import dev.oneclick.fakes.FakeCloudFront;
import dev.oneclick.fakes.FakeS3Control;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.internal.aws.BucketManager;
import dev.oneclick.internal.aws.BucketPolicies;
import dev.oneclick.engine.internal.ProjectRecords;
import dev.oneclick.engine.internal.TrackerRecords;
import dev.oneclick.internal.aws.CdnManager;
import dev.oneclick.local.LocalAws;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudfront.model.CustomErrorResponse;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The deploy engine end to end: CloudFront and the S3 bucket controls through the in-memory fakes (control plane),
 * the bucket's objects through a real S3 endpoint (data plane) and the tracker through a real DynamoDB endpoint,
 * both from {@link LocalAws}. Subclasses choose the backend: {@link DeployerControlPlaneTest} runs on whatever
 * {@code LocalAws} picks (the emulators here, LocalStack where Docker runs), {@link DeployerLocalStackIT} forces
 * LocalStack.
 */
abstract class DeployerWireScenarios {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "user-42";

    @TempDir
    Path tmp;

    String guid;
    String bucket;
    Path site;
    FakeCloudFront cloudFront;
    FakeS3Control s3;
    DeploymentTracker tracker;
    Events events;
    final List<Deployer> opened = new ArrayList<>();

    /** The local AWS endpoints the test runs against. */
    abstract LocalAws aws();

    /** Records every listener event. */
    static final class Events implements DeployListener {
        final List<Object> all = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void progress(Progress e) {
            all.add(e);
        }

        @Override
        public void planned(Planned e) {
            all.add(e);
        }

        @Override
        public void resourceCreated(ResourceCreated e) {
            all.add(e);
        }

        @Override
        public void fileUploaded(FileUploaded e) {
            all.add(e);
        }

        @Override
        public void fileDeleted(FileDeleted e) {
            all.add(e);
        }

        @Override
        public void invalidationSent(InvalidationSent e) {
            all.add(e);
        }

        @Override
        public void finished(Finished e) {
            all.add(e);
        }

        <T> List<T> of(Class<T> type) {
            synchronized (all) {
                return all.stream().filter(type::isInstance).map(type::cast).toList();
            }
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        guid = UUID.randomUUID().toString();
        bucket = "tmux-builder-" + guid;
        cloudFront = new FakeCloudFront();
        s3 = new FakeS3Control(aws().s3Client());
        tracker = DeploymentTracker.builder().dynamoDbClient(aws().dynamoDbClient()).tableName("engine-tests")
                .pollInterval(Duration.ofMillis(50)).build();
        // the assertions read the table directly, so it must exist whichever test runs first
        tracker.ensureTable();
        events = new Events();
        site = tmp.resolve("dist");
        write("index.html", "<!doctype html><title>app</title><script src=\"/assets/app.3f9a2b1c.js\"></script>");
        write("about/index.html", "<!doctype html><title>about</title>");
        write("assets/app.3f9a2b1c.js", "console.log('hello');");
        write("assets/style.8d7e6f5a.css", "body{margin:0}");
        write("favicon.ico", "ico");
    }

    @AfterEach
    void closeDeployers() {
        opened.forEach(Deployer::close);
    }

    void write(String rel, String text) throws IOException {
        Path p = site.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    DeployerBuilder builder() {
        return DefaultDeployer.builder()
                .region("us-east-1")
                .s3Client(s3)
                .s3AsyncClient(aws().s3AsyncClient())
                .cloudFrontClient(cloudFront)
                .tracker(tracker)
                .listener(events)
                .concurrency(8)
                .pollInterval(Duration.ZERO)
                .sleeper(d -> { });
    }

    DefaultDeployer deployer() {
        return open(builder());
    }

    DefaultDeployer open(DeployerBuilder b) {
        DefaultDeployer d = b.build();
        opened.add(d);
        return d;
    }

    DeployRequest request() {
        return DeployRequest.builder().guid(guid).userId(USER).projectName("Demo").siteDir(site).build();
    }

    DeploymentRecord record() {
        return tracker.get(USER, guid).orElseThrow();
    }

    boolean bucketExists() {
        try {
            aws().s3Client().headBucket(r -> r.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        }
    }

    /** Passes every call to {@code real}; tests override the calls they watch or break. */
    static class ForwardingRecords implements ProjectRecords {
        final ProjectRecords real;

        ForwardingRecords(ProjectRecords real) {
            this.real = real;
        }

        @Override
        public void ensureReady() {
            real.ensureReady();
        }

        @Override
        public Optional<DeploymentRecord> get(String userId, String projectId) {
            return real.get(userId, projectId);
        }

        @Override
        public Optional<DeploymentRecord> findByProjectId(String projectId) {
            return real.findByProjectId(projectId);
        }

        @Override
        public DeploymentRecord recordResources(String userId, String projectId, String projectName,
                AwsResources resources) {
            return real.recordResources(userId, projectId, projectName, resources);
        }

        @Override
        public DeploymentRecord forgetResources(String userId, String projectId, java.util.Collection<String> keys) {
            return real.forgetResources(userId, projectId, keys);
        }

        @Override
        public DeploymentTracker.LeaseGrant acquireLease(String userId, String projectId, String runId,
                String holder, Duration ttl) {
            return real.acquireLease(userId, projectId, runId, holder, ttl);
        }

        @Override
        public boolean renewLease(String userId, String projectId, String runId, Duration ttl) {
            return real.renewLease(userId, projectId, runId, ttl);
        }

        @Override
        public boolean releaseLease(String userId, String projectId, String runId, boolean removeBareItem) {
            return real.releaseLease(userId, projectId, runId, removeBareItem);
        }

        @Override
        public DeploymentRecord updateStatus(String userId, String projectId, String projectName,
                DeploymentStatus status, String error) {
            return real.updateStatus(userId, projectId, projectName, status, error);
        }
    }

    /** A record store that fails when the distribution is to be recorded: a crash between create and record. */
    static ProjectRecords failingOnDistribution(ProjectRecords real) {
        return new ForwardingRecords(real) {
            @Override
            public DeploymentRecord recordResources(String userId, String projectId, String projectName,
                    AwsResources resources) {
                if (resources.cloudFrontId().isPresent()) {
                    throw new dev.oneclick.errors.TrackerException("injected: the process died before recording "
                            + resources.cloudFrontId().get());
                }
                return super.recordResources(userId, projectId, projectName, resources);
            }
        };
    }

    /** What the fakes and the bucket held at the moment of one write to the record store. */
    record Write(String what, List<String> s3Calls, List<String> cloudFrontCalls, int objects) {
        String lastCloudFrontCall() {
            return cloudFrontCalls.isEmpty() ? null : cloudFrontCalls.get(cloudFrontCalls.size() - 1);
        }

        String lastS3Call() {
            return s3Calls.isEmpty() ? null : s3Calls.get(s3Calls.size() - 1);
        }
    }

    int objectsInBucket() {
        try {
            return aws().s3Client().listObjectsV2(r -> r.bucket(bucket)).keyCount();
        } catch (NoSuchBucketException e) {
            return -1;
        }
    }

    /** A record store that notes, at every write, what had been called on AWS and what the bucket held. */
    ProjectRecords observing(ProjectRecords real, List<Write> writes) {
        return new ForwardingRecords(real) {
            private void note(String what) {
                writes.add(new Write(what, s3.calls(), cloudFront.calls(), objectsInBucket()));
            }

            @Override
            public DeploymentRecord recordResources(String userId, String projectId, String projectName,
                    AwsResources resources) {
                note("resources " + new java.util.TreeSet<>(resources.asMap().keySet()));
                return super.recordResources(userId, projectId, projectName, resources);
            }

            @Override
            public DeploymentRecord forgetResources(String userId, String projectId,
                    java.util.Collection<String> keys) {
                note("forget " + new java.util.TreeSet<>(keys));
                return super.forgetResources(userId, projectId, keys);
            }

            @Override
            public DeploymentRecord updateStatus(String userId, String projectId, String projectName,
                    DeploymentStatus status, String error) {
                note("status " + status);
                return super.updateStatus(userId, projectId, projectName, status, error);
            }
        };
    }

    // ============================================================== first deploy

    @Test
    void deploy_whenFirstRun_createsPrivateBucketOacDistributionAndRecordsEveryResource() throws Exception {
        Deployment d = deployer().deploy(request());

        String distId = cloudFront.distributionIds().get(0);
        AwsResources res = d.resources();
        assertEquals(bucket, res.s3Bucket().orElseThrow());
        assertEquals("us-east-1", res.region().orElseThrow());
        assertEquals(distId, res.cloudFrontId().orElseThrow());
        assertEquals("arn:aws:cloudfront::" + FakeCloudFront.ACCOUNT + ":distribution/" + distId,
                res.cloudFrontArn().orElseThrow());
        assertTrue(res.cloudFrontUrl().orElseThrow().matches("https://d[a-z0-9]+\\.cloudfront\\.net"));
        assertEquals(res.cloudFrontUrl(), res.siteUrl());
        assertEquals(cloudFront.originAccessControlIds().get(0), res.originAccessControlId().orElseThrow());
        assertEquals(res.cloudFrontUrl().orElseThrow(), d.url());

        DeploymentRecord rec = record();
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), rec.status());
        assertEquals(res, rec.awsResources());
        assertEquals("Demo", rec.projectName());
        assertTrue(rec.lastError().isEmpty());

        FakeS3Control.Control control = s3.control(bucket);
        assertEquals("us-east-1", control.location);
        assertTrue(control.publicAccessBlock.blockPublicAcls() && control.publicAccessBlock.ignorePublicAcls()
                && control.publicAccessBlock.blockPublicPolicy() && control.publicAccessBlock.restrictPublicBuckets());
        assertEquals("BucketOwnerEnforced", control.ownership.rules().get(0).objectOwnershipAsString());
        assertEquals("AES256", control.encryption.rules().get(0).applyServerSideEncryptionByDefault()
                .sseAlgorithmAsString());
        assertEquals(guid, control.tags.get(ResourceNames.TAG_PROJECT_GUID));
        assertEquals(USER, control.tags.get(ResourceNames.TAG_USER_ID));

        JsonNode st = JSON.readTree(control.policy).path("Statement");
        assertEquals(2, st.size());
        assertEquals(BucketPolicies.READ_SID, st.get(0).path("Sid").asText());
        assertEquals("Deny", st.get(1).path("Effect").asText());
        assertEquals("cloudfront.amazonaws.com", st.get(1).path("Principal").path("Service").asText());
        assertEquals("arn:aws:s3:::" + bucket + "/.oneclick/*", st.get(1).path("Resource").asText());
        assertEquals("Allow", st.get(0).path("Effect").asText());
        assertEquals("cloudfront.amazonaws.com", st.get(0).path("Principal").path("Service").asText());
        assertEquals("s3:GetObject", st.get(0).path("Action").asText());
        assertEquals("arn:aws:s3:::" + bucket + "/*", st.get(0).path("Resource").asText());
        assertEquals(res.cloudFrontArn().orElseThrow(),
                st.get(0).path("Condition").path("StringEquals").path("AWS:SourceArn").asText());

        DistributionConfig c = cloudFront.config(distId);
        Origin origin = c.origins().items().get(0);
        assertEquals(1, c.origins().quantity());
        assertEquals(bucket + ".s3.us-east-1.amazonaws.com", origin.domainName());
        assertEquals(res.originAccessControlId().orElseThrow(), origin.originAccessControlId());
        assertEquals("", origin.s3OriginConfig().originAccessIdentity());
        assertEquals("redirect-to-https", c.defaultCacheBehavior().viewerProtocolPolicyAsString());
        assertTrue(c.defaultCacheBehavior().compress());
        assertEquals(CdnManager.CACHING_OPTIMIZED, c.defaultCacheBehavior().cachePolicyId());
        assertEquals("index.html", c.defaultRootObject());
        assertEquals("tmux-builder-" + guid, c.comment());
        assertEquals("tmux-builder-" + guid, c.callerReference());
        // routing ROUTES (the default): a viewer-request function, no 403/404 to index.html (a missing file stays 404)
        assertEquals(0, c.customErrorResponses().quantity());
        String function = record().oneclickResources().getString("spaFunctionArn").orElseThrow();
        assertEquals(List.of(function), c.defaultCacheBehavior().functionAssociations().items().stream()
                .filter(a -> a.eventTypeAsString().equals("viewer-request"))
                .map(a -> a.functionARN()).toList());
        assertTrue(function.endsWith(":function/tmux-builder-" + guid + "-spa"), function);
        assertEquals(guid, cloudFront.tags(distId).get(ResourceNames.TAG_PROJECT_GUID));

        assertEquals(5, d.filesUploaded());
        assertEquals(4, d.created().size());
        assertTrue(d.reused().isEmpty());
        assertNull(d.invalidationId(), "a new distribution has nothing cached to invalidate");
        assertEquals("text/html;charset=utf-8", aws().s3Client().headObject(r -> r.bucket(bucket)
                .key("index.html")).contentType().replace(" ", "").toLowerCase(java.util.Locale.ROOT));

        assertEquals(1, events.of(DeployListener.Planned.class).size());
        assertEquals(4, events.of(DeployListener.ResourceCreated.class).size());
        assertEquals(5, events.of(DeployListener.FileUploaded.class).size());
        List<DeployListener.Finished> finished = events.of(DeployListener.Finished.class);
        assertEquals(1, finished.size());
        assertNull(finished.get(0).error());
        assertEquals(d, finished.get(0).deployment());
    }

    @Test
    void deploy_whenRegionIsNotUsEast1_createsTheBucketThereAndPointsTheOriginAtItsRegionalEndpoint() {
        Deployment d = open(builder().region("eu-west-1")).deploy(request());

        assertEquals("eu-west-1", s3.control(bucket).location);
        assertEquals(Optional.of("eu-west-1"), d.resources().region());
        assertEquals(bucket + ".s3.eu-west-1.amazonaws.com", cloudFront.config(d.resources().cloudFrontId()
                .orElseThrow()).origins().items().get(0).domainName());
        assertEquals(Optional.of("eu-west-1"), record().awsResources().region());
    }

    @Test
    void deploy_whenSomeoneAddedADenyNonTlsStatement_keepsItOnRedeployAndDestroyTakesOnlyOneclicks() throws Exception {
        deployer().deploy(request());
        com.fasterxml.jackson.databind.node.ObjectNode p = (com.fasterxml.jackson.databind.node.ObjectNode) JSON
                .readTree(s3.control(bucket).policy);
        ((com.fasterxml.jackson.databind.node.ArrayNode) p.path("Statement")).add(JSON.readTree("{\"Sid\":"
                + "\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":"
                + "[\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"],\"Condition\":{\"Bool\":"
                + "{\"aws:SecureTransport\":\"false\"}}}"));
        s3.putBucketPolicy(r -> r.bucket(bucket).policy(p.toString()));
        long puts = s3.count("PutBucketPolicy");

        deployer().deploy(request());
        deployer().deploy(request());

        assertEquals(puts, s3.count("PutBucketPolicy"), "an unchanged policy sends no PutBucketPolicy");
        List<String> sids = new ArrayList<>();
        JSON.readTree(s3.control(bucket).policy).path("Statement").forEach(st -> sids.add(st.path("Sid").asText()));
        assertEquals(List.of(BucketPolicies.READ_SID, BucketPolicies.DENY_MANIFEST_SID, "DenyInsecureTransport"), sids);

        deployer().destroy(guid, USER);

        assertEquals(puts + 1, s3.count("PutBucketPolicy"), "destroy writes back the others' statements");
        assertEquals(0, s3.count("DeleteBucketPolicy"));
        assertFalse(bucketExists());
    }

    @Test
    void deploy_whenRerunWithNothingChanged_createsNoSecondDistributionAndUploadsNothing() {
        DefaultDeployer deployer = deployer();
        Deployment first = deployer.deploy(request());

        Plan plan = deployer.plan(request());
        Deployment second = deployer.deploy(request());

        assertTrue(plan.isEmpty(), plan.toString());
        assertEquals(0, second.filesUploaded());
        assertEquals(0, second.filesDeleted());
        assertEquals(5, second.filesUnchanged());
        assertTrue(second.created().isEmpty());
        assertEquals(4, second.reused().size());
        assertEquals(1, cloudFront.count("CreateDistributionWithTags"));
        assertEquals(1, cloudFront.count("CreateOriginAccessControl"));
        assertEquals(0, cloudFront.count("UpdateDistribution"));
        assertEquals(1, s3.count("CreateBucket"));
        assertEquals(1, s3.count("PutBucketPolicy"));
        assertEquals(first.resources(), second.resources());
        assertNull(second.invalidationId());
    }

    @Test
    void deploy_whenAPageChanges_uploadsItAndInvalidatesIt() throws IOException {
        DefaultDeployer deployer = deployer();
        deployer.deploy(request());
        write("about/index.html", "<!doctype html><title>about us</title>");

        Deployment d = deployer.deploy(request());

        assertEquals(1, d.filesUploaded());
        assertNotNull(d.invalidationId());
        assertTrue(d.invalidatedPaths().stream().anyMatch(p -> p.startsWith("/about")), d.invalidatedPaths().toString());
        String distId = d.resources().cloudFrontId().orElseThrow();
        assertEquals(1, cloudFront.invalidations(distId).size());
        assertEquals(d.invalidatedPaths(), cloudFront.invalidations(distId).get(0).invalidationBatch().paths().items());
        List<DeployListener.InvalidationSent> sent = events.of(DeployListener.InvalidationSent.class);
        assertEquals(1, sent.size());
        assertEquals(d.invalidationId(), sent.get(0).invalidationId());
    }

    @Test
    void deploy_recordsDeployingBeforeTheFirstResourceEachResourceAsSoonAsItExistsAndDeployedLast() {
        List<Write> writes = Collections.synchronizedList(new ArrayList<>());

        open(builder().records(observing(new TrackerRecords(tracker), writes))).deploy(request());

        List<String> order = writes.stream().map(Write::what).toList();
        assertEquals(List.of("status DEPLOYING", "resources [region, s3Bucket]", "resources [originAccessControlId]",
                "resources [spaFunctionArn]", "resources [cloudFrontArn, cloudFrontId, cloudFrontUrl, siteUrl]"),
                order.subList(0, 5), order.toString());
        assertEquals("status DEPLOYED", order.get(order.size() - 1), order.toString());
        assertTrue(order.stream().noneMatch(w -> w.contains("FAILED")), order.toString());

        Write deploying = writes.get(0);
        assertFalse(deploying.s3Calls().contains("CreateBucket"), deploying.toString());
        assertTrue(deploying.cloudFrontCalls().stream().noneMatch(c -> c.startsWith("Create")), deploying.toString());
        assertEquals(-1, deploying.objects(), "no bucket yet");

        Write bucketRecorded = writes.get(1);
        assertEquals("CreateBucket", bucketRecorded.lastS3Call(), "recorded right after CreateBucket, before its settings");
        assertEquals(0, bucketRecorded.objects());
        assertEquals("CreateOriginAccessControl", writes.get(2).lastCloudFrontCall());
        assertEquals("PublishFunction", writes.get(3).lastCloudFrontCall());
        Write distRecorded = writes.get(4);
        assertEquals("CreateDistributionWithTags", distRecorded.lastCloudFrontCall());
        assertFalse(distRecorded.s3Calls().contains("PutBucketPolicy"), distRecorded.toString());
        assertEquals(0, distRecorded.objects(), "recorded before any file is uploaded");

        Write deployed = writes.get(writes.size() - 1);
        assertTrue(deployed.s3Calls().contains("PutBucketPolicy"));
        assertTrue(deployed.objects() >= 5, deployed.toString());
    }

    @Test
    void deploy_whenWaitForDeployedTimesOut_finishesDeployedAndSaysTheDistributionIsStillDeploying() {
        cloudFront.readsToDeploy(1_000_000);

        Deployment d = deployer().deploy(request().toBuilder().waitForDeployed(true).waitTimeout(Duration.ZERO)
                .build());

        String distId = d.resources().cloudFrontId().orElseThrow();
        assertEquals("InProgress", cloudFront.status(distId));
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
        assertTrue(events.of(DeployListener.Progress.class).stream()
                .anyMatch(p -> p.message().contains(distId) && p.message().contains("still InProgress")),
                events.of(DeployListener.Progress.class).toString());
    }

    @Test
    void deploy_whenProjectIsRecordedInAnotherRegion_throwsInvalidInputNamingRegionAndCreatesNothing() {
        deployer().deploy(request());
        int s3Calls = s3.calls().size();

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> open(builder().region("eu-west-1")).deploy(request()));

        assertEquals("region", e.field());
        assertTrue(e.getMessage().contains("us-east-1"), e.getMessage());
        assertEquals(s3Calls, s3.calls().size());
        assertEquals(1, cloudFront.distributionIds().size());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
    }

    @Test
    void deploy_whenProjectDirAndBuildCommand_runsTheBuildStreamsItsOutputAndDeploysDist() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));

        Deployment d = deployer().deploy(DeployRequest.builder().guid(guid).userId(USER).projectDir(project)
                .buildCommand("mkdir -p dist && printf '<!doctype html><title>built</title>' > dist/index.html"
                        + " && echo build-output-line")
                .build());

        assertEquals(1, d.filesUploaded());
        assertTrue(events.of(DeployListener.Progress.class).stream()
                .anyMatch(p -> p.message().contains("build-output-line")), events.all.toString());
        assertEquals(1, aws().s3Client().listObjectsV2(r -> r.bucket(bucket).prefix("index.html")).keyCount());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
    }

    @Test
    void deploy_whenBuildCommandFails_throwsBuildFailedWithItsOutputAndCreatesNothing() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));

        dev.oneclick.errors.BuildFailedException e = assertThrows(dev.oneclick.errors.BuildFailedException.class,
                () -> deployer().deploy(DeployRequest.builder().guid(guid).userId(USER).projectDir(project)
                        .buildCommand("echo 'cannot find module vite' >&2; exit 3").build()));

        assertEquals(3, e.exitCode());
        assertTrue(e.getMessage().contains("cannot find module vite"), e.getMessage());
        assertTrue(s3.calls().isEmpty(), s3.calls().toString());
        assertTrue(cloudFront.calls().isEmpty(), cloudFront.calls().toString());
        assertTrue(tracker.get(USER, guid).isEmpty());
    }

    @Test
    void deploy_whenBucketAndDistributionWereChangedByHand_plansRepairsAndRestoresThem() {
        DefaultDeployer deployer = deployer();
        Deployment first = deployer.deploy(request());
        String distId = first.resources().cloudFrontId().orElseThrow();
        s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c.blockPublicAcls(false)
                .ignorePublicAcls(false).blockPublicPolicy(false).restrictPublicBuckets(false)));
        s3.putBucketPolicy(r -> r.bucket(bucket).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket
                + "/*\"}]}"));
        String etag = cloudFront.getDistributionConfig(r -> r.id(distId)).eTag();
        cloudFront.updateDistribution(r -> r.id(distId).ifMatch(etag).distributionConfig(cloudFront.config(distId)
                .toBuilder().defaultCacheBehavior(b -> b.targetOriginId("s3-" + bucket).viewerProtocolPolicy("allow-all")
                        .cachePolicyId(CdnManager.CACHING_OPTIMIZED).compress(false)).build()));

        Plan plan = deployer.plan(request());
        deployer.deploy(request());

        assertEquals(List.of("S3 bucket", "CloudFront distribution", "S3 bucket policy"), plan.resources().stream()
                .filter(r -> r.action() == Plan.ResourceChange.Action.REPAIR).map(Plan.ResourceChange::type).toList(),
                plan.resources().toString());
        FakeS3Control.Control control = s3.control(bucket);
        assertTrue(control.publicAccessBlock.blockPublicAcls() && control.publicAccessBlock.ignorePublicAcls()
                && control.publicAccessBlock.blockPublicPolicy() && control.publicAccessBlock.restrictPublicBuckets());
        assertTrue(BucketManager.policyMatches(control.policy, bucket, first.resources().cloudFrontArn().orElseThrow()));
        assertEquals("redirect-to-https", cloudFront.config(distId).defaultCacheBehavior().viewerProtocolPolicyAsString());
        assertTrue(cloudFront.config(distId).defaultCacheBehavior().compress());
        assertEquals(List.of(distId), cloudFront.distributionIds());
        assertEquals(1, s3.count("CreateBucket"));
    }

    @Test
    void deploy_whenTheUserReplacedTheLifecycleRules_addsTheAbortRuleBackAndKeepsTheirs() {
        DefaultDeployer deployer = deployer();
        deployer.deploy(request());
        assertEquals(List.of("oneclick-abort-incomplete-multipart-uploads"), s3.control(bucket).lifecycle.stream()
                .map(software.amazon.awssdk.services.s3.model.LifecycleRule::id).toList());
        s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(r2 -> r2
                .id("expire-logs").status("Enabled").filter(f -> f.prefix("logs/")).expiration(e -> e.days(30)))));
        long settingsWrites = s3.count("PutPublicAccessBlock");

        Plan plan = deployer.plan(request());
        deployer.deploy(request());
        deployer.deploy(request());

        assertEquals(List.of("S3 bucket"), plan.resources().stream()
                .filter(r -> r.action() == Plan.ResourceChange.Action.REPAIR).map(Plan.ResourceChange::type).toList());
        assertEquals(List.of("expire-logs", "oneclick-abort-incomplete-multipart-uploads"), s3.control(bucket)
                .lifecycle.stream().map(software.amazon.awssdk.services.s3.model.LifecycleRule::id).toList());
        assertEquals(3, s3.count("PutBucketLifecycleConfiguration"),
                "the first deploy's, the user's, the repair's; none on the unchanged rerun");
        assertEquals(settingsWrites, s3.count("PutPublicAccessBlock"), "only the rule was missing");
    }

    @Test
    void plan_beforeFirstDeploy_listsCreatesAndUploadsAndWritesNothing() {
        Plan plan = deployer().plan(request());

        assertEquals(bucket, plan.bucket());
        assertEquals(List.of(Plan.ResourceChange.Action.CREATE), plan.resources().stream()
                .map(Plan.ResourceChange::action).distinct().toList());
        assertEquals(5, plan.resources().size());
        assertEquals(5, plan.uploads().size());
        assertTrue(plan.invalidations().isEmpty());
        assertTrue(cloudFront.isEmpty());
        assertTrue(cloudFront.calls().stream().allMatch(c -> c.startsWith("List") || c.startsWith("Describe")),
                cloudFront.calls().toString());
        assertEquals(List.of("HeadBucket"), s3.calls());
        assertFalse(bucketExists());
        assertTrue(tracker.get(USER, guid).isEmpty());
    }

    @Test
    void plan_whenBuildCommandGivenWithoutPlanBuild_doesNotRunTheBuildAndPlansTheFolderAsItIs() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve("dist"));
        Files.writeString(project.resolve("dist/index.html"), "<!doctype html><title>old</title>");
        DeployRequest r = DeployRequest.builder().guid(guid).userId(USER).projectDir(project)
                .buildCommand("touch build-ran && printf 'new' > dist/new.html").build();

        Plan plan = deployer().plan(r);

        assertFalse(Files.exists(project.resolve("build-ran")), "plan ran the build command");
        assertEquals(List.of("index.html"), plan.uploads().stream().map(Plan.FileChange::key).toList());
        assertTrue(events.of(DeployListener.Progress.class).stream()
                .anyMatch(p -> p.message().contains("does not run the build command")), events.all.toString());
    }

    @Test
    void plan_whenPlanBuildIsSet_runsTheBuildFirst() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        DeployRequest r = DeployRequest.builder().guid(guid).userId(USER).projectDir(project).planBuild(true)
                .buildCommand("mkdir -p dist && printf '<!doctype html>' > dist/index.html").build();

        Plan plan = deployer().plan(r);

        assertEquals(List.of("index.html"), plan.uploads().stream().map(Plan.FileChange::key).toList());
        assertFalse(bucketExists());
    }

    @Test
    void plan_whenTrackerTableDoesNotExistYet_readsNothingAndCreatesNoTable() {
        String table = "engine-plan-" + UUID.randomUUID().toString().substring(0, 8);
        DeploymentTracker fresh = DeploymentTracker.builder().dynamoDbClient(aws().dynamoDbClient())
                .tableName(table).build();
        DefaultDeployer deployer = open(builder().tracker(fresh));

        Plan plan = deployer.plan(request());

        assertEquals(5, plan.uploads().size());
        assertTrue(deployer.status(guid, USER).isEmpty());
        assertFalse(aws().dynamoDbClient().listTables().tableNames().contains(table));
    }

    @Test
    void status_afterDeploy_returnsTheRecord() {
        DefaultDeployer deployer = deployer();
        Deployment d = deployer.deploy(request());

        DeploymentRecord rec = deployer.status(guid.toUpperCase(), USER).orElseThrow();

        assertEquals(d.resources(), rec.awsResources());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), rec.status());
        assertTrue(deployer.status(UUID.randomUUID().toString(), USER).isEmpty());
    }

    @Test
    void deploy_whenWaitForDeployed_pollsUntilTheDistributionIsDeployed() {
        cloudFront.readsToDeploy(4);

        Deployment d = deployer().deploy(request().toBuilder().waitForDeployed(true).build());

        assertEquals("Deployed", cloudFront.status(d.resources().cloudFrontId().orElseThrow()));
    }

    @Test
    void deploy_whenSpaFallbackTurnedOffAndEtagGoesStale_retriesTheUpdateWithAFreshEtag() {
        DefaultDeployer deployer = deployer();
        Deployment first = deployer.deploy(request());
        String distId = first.resources().cloudFrontId().orElseThrow();
        cloudFront.changeBehindNextUpdate();

        Plan plan = deployer.plan(request().toBuilder().spaFallback(false).build());
        deployer.deploy(request().toBuilder().spaFallback(false).build());

        assertTrue(plan.resources().stream().anyMatch(r -> r.type().equals("CloudFront distribution")
                && r.action() == Plan.ResourceChange.Action.REPAIR), plan.resources().toString());
        assertEquals(2, cloudFront.count("UpdateDistribution"));
        assertEquals(0, cloudFront.config(distId).customErrorResponses().items().size());
        assertEquals(1, cloudFront.distributionIds().size());
    }

    // ============================================================== crashes and reruns

    @Test
    void deploy_whenCrashAfterCreateDistributionBeforeRecording_rerunFindsItByComment() {
        DefaultDeployer crashing = open(builder().records(failingOnDistribution(new TrackerRecords(tracker))));
        assertThrows(dev.oneclick.errors.TrackerException.class, () -> crashing.deploy(request()));
        String created = cloudFront.distributionIds().get(0);
        DeploymentRecord failed = record();
        assertEquals(Optional.of(DeploymentStatus.FAILED), failed.status());
        assertTrue(failed.lastError().orElseThrow().contains("injected"));
        assertTrue(failed.awsResources().cloudFrontId().isEmpty());
        assertEquals(Optional.of(bucket), failed.awsResources().s3Bucket());

        Deployment rerun = deployer().deploy(request());

        assertEquals(List.of(created), cloudFront.distributionIds());
        assertEquals(1, cloudFront.count("CreateDistributionWithTags"));
        assertEquals(created, rerun.resources().cloudFrontId().orElseThrow());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
        assertTrue(record().lastError().isEmpty());
    }

    @Test
    void deploy_whenCreateDistributionAnswerIsLost_failsTypedAndRerunFindsTheDistribution() {
        cloudFront.failAfterNextCreate();
        AwsRequestException e = assertThrows(AwsRequestException.class, () -> deployer().deploy(request()));
        assertEquals("CreateDistributionWithTags", e.operation());
        assertEquals(Optional.of(DeploymentStatus.FAILED), record().status());

        Deployment rerun = deployer().deploy(request());

        assertEquals(1, cloudFront.distributionIds().size());
        assertEquals(cloudFront.distributionIds().get(0), rerun.resources().cloudFrontId().orElseThrow());
        assertNotNull(s3.control(bucket).policy);
    }

    // ============================================================== refused input

    @Test
    void deploy_whenBucketNameOwnedByAnotherAccount_throwsBucketNameTakenAndRecordsNothing() {
        s3.registerForeignBucket(bucket);

        BucketNameTakenException e = assertThrows(BucketNameTakenException.class, () -> deployer().deploy(request()));

        assertEquals(bucket, e.bucket());
        assertTrue(e.getMessage().contains("another AWS account"), e.getMessage());
        assertTrue(e.getMessage().contains("lack s3:ListBucket"), e.getMessage());
        List<DeployListener.Finished> finished = events.of(DeployListener.Finished.class);
        assertEquals(1, finished.size());
        assertEquals(e, finished.get(0).error());
        assertTrue(tracker.get(USER, guid).isEmpty());
        assertEquals(0, s3.count("CreateBucket"));
        assertTrue(cloudFront.isEmpty());
    }

    @Test
    void createBucket_whenNameTakenBetweenHeadAndCreate_throwsBucketNameTaken() {
        BucketManager buckets = new BucketManager(s3, AwsCall.standard(d -> { }), false, DeployListener.NONE, guid);
        assertEquals(BucketManager.BucketState.MISSING, buckets.inspect(bucket, "us-east-1"));
        s3.registerForeignBucket(bucket);

        BucketNameTakenException e = assertThrows(BucketNameTakenException.class,
                () -> buckets.create(bucket, "us-east-1"));

        assertEquals("BucketAlreadyExists", ((S3Exception) e.getCause()).awsErrorDetails().errorCode());
        assertFalse(bucketExists());
    }

    @Test
    void putBucketPolicy_whenPublicUnderBlockPublicAccess_isRefusedButTheCloudFrontPolicyIsAccepted() {
        Deployment d = deployer().deploy(request());
        String publicPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket + "/*\"}]}";

        S3Exception e = assertThrows(S3Exception.class, () -> s3.putBucketPolicy(r -> r.bucket(bucket)
                .policy(publicPolicy)));

        assertEquals(403, e.statusCode());
        assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
        assertTrue(BucketManager.policyMatches(s3.control(bucket).policy, bucket,
                d.resources().cloudFrontArn().orElseThrow()));
    }

    @Test
    void deploy_whenGuidInvalid_throwsInvalidGuidAndTouchesNothing() {
        InvalidGuidException e = assertThrows(InvalidGuidException.class,
                () -> deployer().deploy(request().toBuilder().guid("../../etc/passwd").build()));

        assertEquals("guid", e.field());
        assertTrue(cloudFront.calls().isEmpty());
        assertTrue(s3.calls().isEmpty());
        assertTrue(events.all.isEmpty());
    }

    @Test
    void deploy_whenSiteFolderMissing_throwsInvalidInputAndTouchesNothing() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> deployer().deploy(request().toBuilder().siteDir(tmp.resolve("nope")).build()));

        assertEquals("siteDir", e.field());
        assertTrue(cloudFront.calls().isEmpty());
        assertTrue(s3.calls().isEmpty());
        assertTrue(tracker.get(USER, guid).isEmpty());
    }

    @Test
    void deploy_whenSiteHasNoIndexHtml_throwsInvalidInputAndTouchesNothing() throws IOException {
        Files.delete(site.resolve("index.html"));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> deployer().deploy(request()));

        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("index.html"), e.getMessage());
        assertTrue(cloudFront.calls().isEmpty());
        assertTrue(s3.calls().isEmpty());
        assertTrue(tracker.get(USER, guid).isEmpty());
    }

    @Test
    void deploy_whenUserIdBlank_throwsInvalidInputNamingUserId() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> deployer().deploy(request().toBuilder().userId(" ").build()));

        assertEquals("userId", e.field());
        assertTrue(cloudFront.calls().isEmpty());
        assertTrue(s3.calls().isEmpty());
    }

    @Test
    void deploy_whenGuidBelongsToAnotherUser_throwsInvalidInputNamingUserIdAndChangesNothing() {
        DefaultDeployer deployer = deployer();
        Deployment mine = deployer.deploy(request());
        int callsBefore = cloudFront.calls().size();

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> deployer.deploy(request().toBuilder().userId("intruder").build()));
        InvalidInputException d = assertThrows(InvalidInputException.class,
                () -> deployer.destroy(guid, "intruder"));

        assertEquals("userId", e.field());
        assertEquals("userId", d.field());
        assertTrue(e.getMessage().contains("belongs to another user"), e.getMessage());
        assertEquals(callsBefore, cloudFront.calls().size());
        assertTrue(tracker.get("intruder", guid).isEmpty());
        assertEquals(mine.resources(), record().awsResources());
    }

    @Test
    void deploy_whenAnotherUsersRecordWasCreatedFirst_refusesTheLaterRecordsUserAndServesTheOwner() {
        // the backend created the project a day ago; a run under another user id wrote a record of its own since
        DeploymentTracker yesterday = DeploymentTracker.builder().dynamoDbClient(aws().dynamoDbClient())
                .tableName(tracker.tableName()).clock(java.time.Clock.offset(java.time.Clock.systemUTC(),
                        Duration.ofDays(-1))).build();
        yesterday.save("zz-backend-owner", guid, "Demo", AwsResources.empty());
        tracker.save("aa-later", guid, "Demo", AwsResources.empty());
        DefaultDeployer deployer = deployer();

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> deployer.deploy(request().toBuilder().userId("aa-later").build()));
        Deployment owners = deployer.deploy(request().toBuilder().userId("zz-backend-owner").build());

        assertEquals("userId", e.field());
        assertTrue(e.getMessage().contains("'zz-backend-owner'"), e.getMessage());
        assertEquals(List.of("zz-backend-owner", "aa-later"), deployer.recordedUserIds(guid.toUpperCase()));
        assertTrue(owners.resources().s3Bucket().isPresent());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), tracker.get("zz-backend-owner", guid).orElseThrow()
                .status());
        assertTrue(tracker.get("aa-later", guid).orElseThrow().status().isEmpty(), "the later record was not used");
    }

    @Test
    void recordedUserIds_whenNoRecord_isEmpty() {
        assertEquals(List.of(), deployer().recordedUserIds(guid));
    }

    @Test
    void deploy_whenRecordIsLostAndBucketTaggedForAnotherUser_throwsInvalidInputNamingUserId() {
        deployer().deploy(request());
        DeploymentTracker emptyTable = DeploymentTracker.builder().dynamoDbClient(aws().dynamoDbClient())
                .tableName("engine-tests-empty").pollInterval(Duration.ofMillis(50)).build();
        DefaultDeployer withoutRecord = open(builder().tracker(emptyTable));

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> withoutRecord.deploy(request().toBuilder().userId("someone-else").build()));

        assertEquals("userId", e.field());
        assertTrue(e.getMessage().contains("tagged for user id '" + USER + "'"), e.getMessage());
        assertEquals(1, cloudFront.count("CreateDistributionWithTags"));
        assertEquals(USER, s3.control(bucket).tags.get(ResourceNames.TAG_USER_ID));
    }

    // ============================================================== destroy

    @Test
    void emptyAndDelete_whenBucketHoldsMoreThanOnePage_deletesEveryObjectAndTheBucket() {
        BucketManager buckets = new BucketManager(s3, AwsCall.standard(d -> { }), false, DeployListener.NONE, guid);
        buckets.create(bucket, "us-east-1");
        for (int i = 0; i < 1005; i++) {
            String key = String.format("k/%04d.txt", i);
            aws().s3Client().putObject(r -> r.bucket(bucket).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
        }

        int deleted = buckets.emptyAndDelete(bucket);

        assertEquals(1005, deleted);
        assertFalse(bucketExists());
        assertTrue(s3.count("ListObjectVersions") >= 2, s3.calls().toString());
    }

    @Test
    void destroy_afterFailedDeploy_removesBucketDistributionAndOacAndMarksDestroyed() {
        DefaultDeployer crashing = open(builder().records(failingOnDistribution(new TrackerRecords(tracker))));
        assertThrows(dev.oneclick.errors.TrackerException.class, () -> crashing.deploy(request()));
        assertTrue(bucketExists());
        assertEquals(1, cloudFront.distributionIds().size());

        DeploymentRecord rec = deployer().destroy(guid, USER);

        assertEquals(Optional.of(DeploymentStatus.DESTROYED), rec.status());
        assertFalse(bucketExists());
        assertTrue(cloudFront.isEmpty(), cloudFront.calls().toString());
        assertTrue(rec.awsResources().s3Bucket().isEmpty());
        assertTrue(rec.awsResources().cloudFrontId().isEmpty());
        assertTrue(rec.awsResources().originAccessControlId().isEmpty());
        assertEquals(Optional.of(DeploymentStatus.DESTROYED), record().status());
    }

    @Test
    void destroy_disablesTheDistributionBeforeDeletingItsBucket() {
        deployer().deploy(request());
        List<Write> writes = Collections.synchronizedList(new ArrayList<>());

        open(builder().records(observing(new TrackerRecords(tracker), writes))).destroy(guid, USER);

        Write bucketGone = writes.stream().filter(w -> w.what().equals("forget [s3Bucket]")).findFirst()
                .orElseThrow(() -> new AssertionError(writes.toString()));
        assertTrue(bucketGone.s3Calls().contains("DeleteBucket"), bucketGone.toString());
        assertTrue(bucketGone.cloudFrontCalls().contains("UpdateDistribution"),
                "the distribution is disabled before the bucket is deleted: " + bucketGone);
        assertEquals(Optional.of(DeploymentStatus.DESTROYED), record().status());
    }

    @Test
    void destroy_whenAStepFails_leavesDestroyingWithTheErrorAndARerunFinishes() {
        DefaultDeployer deployer = deployer();
        deployer.deploy(request());
        // someone changes the distribution behind every one of destroy's five If-Match attempts
        for (int i = 0; i < 5; i++) {
            cloudFront.changeBehindNextUpdate();
        }

        AwsRequestException e = assertThrows(AwsRequestException.class, () -> deployer.destroy(guid, USER));

        assertEquals("PreconditionFailed", e.errorCode());
        DeploymentRecord stopped = record();
        assertEquals(Optional.of(DeploymentStatus.DESTROYING), stopped.status());
        assertTrue(stopped.lastError().orElseThrow().contains("Run destroy again"), stopped.lastError().toString());
        assertTrue(stopped.lastError().orElseThrow().contains("UpdateDistribution"), stopped.lastError().toString());
        assertTrue(bucketExists(), "the bucket stays until its distribution is disabled");
        assertEquals(DeployListener.Finished.class, events.all.get(events.all.size() - 1).getClass());

        DeploymentRecord done = deployer.destroy(guid, USER);

        assertEquals(Optional.of(DeploymentStatus.DESTROYED), done.status());
        assertTrue(done.lastError().isEmpty());
        assertFalse(bucketExists());
        assertTrue(cloudFront.isEmpty());
    }

    @Test
    void destroy_whenTheRecordIsLost_findsEverythingByNameCommentAndTagsAndRemovesIt() {
        deployer().deploy(request());
        DeploymentTracker emptyTable = DeploymentTracker.builder().dynamoDbClient(aws().dynamoDbClient())
                .tableName("engine-lost-" + UUID.randomUUID().toString().substring(0, 8))
                .pollInterval(Duration.ofMillis(50)).build();

        DeploymentRecord rec = open(builder().tracker(emptyTable)).destroy(guid, USER);

        assertEquals(Optional.of(DeploymentStatus.DESTROYED), rec.status());
        assertFalse(bucketExists());
        assertTrue(cloudFront.isEmpty(), cloudFront.calls().toString());
        assertEquals(1, cloudFront.count("DeleteDistribution"));
        assertEquals(1, cloudFront.count("DeleteOriginAccessControl"));
    }

    @Test
    void destroy_afterInterruptedDeploy_removesWhatTheDeployLeftAndMarksDestroyed() {
        new TrackerRecords(tracker).updateStatus(USER, guid, "Demo", DeploymentStatus.DEPLOYING, null);
        BucketManager buckets = new BucketManager(s3, AwsCall.standard(d -> { }), false, DeployListener.NONE, guid);
        buckets.create(bucket, "us-east-1");
        new TrackerRecords(tracker).recordResources(USER, guid, "Demo", AwsResources.builder().s3Bucket(bucket)
                .region("us-east-1").build());
        new CdnManager(cloudFront, AwsCall.standard(d -> { }), DeployListener.NONE, guid)
                .createOac("tmux-builder-" + guid);

        DeploymentRecord rec = deployer().destroy(guid, USER);

        assertEquals(Optional.of(DeploymentStatus.DESTROYED), rec.status());
        assertFalse(bucketExists());
        assertTrue(cloudFront.isEmpty(), cloudFront.calls().toString());
        assertTrue(rec.awsResources().s3Bucket().isEmpty());
    }

    @Test
    void destroy_whenDistributionStillDeployingPastTheWait_leavesARecordThatARerunCompletes() {
        DefaultDeployer deployer = open(builder().destroyWaitTimeout(Duration.ZERO));
        Deployment d = deployer.deploy(request());
        String distId = d.resources().cloudFrontId().orElseThrow();
        cloudFront.readsToDeploy(1000);

        DeploymentRecord partial = deployer.destroy(guid, USER);

        assertEquals(Optional.of(DeploymentStatus.DESTROYING), partial.status());
        assertTrue(partial.lastError().orElseThrow().contains(distId), partial.lastError().toString());
        assertTrue(partial.lastError().orElseThrow().contains("run destroy again"));
        assertEquals(Optional.of(distId), partial.awsResources().cloudFrontId());
        assertFalse(bucketExists());
        assertFalse(cloudFront.config(distId).enabled());
        assertEquals(1, cloudFront.originAccessControlIds().size());

        cloudFront.readsToDeploy(0);
        cloudFront.finishDeploying();
        DeploymentRecord done = deployer.destroy(guid, USER);

        assertEquals(Optional.of(DeploymentStatus.DESTROYED), done.status());
        assertTrue(done.lastError().isEmpty());
        assertTrue(cloudFront.isEmpty());
    }

    @Test
    void destroy_whenCdnSwitchedOffButADistributionIsOnRecord_refusesAndKeepsEverything() {
        deployer().deploy(request());

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> open(builder().cdnEnabled(false)).destroy(guid, USER));

        assertEquals("cdnEnabled", e.field());
        assertTrue(bucketExists());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
    }

    @Test
    void destroy_whenNothingWasEverDeployed_throwsProjectNotFound() {
        assertThrows(ProjectNotFoundException.class, () -> deployer().destroy(guid, USER));
        assertTrue(tracker.get(USER, guid).isEmpty());
    }

    @Test
    void destroy_thenDeployAgain_createsAFreshDistribution() {
        DefaultDeployer deployer = deployer();
        String firstId = deployer.deploy(request()).resources().cloudFrontId().orElseThrow();
        deployer.destroy(guid, USER);

        Deployment again = deployer.deploy(request());

        assertEquals(5, again.filesUploaded());
        assertFalse(firstId.equals(again.resources().cloudFrontId().orElseThrow()));
        assertEquals(1, cloudFront.distributionIds().size());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
    }

    // ============================================================== modes

    @Test
    void deploy_whenCdnDisabled_deploysTheBucketAndFilesOnlyWithTheGivenSiteUrl() {
        Deployment d = open(builder().cdnEnabled(false).siteUrl("http://127.0.0.1:8080/")).deploy(request());

        assertEquals(Optional.of("http://127.0.0.1:8080/"), d.resources().siteUrl());
        assertTrue(d.resources().cloudFrontId().isEmpty());
        assertTrue(cloudFront.calls().isEmpty());
        assertEquals(5, d.filesUploaded());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
    }

    @Test
    void deploy_whenS3CompatibleEndpoint_skipsTheBucketControlsAndSaysSo() {
        Deployment d = open(builder().s3Compatible(true).s3Client(aws().s3Client())).deploy(request());

        assertEquals(5, d.filesUploaded());
        assertTrue(events.of(DeployListener.Progress.class).stream()
                .anyMatch(p -> p.message().contains("S3-compatible endpoint: skipping Block Public Access")));
        assertTrue(events.of(DeployListener.Progress.class).stream()
                .anyMatch(p -> p.message().contains("S3-compatible endpoint: skipping the bucket policy")));
        assertEquals(1, cloudFront.distributionIds().size());

        DeploymentRecord rec = open(builder().s3Compatible(true).s3Client(aws().s3Client())).destroy(guid, USER);
        assertEquals(Optional.of(DeploymentStatus.DESTROYED), rec.status());
        assertFalse(bucketExists());
    }

    @Test
    void deploy_whenBuiltFromEndpointsLikeTheLocalTarget_deploysAndDestroysThroughItsOwnClients() {
        DefaultDeployer local = open(DefaultDeployer.builder()
                .region(aws().region().id())
                .credentialsProvider(aws().credentialsProvider())
                .endpointOverride(Deployer.Service.S3, aws().s3Endpoint())
                .endpointOverride(Deployer.Service.DYNAMODB, aws().dynamoDbEndpoint())
                .tableName("engine-tests")
                .s3Compatible(true)
                .cdnEnabled(false)
                .listener(events));

        Deployment d = local.deploy(request());

        assertEquals(5, d.filesUploaded());
        String base = aws().s3Endpoint().toString().replaceAll("/+$", "");
        assertEquals(Optional.of(base + "/" + bucket + "/index.html"), d.resources().siteUrl());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
        assertTrue(bucketExists());
        assertEquals(0, local.deploy(request()).filesUploaded());

        DeploymentRecord gone = local.destroy(guid, USER);

        assertEquals(Optional.of(DeploymentStatus.DESTROYED), gone.status());
        assertFalse(bucketExists());
        assertTrue(gone.awsResources().siteUrl().isEmpty());
    }

    @Test
    void deploy_whenListenerThrows_stillDeploys() {
        AtomicInteger calls = new AtomicInteger();
        DeployListener throwing = new DeployListener() {
            @Override
            public void resourceCreated(ResourceCreated event) {
                calls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }
        };

        Deployment d = open(builder().listener(throwing)).deploy(request());

        assertEquals(4, calls.get());
        assertEquals(5, d.filesUploaded());
    }

    @Test
    void writeResourcesJson_writesThePlansKeysToAFile() throws IOException {
        Deployment d = deployer().deploy(request());

        Path file = d.writeResourcesJson(tmp.resolve("out/resources.json"));

        AwsResources back = AwsResources.fromJson(Files.readString(file));
        assertEquals(d.resources(), back);
        Map<String, Object> map = back.asMap();
        assertTrue(map.keySet().containsAll(List.of("s3Bucket", "cloudFrontId", "cloudFrontUrl", "region")));
    }

    // ============================================================== ownership (the engine acts only on its own)

    /** Deploys another project of the same user through the same endpoints; returns its record. */
    DeploymentRecord deployOtherProject() {
        String other = UUID.randomUUID().toString();
        deployer().deploy(request().toBuilder().guid(other).build());
        return tracker.get(USER, other).orElseThrow();
    }

    boolean bucketExists(String name) {
        try {
            aws().s3Client().headBucket(r -> r.bucket(name));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        }
    }

    List<String> progress() {
        return events.of(DeployListener.Progress.class).stream().map(DeployListener.Progress::message).toList();
    }

    @Test
    void destroy_whenAResourcesEventReportedAnotherProjectsBucketAndDistribution_leavesBothUntouchedAndSaysSo() {
        DeploymentRecord other = deployOtherProject();
        String otherBucket = other.awsResources().s3Bucket().orElseThrow();
        String otherDist = other.awsResources().cloudFrontId().orElseThrow();
        DistributionConfig otherConfig = cloudFront.config(otherDist);
        deployer().deploy(request());
        // what the receiver stores for a resources event signed with this project's own secret
        tracker.recordResources(USER, guid, "Demo", AwsResources.builder().s3Bucket(otherBucket)
                .cloudFrontId(otherDist).build());

        deployer().deploy(request());
        deployer().destroy(guid, USER);

        assertTrue(bucketExists(otherBucket), "the other project's bucket survives");
        assertEquals(1, aws().s3Client().listObjectsV2(r -> r.bucket(otherBucket).prefix("index.html")).keyCount());
        assertEquals(otherConfig, cloudFront.config(otherDist), "the other project's distribution is untouched");
        assertFalse(bucketExists(bucket), "this project's own bucket is gone");
        assertEquals(Optional.of(DeploymentStatus.DESTROYED), record().status());
        assertTrue(progress().stream().anyMatch(m -> m.startsWith("Ignoring awsResources.s3Bucket = " + otherBucket)),
                progress().toString());
        assertTrue(progress().stream().anyMatch(m -> m.startsWith("Ignoring awsResources.cloudFrontId = "
                + otherDist)), progress().toString());
    }

    @Test
    void deploy_whenTheEnginesOwnEntryNamesAnotherProjectsDistribution_refusesNamingTheEntryAndChangesNothing() {
        DeploymentRecord other = deployOtherProject();
        String otherDist = other.awsResources().cloudFrontId().orElseThrow();
        DistributionConfig otherConfig = cloudFront.config(otherDist);
        deployer().deploy(request());
        tracker.recordOwnResources(USER, guid, "Demo", AwsResources.builder().cloudFrontId(otherDist).build());

        dev.oneclick.errors.ResourceNotOwnedException e = assertThrows(
                dev.oneclick.errors.ResourceNotOwnedException.class, () -> deployer().deploy(request()));
        dev.oneclick.errors.ResourceNotOwnedException d = assertThrows(
                dev.oneclick.errors.ResourceNotOwnedException.class, () -> deployer().destroy(guid, USER));

        assertEquals("CloudFront distribution", e.resourceType());
        assertEquals(otherDist, e.resourceId());
        assertEquals("oneclickResources.cloudFrontId", e.recordEntry());
        assertTrue(e.getMessage().contains("tagged oneclick:project-guid=" + other.projectId()), e.getMessage());
        assertTrue(e.getMessage().contains("Remove oneclickResources.cloudFrontId"), e.getMessage());
        assertEquals(otherDist, d.resourceId());
        assertEquals(otherConfig, cloudFront.config(otherDist));
        assertTrue(bucketExists(bucket), "the refused destroy deleted nothing, not even this project's bucket");
    }

    @Test
    void deploy_whenTheEnginesOwnEntryNamesAnotherProjectsOriginAccessControl_refusesAndKeepsIt() {
        DeploymentRecord other = deployOtherProject();
        String otherOac = other.awsResources().originAccessControlId().orElseThrow();
        deployer().deploy(request());
        tracker.recordOwnResources(USER, guid, "Demo", AwsResources.builder().originAccessControlId(otherOac)
                .build());

        dev.oneclick.errors.ResourceNotOwnedException e = assertThrows(
                dev.oneclick.errors.ResourceNotOwnedException.class, () -> deployer().deploy(request()));
        assertThrows(dev.oneclick.errors.ResourceNotOwnedException.class, () -> deployer().destroy(guid, USER));

        assertEquals("CloudFront origin access control", e.resourceType());
        assertEquals("oneclickResources.originAccessControlId", e.recordEntry());
        assertTrue(e.getMessage().contains("not 'tmux-builder-" + guid + "'"), e.getMessage());
        assertTrue(cloudFront.originAccessControlIds().contains(otherOac));
    }

    @Test
    void destroy_whenTheEnginesOwnEntryNamesAnotherProjectsBucket_refusesAndDeletesNeither() {
        DeploymentRecord other = deployOtherProject();
        String otherBucket = other.awsResources().s3Bucket().orElseThrow();
        deployer().deploy(request());
        tracker.recordOwnResources(USER, guid, "Demo", AwsResources.builder().s3Bucket(otherBucket).build());

        dev.oneclick.errors.ResourceNotOwnedException e = assertThrows(
                dev.oneclick.errors.ResourceNotOwnedException.class, () -> deployer().destroy(guid, USER));
        assertThrows(dev.oneclick.errors.ResourceNotOwnedException.class, () -> deployer().deploy(request()));

        assertEquals("S3 bucket", e.resourceType());
        assertEquals(otherBucket, e.resourceId());
        assertEquals("oneclickResources.s3Bucket", e.recordEntry());
        assertTrue(bucketExists(otherBucket));
        assertTrue(bucketExists(bucket));
    }

    @Test
    void deploy_whenADistributionCarriesTheCommentButNotTheProjectTag_leavesItAloneAndMakesItsOwn() {
        String foreign = cloudFront.addForeignDistribution("tmux-builder-" + guid, Map.of());
        DistributionConfig foreignConfig = cloudFront.config(foreign);

        Deployment d = deployer().deploy(request());

        assertNotEquals(foreign, d.resources().cloudFrontId().orElseThrow());
        assertEquals(foreignConfig, cloudFront.config(foreign), "the foreign distribution is not repointed");
        assertTrue(progress().stream().anyMatch(m -> m.contains(foreign) && m.contains("leaves it alone")),
                progress().toString());
    }

    @Test
    void destroy_whenTheBucketIsTaggedForAnotherProject_refusesNamingTheTag() {
        deployer().deploy(request());
        s3.control(bucket).tags.put(ResourceNames.TAG_PROJECT_GUID, UUID.randomUUID().toString());

        dev.oneclick.errors.ResourceNotOwnedException e = assertThrows(
                dev.oneclick.errors.ResourceNotOwnedException.class, () -> deployer().destroy(guid, USER));

        assertEquals(bucket, e.resourceId());
        assertTrue(e.getMessage().contains("is tagged oneclick:project-guid="), e.getMessage());
        assertTrue(bucketExists(bucket));
    }

    // ============================================================== one run at a time

    @Test
    void deploy_whenAnotherRunHoldsTheLease_failsAtOnceNamingTheHolderAndItsExpiry() {
        tracker.acquireLease(USER, guid, "other-run", "deploy by 4242@ci-runner", Duration.ofMinutes(5));

        dev.oneclick.errors.ProjectBusyException e = assertThrows(dev.oneclick.errors.ProjectBusyException.class,
                () -> deployer().deploy(request()));

        assertEquals("deploy by 4242@ci-runner", e.holder());
        assertTrue(e.getMessage().contains("deploy by 4242@ci-runner") && e.getMessage().contains("expires at "
                + e.expiresAt()), e.getMessage());
        assertTrue(e.getMessage().contains("oneclick.lockWait"), e.getMessage());
        assertEquals(0, s3.count("CreateBucket"));
        assertTrue(cloudFront.isEmpty());
        assertThrows(dev.oneclick.errors.ProjectBusyException.class, () -> deployer().destroy(guid, USER));
    }

    @Test
    void deploy_whenALeaseWasLeftByACrashedRun_waitsForItsExpiryAndTakesOver() {
        java.time.Instant expires = tracker.acquireLease(USER, guid, "crashed-run", "deploy by 1@gone",
                Duration.ofSeconds(5)).record().lease().orElseThrow().expiresAt();
        assertThrows(dev.oneclick.errors.ProjectBusyException.class, () -> deployer().deploy(request()));

        Deployment d = open(builder().lockWait(Duration.ofSeconds(30))).deploy(request());

        assertFalse(java.time.Instant.now().isBefore(expires), "taken over only after the crashed run's expiry");
        assertEquals(5, d.filesUploaded());
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
        assertTrue(record().lease().isEmpty(), "the lease is given back");
    }

    @Test
    void deploy_whenTheLeaseIsHeldByAnotherProject_doesNotWait() {
        String other = UUID.randomUUID().toString();
        tracker.acquireLease(USER, other, "other-run", "deploy by 4242@ci-runner", Duration.ofMinutes(5));

        assertEquals(5, deployer().deploy(request()).filesUploaded());
    }

    @Test
    void deploy_whenTwoRunsOfOneProjectStartTogether_oneWaitsForTheOtherAndTheBucketEqualsTheSite()
            throws Exception {
        java.util.concurrent.CountDownLatch uploading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        DeployListener slow = new DeployListener() {
            @Override
            public void fileUploaded(FileUploaded e) {
                uploading.countDown();
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Events second = new Events();
        DefaultDeployer first = open(builder().listener(slow));
        DefaultDeployer waiting = open(builder().listener(second).lockWait(Duration.ofSeconds(30)));
        DefaultDeployer impatient = open(builder());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Deployment> a = pool.submit(() -> first.deploy(request()));
            assertTrue(uploading.await(20, java.util.concurrent.TimeUnit.SECONDS));
            Path newer = tmp.resolve("dist2");
            for (Path f : Files.walk(site).filter(Files::isRegularFile).toList()) {
                Path to = newer.resolve(site.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
            Files.writeString(newer.resolve("about/index.html"), "<!doctype html><title>about, second run</title>");
            site = newer;
            java.util.concurrent.Future<Deployment> b = pool.submit(() -> waiting.deploy(request()));
            dev.oneclick.errors.ProjectBusyException busy = assertThrows(
                    dev.oneclick.errors.ProjectBusyException.class, () -> impatient.deploy(request()));
            assertTrue(busy.holder().startsWith("deploy by "), busy.holder());
            Thread.sleep(300);
            assertFalse(b.isDone(), "the second run waits while the first holds the lease");
            release.countDown();
            a.get(30, java.util.concurrent.TimeUnit.SECONDS);
            Deployment d = b.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(d.filesUploaded() >= 1, d.toString());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertTrue(second.of(DeployListener.Progress.class).stream()
                .anyMatch(p -> p.message().startsWith("Waiting up to")), second.all.toString());
        for (Path f : Files.walk(site).filter(Files::isRegularFile).toList()) {
            String key = site.relativize(f).toString().replace('\\', '/');
            byte[] stored = aws().s3Client().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(f), stored, key);
        }
        assertEquals(1, cloudFront.count("CreateDistributionWithTags"));
        assertTrue(record().lease().isEmpty());
    }

    @Test
    void deploy_whenNothingChanged_writesOnlyTheLeaseAndKeepsTheRecordsVersion() {
        deployer().deploy(request());
        DeploymentRecord before = record();
        List<Write> writes = Collections.synchronizedList(new ArrayList<>());

        Deployment d = open(builder().records(observing(new TrackerRecords(tracker), writes))).deploy(request());

        assertTrue(writes.isEmpty(), writes.toString());
        assertEquals(before.version(), record().version());
        assertEquals(before.updatedAt(), record().updatedAt());
        assertEquals(before.awsResources(), d.resources());
    }

    @Test
    void deploy_whenAJvmHoldingTheLeaseWasKilled_failsNamingItThenTakesOverAfterTheLeaseExpires() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingDeploy.class.getName(),
                aws().s3Endpoint().toString(), aws().dynamoDbEndpoint().toString(), "engine-tests", USER, guid,
                site.toString(), "4000").redirectErrorStream(true).start();
        String out;
        try (java.io.InputStream in = child.getInputStream()) {
            assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the child deploy ended");
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            child.destroyForcibly();
        }
        assertEquals(3, child.exitValue(), out);
        DeploymentRecord.Lease left = record().lease().orElseThrow(() -> new AssertionError("no lease left: " + out));
        assertTrue(left.holder().startsWith("deploy by " + child.pid() + "@"), left.holder());
        DeployerBuilder local = DefaultDeployer.builder().region("us-east-1")
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .endpointOverride(Deployer.Service.S3, aws().s3Endpoint())
                .endpointOverride(Deployer.Service.DYNAMODB, aws().dynamoDbEndpoint())
                .s3Compatible(true).cdnEnabled(false).tableName("engine-tests").listener(events);

        dev.oneclick.errors.ProjectBusyException busy = assertThrows(dev.oneclick.errors.ProjectBusyException.class,
                () -> open(local).deploy(request()));
        Deployment d = open(local.lockWait(Duration.ofSeconds(30))).deploy(request());

        assertEquals(left.holder(), busy.holder());
        assertFalse(java.time.Instant.now().isBefore(left.expiresAt()));
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), record().status());
        assertTrue(record().lease().isEmpty());
        for (Path f : Files.walk(site).filter(Files::isRegularFile).toList()) {
            String key = site.relativize(f).toString().replace('\\', '/');
            org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(f), aws().s3Client()
                    .getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray(), key);
        }
        assertEquals(5, d.filesUploaded() + d.filesUnchanged(), d.toString());
        assertTrue(d.filesUploaded() >= 1, "the halted run left files to upload: " + d);
    }

    // ============================================================== index document and routing

    @Test
    void deploy_whenIndexDocumentNone_deploysATreeWithoutOneWithNoRootObjectFunctionOrFallback() throws IOException {
        Files.delete(site.resolve("index.html"));

        Deployment d = deployer().deploy(request().toBuilder().indexDocument("none").build());

        DistributionConfig c = cloudFront.config(d.resources().cloudFrontId().orElseThrow());
        assertEquals("", c.defaultRootObject());
        assertEquals(0, c.customErrorResponses().quantity());
        assertEquals(0, cloudFront.count("CreateFunction"));
        assertEquals(4, d.filesUploaded());
    }

    @Test
    void deploy_whenRoutingChangesFromRoutesToAll_dropsTheFunctionAssociationAndAddsTheErrorResponses() {
        DefaultDeployer deployer = deployer();
        deployer.deploy(request());

        Deployment d = deployer.deploy(request().toBuilder().routing(DeployRequest.Routing.ALL).build());

        DistributionConfig c = cloudFront.config(d.resources().cloudFrontId().orElseThrow());
        assertEquals(List.of(403, 404), c.customErrorResponses().items().stream()
                .map(CustomErrorResponse::errorCode).toList());
        assertTrue(c.defaultCacheBehavior().functionAssociations() == null
                || c.defaultCacheBehavior().functionAssociations().quantity() == 0, c.defaultCacheBehavior().toString());
    }

    @Test
    void destroy_afterARoutesDeploy_deletesTheFunctionAfterTheDistribution() {
        deployer().deploy(request());

        deployer().destroy(guid, USER);

        List<String> calls = cloudFront.calls();
        assertTrue(calls.lastIndexOf("DeleteFunction") > calls.lastIndexOf("DeleteDistribution"), calls.toString());
        assertTrue(cloudFront.isEmpty());
    }
}
