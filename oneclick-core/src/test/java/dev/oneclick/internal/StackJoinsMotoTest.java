package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.stack.Database;
import dev.oneclick.stack.ImageSource;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The full stack through {@link DefaultDeployer} over the wire: every AWS service on moto (ECS rollouts complete with
 * {@code MOTO_ECS_SERVICE_RUNNING}), the record on dynalite, an existing image reference (no push), a PostgreSQL
 * database and a frontend. Checks what joins the steps: the distribution's {@code /api/*} origin is the load balancer
 * with the listener rule's secret, the task gets the database through {@code secrets} and variables, the record has
 * the stack's keys and no secret; a rerun creates nothing; destroy leaves a final snapshot and nothing else. The
 * request counts and wall times are printed for the notes.
 */
class StackJoinsMotoTest {
    private static final String USER = "user-9";
    private static Moto moto;
    private static LocalAws local;

    @TempDir
    Path tmp;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        moto = Moto.builder().environment("MOTO_ECS_SERVICE_RUNNING", "1")
                .environment("MOTO_IAM_LOAD_MANAGED_POLICIES", "true").start(); // AmazonECSTaskExecutionRolePolicy
        local = LocalAws.start();
    }

    @AfterAll
    static void stop() {
        moto.close();
        local.close();
    }

    private final ExecutionInterceptor counter = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    };

    private List<String> changing() {
        return calls.stream().filter(c -> c.matches("(?!DynamoDb).*:(Create|Register|Modify|Update|Authorize|Put"
                + "|Attach|Delete|Tag).*") && !c.endsWith("PutObject")).toList();
    }

    @Test
    void fullStack_onMoto_deploysJoinedUp_rerunCreatesNothing_destroyLeavesASnapshot() throws IOException {
        String guid = UUID.randomUUID().toString();
        Path site = tmp.resolve("dist");
        Files.createDirectories(site);
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>app</title>");
        CloudFrontClient cloudFront = cloudFront();
        S3Client s3 = s3();
        DeploymentTracker tracker = tracker();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        DefaultDeployer deployer = deployer(s3, cloudFront, tracker, log);
        DeployRequest request = DeployRequest.builder().guid(guid).userId(USER).projectName("Full").siteDir(site)
                .routing(DeployRequest.Routing.ALL).backend(b -> b
                        .image(ImageSource.image("public.ecr.aws/docker/library/httpd:2.4"))
                        .containerPort(8080).healthCheckPath("/api/health")
                        .database(Database.of(d -> d.engine(Database.Engine.POSTGRES).name("app"))))
                .build();
        try (deployer; cloudFront; s3; EcsClient ecs = moto.configure(EcsClient.builder()).build()) {
            long t0 = System.nanoTime();
            deployer.deploy(request);
            long firstMs = (System.nanoTime() - t0) / 1_000_000;
            int firstCalls = calls.size();

            DeploymentRecord rec = tracker.get(USER, guid).orElseThrow();
            AwsResources own = rec.oneclickResources();
            String cfId = own.cloudFrontId().orElseThrow();
            DistributionConfig cfg = cloudFront.getDistributionConfig(r -> r.id(cfId)).distributionConfig();
            assertEquals(2, cfg.origins().quantity());
            var alb = cfg.origins().items().stream().filter(o -> o.customOriginConfig() != null).findFirst()
                    .orElseThrow();
            assertEquals(own.albDnsName().orElseThrow(), alb.domainName());
            String secret = alb.customHeaders().items().get(0).headerValue();
            assertEquals(sha256(secret),
                    own.originSecretSha256().orElseThrow());
            assertEquals("/api/*", cfg.cacheBehaviors().items().get(0).pathPattern());
            assertEquals(own.cloudFrontUrl().orElseThrow() + "/api/", own.apiUrl().orElseThrow());
            assertFalse(rec.toString().contains(secret) || String.join("\n", log).contains(secret));

            ContainerDefinition c = ecs.describeTaskDefinition(r -> r.taskDefinition(own.getString(
                    "taskDefinitionArn").orElseThrow())).taskDefinition().containerDefinitions().get(0);
            String dbSecret = own.dbSecretArn().orElseThrow();
            assertTrue(c.secrets().stream().anyMatch(x -> x.valueFrom().startsWith(dbSecret)), c.secrets().toString());
            assertTrue(c.environment().stream().anyMatch(e -> e.name().equals("DB_HOST")
                    && own.rdsEndpoint().orElseThrow().startsWith(e.value())), c.environment().toString());

            calls.clear();
            t0 = System.nanoTime();
            deployer.deploy(request);
            long againMs = (System.nanoTime() - t0) / 1_000_000;
            int againCalls = calls.size();
            assertEquals(List.of(), changing(), "a rerun with nothing changed");

            DeploymentRecord gone = deployer.destroy(guid, USER, false);
            assertEquals(DeploymentStatus.DESTROYED, gone.status().orElseThrow());
            String snapshot = gone.oneclickResources().dbFinalSnapshotId().orElseThrow();
            assertTrue(snapshot.startsWith("tmux-" + guid + "-final-"));
            System.out.printf("full stack on moto: first deploy %d AWS requests in %d ms; no-change redeploy %d "
                    + "requests in %d ms%n", firstCalls, firstMs, againCalls, againMs);
        }
    }

    private CloudFrontClient cloudFront() {
        return moto.configure(CloudFrontClient.builder().overrideConfiguration(o -> o
                .addExecutionInterceptor(counter))).httpClientBuilder(ApacheHttpClient.builder()
                .expectContinueEnabled(false)).build();
    }

    private S3Client s3() {
        return moto.configure(S3Client.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)))
                .httpClientBuilder(ApacheHttpClient.builder().expectContinueEnabled(false)).build();
    }

    private static DeploymentTracker tracker() {
        DeploymentTracker tracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient())
                .tableName("full-stack").pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        return tracker;
    }

    /** A deployer with every service on moto, the given S3 and CloudFront clients, progress lines into {@code log}. */
    private DefaultDeployer deployer(S3Client s3, CloudFrontClient cloudFront, DeploymentTracker tracker,
            List<String> log) {
        return DefaultDeployer.builder().region("us-east-1").awsEndpoint(moto.endpoint())
                .credentialsProvider(moto.credentialsProvider()).s3Client(s3).s3AsyncClient(moto.s3AsyncClient())
                .cloudFrontClient(cloudFront).tracker(tracker).concurrency(4).pollInterval(Duration.ZERO)
                .sleeper(d -> { }).addExecutionInterceptor(counter).listener(new DeployListener() {
                    @Override
                    public void progress(Progress e) {
                        log.add(e.message());
                    }
                }).build();
    }

    /**
     * A backend without a frontend (a project folder with no dist/ or build/, as the plugin sends): the stack still
     * gets the bucket and the distribution, with a generated page at / and the load balancer for /api/*, so the
     * backend is reachable (the load balancer answers only CloudFront); the record has the URLs; the page's temporary
     * folder is gone after the run; a rerun changes nothing; destroy leaves nothing of the project.
     */
    @Test
    void backendOnly_onMoto_getsPlaceholderPageAndDistributionWithApiOrigin_rerunChangesNothing_destroyLeavesNothing()
            throws IOException {
        String guid = UUID.randomUUID().toString();
        Path project = Files.createDirectories(tmp.resolve("backend-only"));
        CloudFrontClient cloudFront = cloudFront();
        S3Client s3 = s3();
        DeploymentTracker tracker = tracker();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        DeployRequest request = DeployRequest.builder().guid(guid).userId(USER).projectName("Api <only>")
                .projectDir(project).backend(b -> b.image(ImageSource.image("public.ecr.aws/docker/library/httpd:2.4"))
                        .containerPort(8080).healthCheckPath("/api/health"))
                .build();
        String bucket = "tmux-builder-" + guid;
        try (DefaultDeployer deployer = deployer(s3, cloudFront, tracker, log); cloudFront; s3;
                ElasticLoadBalancingV2Client elb = moto.configure(ElasticLoadBalancingV2Client.builder()).build();
                EcsClient ecs = moto.configure(EcsClient.builder()).build()) {
            Plan plan = deployer.plan(request);
            assertEquals(bucket, plan.bucket());
            assertTrue(plan.resources().stream().anyMatch(r -> r.type().contains("distribution")
                    && r.action() == Plan.ResourceChange.Action.CREATE), plan.resources().toString());
            assertEquals(List.of("index.html"), plan.uploads().stream().map(Plan.FileChange::key).toList());

            calls.clear();
            long t0 = System.nanoTime();
            Deployment d = deployer.deploy(request);
            long firstMs = (System.nanoTime() - t0) / 1_000_000;
            int firstCalls = calls.size();
            AwsResources own = tracker.get(USER, guid).orElseThrow().oneclickResources();
            String cfUrl = own.cloudFrontUrl().orElseThrow();
            assertEquals(cfUrl + "/api/", own.apiUrl().orElseThrow());
            assertEquals(cfUrl, own.getString(AwsResources.SITE_URL).orElseThrow());
            assertEquals(bucket, own.s3Bucket().orElseThrow());
            assertEquals(cfUrl, d.url());
            DistributionConfig cfg = cloudFront.getDistributionConfig(r -> r.id(own.cloudFrontId().orElseThrow()))
                    .distributionConfig();
            assertEquals(2, cfg.origins().quantity());
            var alb = cfg.origins().items().stream().filter(o -> o.customOriginConfig() != null).findFirst()
                    .orElseThrow();
            assertEquals(own.albDnsName().orElseThrow(), alb.domainName());
            var api = cfg.cacheBehaviors().items().get(0);
            assertEquals("/api/*", api.pathPattern());
            assertEquals(alb.id(), api.targetOriginId());
            assertEquals(0, cfg.customErrorResponses().quantity(), "the backend's 403/404 reach the caller as they are");
            String page = s3.getObjectAsBytes(r -> r.bucket(bucket).key("index.html")).asUtf8String();
            assertTrue(page.contains("<h1>Api &lt;only&gt;</h1>") && page.contains("href=\"/api/\"")
                    && page.contains("href=\"/api/health\""), page);
            String written = log.stream().filter(l -> l.contains("placeholder page")).findFirst().orElseThrow();
            Path folder = Path.of(written.replaceAll(".*\\(written to (.*)\\).*", "$1"));
            assertTrue(folder.getFileName().toString().startsWith("oneclick-placeholder-"), written);
            assertFalse(Files.exists(folder), "the placeholder's temporary folder is deleted after the run");
            assertTrue(Files.list(project).findAny().isEmpty(), "nothing is written into the project folder");

            calls.clear();
            t0 = System.nanoTime();
            Deployment again = deployer.deploy(request);
            long againMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(List.of(), changing(), "a rerun with nothing changed");
            System.out.printf("backend-only full stack on moto: first deploy %d AWS requests in %d ms; no-change "
                    + "redeploy %d requests in %d ms%n", firstCalls, firstMs, calls.size(), againMs);
            assertEquals(0, again.filesUploaded());
            assertEquals(List.of(), again.created());

            DeploymentRecord gone = deployer.destroy(guid, USER, true);
            assertEquals(DeploymentStatus.DESTROYED, gone.status().orElseThrow());
            assertTrue(gone.oneclickResources().cloudFrontId().isEmpty() && gone.oneclickResources().apiUrl()
                    .isEmpty(), gone.toString());
            assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
            assertFalse(cloudFront.listDistributions().distributionList().items().stream()
                    .anyMatch(x -> x.comment().equals(bucket)), "the distribution is deleted");
            assertFalse(elb.describeLoadBalancers().loadBalancers().stream().anyMatch(lb -> lb.dnsName()
                    .equals(own.albDnsName().orElseThrow())), "the load balancer is deleted");
            assertTrue(ecs.describeClusters(r -> r.clusters("tmux-" + guid)).clusters().stream()
                    .allMatch(c -> c.status().equals("INACTIVE")), "the cluster is deleted");
        }
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
