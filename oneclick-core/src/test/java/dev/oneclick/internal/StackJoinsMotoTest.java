package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
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
        CloudFrontClient cloudFront = moto.configure(CloudFrontClient.builder().overrideConfiguration(o -> o
                .addExecutionInterceptor(counter))).httpClientBuilder(ApacheHttpClient.builder()
                .expectContinueEnabled(false)).build();
        S3Client s3 = moto.configure(S3Client.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)))
                .httpClientBuilder(ApacheHttpClient.builder().expectContinueEnabled(false)).build();
        DeploymentTracker tracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient())
                .tableName("full-stack").pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        DefaultDeployer deployer = DefaultDeployer.builder().region("us-east-1").awsEndpoint(moto.endpoint())
                .credentialsProvider(moto.credentialsProvider()).s3Client(s3).s3AsyncClient(moto.s3AsyncClient())
                .cloudFrontClient(cloudFront).tracker(tracker).concurrency(4).pollInterval(Duration.ZERO)
                .sleeper(d -> { }).addExecutionInterceptor(counter).listener(new DeployListener() {
                    @Override
                    public void progress(Progress e) {
                        log.add(e.message());
                    }
                }).build();
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

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
