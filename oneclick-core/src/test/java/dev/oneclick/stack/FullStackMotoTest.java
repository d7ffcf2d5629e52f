package dev.oneclick.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.errors.RolloutFailedException;
import dev.oneclick.internal.DefaultDeployer;
import dev.oneclick.internal.DeployerBuilder;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.LocalRegistry;
import dev.oneclick.local.Moto;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The full stack's compute half over the wire: ECR, ECS, CloudWatch Logs and IAM on moto (started with
 * {@code MOTO_ECS_SERVICE_RUNNING=1}, so a service's rollout completes, and with AWS's managed IAM policies loaded), the image built by jib and pushed to Debian's
 * docker-registry on loopback, the record on dynalite. Each resource is checked with the SDK; the deployer's AWS calls
 * are counted by an interceptor and logged with the wall time of a first deploy and of a no-change redeploy.
 */
class FullStackMotoTest {
    private static final Logger LOG = LoggerFactory.getLogger(FullStackMotoTest.class);
    private static final String USER = "user-9";
    private static final Set<String> MUTATING = Set.of("CreateRepository", "CreateLogGroup", "PutRetentionPolicy",
            "CreateRole", "AttachRolePolicy", "CreateCluster", "RegisterTaskDefinition", "CreateService",
            "UpdateService", "PutImageScanningConfiguration");
    private static Moto moto;
    private static LocalAws local;
    private static LocalRegistry registry;
    private static List<String> subnets;

    @TempDir
    Path tmp;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ResourceNames names = ResourceNames.defaults();
    private EcrClient ecr;
    private EcsClient ecs;
    private CloudWatchLogsClient logs;
    private IamClient iam;
    private DeploymentTracker tracker;
    private String guid;
    private ProjectGuid pg;
    private Path jar;

    @BeforeAll
    static void start() {
        moto = Moto.builder().environment("MOTO_ECS_SERVICE_RUNNING", "1")
                .environment("MOTO_IAM_LOAD_MANAGED_POLICIES", "true").start();
        local = LocalAws.start();
        registry = LocalRegistry.start();
        try (Ec2Client ec2 = moto.configure(Ec2Client.builder()).httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
            subnets = ec2.describeSubnets(b -> b.filters(f -> f.name("default-for-az").values("true"))).subnets()
                    .stream().map(Subnet::subnetId).sorted().limit(2).toList();
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
        moto.close();
        local.close();
    }

    /** Counts every request the deployer's clients send, as service:operation. */
    private final ExecutionInterceptor counter = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            sent.set(System.nanoTime());
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            long ms = (System.nanoTime() - sent.get()) / 1_000_000;
            if (ms > 500) {
                LOG.info("slow call: {} took {} ms", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), ms);
            }
        }
    };
    private final ThreadLocal<Long> sent = ThreadLocal.withInitial(System::nanoTime);

    @BeforeEach
    void setUp() throws IOException {
        guid = UUID.randomUUID().toString();
        pg = ProjectGuid.parse(guid);
        ecr = keep(moto.configure(EcrClient.builder()).httpClientBuilder(ApacheHttpClient.builder()).build());
        ecs = keep(moto.configure(EcsClient.builder()).httpClientBuilder(ApacheHttpClient.builder()).build());
        logs = keep(moto.configure(CloudWatchLogsClient.builder()).httpClientBuilder(ApacheHttpClient.builder())
                .build());
        iam = keep(moto.configure(IamClient.builder()).region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
                .httpClientBuilder(ApacheHttpClient.builder()).build());
        tracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient()).tableName("moto-stack")
                .pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        jar = writeJar("v1");
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

    /** A runnable-looking jar whose content differs with {@code version}. */
    private Path writeJar(String version) throws IOException {
        Path p = tmp.resolve("backend-" + version + ".jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "app.Main");
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("app/version.txt"));
            j.write(version.getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        Path fixed = tmp.resolve("backend.jar");
        Files.copy(p, fixed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return fixed;
    }

    private DeployerBuilder builder(ExecutionInterceptor... extra) {
        DeployerBuilder b = DefaultDeployer.builder().region("us-east-1").credentialsProvider(
                moto.credentialsProvider()).awsEndpoint(moto.endpoint()).registryEndpoint(registry.endpoint())
                .tracker(tracker).cdnEnabled(false).pollInterval(Duration.ZERO).sleeper(d -> { })
                .addExecutionInterceptor(counter)
                .listener(new DeployListener() {
                    @Override
                    public void progress(Progress e) {
                        LOG.debug("progress: {}", e.message());
                        progress.add(e.message());
                    }
                });
        for (ExecutionInterceptor i : extra) {
            b.addExecutionInterceptor(i);
        }
        if (extra.length == 0) {
            b.addExecutionInterceptor(new MotoEcsDeployments());
        }
        return b;
    }

    /** A deployer on moto; with {@code extra} fakes, moto's ECS answers go to them uncorrected. */
    private DefaultDeployer deployer(ExecutionInterceptor... extra) {
        return keep(builder(extra).build());
    }

    private DeployRequest request() {
        return DeployRequest.builder().guid(guid).userId(USER).projectName("Stack")
                .backend(b -> b.image(ImageSource.jar(jar)).baseImage("scratch").subnetIds(subnets)
                        .environment(Map.of("GREETING", "hello")).rolloutTimeout(Duration.ofMinutes(1)))
                .build();
    }

    private DeploymentRecord record() {
        return tracker.get(USER, guid).orElseThrow();
    }

    private long count(String operation) {
        return calls.stream().filter(c -> c.endsWith(":" + operation)).count();
    }

    private List<String> mutatingCalls() {
        return calls.stream().filter(c -> MUTATING.contains(c.substring(c.indexOf(':') + 1))).toList();
    }

    private Map<String, String> tagsOfRepository(String arn) {
        return ecr.listTagsForResource(b -> b.resourceArn(arn)).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    private List<String> activeRevisions() {
        return ecs.listTaskDefinitions(b -> b.familyPrefix(names.ecsService(pg))
                .status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns();
    }

    private Service service() {
        return ecs.describeServices(b -> b.cluster(names.ecsCluster(pg)).services(names.ecsService(pg)))
                .services().get(0);
    }

    // ------------------------------------------------------------------ deploy, rerun, change, destroy

    @Test
    void deploy_onMotoAndLocalRegistry_createsEveryComputeResourceTaggedAndRecordsIt() {
        Deployment d = deployer().deploy(request());

        String repoName = names.ecrBackend(pg);
        Repository repo = ecr.describeRepositories(b -> b.repositoryNames(repoName)).repositories().get(0);
        assertTrue(repo.imageScanningConfiguration().scanOnPush());
        Map<String, String> tags = tagsOfRepository(repo.repositoryArn());
        assertEquals(guid, tags.get(ResourceNames.TAG_PROJECT_GUID));
        assertEquals(USER, tags.get(ResourceNames.TAG_USER_ID));

        AwsResources own = record().oneclickResources();
        String imageUri = own.getString("imageUri").orElseThrow();
        assertTrue(imageUri.startsWith(registry.host() + "/" + repoName + "@sha256:"), imageUri);
        String digest = imageUri.substring(imageUri.indexOf('@') + 1);
        assertTrue(registry.tagDigest(repoName, tagOf(d)).map(digest::equals).orElse(false),
                "the registry holds the pushed image under its fingerprint tag");

        LogGroup group = logs.describeLogGroups(b -> b.logGroupNamePrefix(names.logGroup(pg))).logGroups().get(0);
        assertEquals(30, group.retentionInDays());

        String role = names.executionRole(pg);
        assertEquals(own.getString("executionRoleArn").orElseThrow(), iam.getRole(b -> b.roleName(role)).role().arn());
        assertTrue(iam.listAttachedRolePolicies(b -> b.roleName(role)).attachedPolicies().stream()
                .anyMatch(p -> p.policyName().equals("AmazonECSTaskExecutionRolePolicy")));

        assertEquals("ACTIVE", ecs.describeClusters(b -> b.clusters(names.ecsCluster(pg))).clusters().get(0).status());
        TaskDefinition td = ecs.describeTaskDefinition(b -> b.taskDefinition(own.getString("taskDefinitionArn")
                .orElseThrow())).taskDefinition();
        assertEquals("awsvpc", td.networkModeAsString());
        assertEquals(List.of("FARGATE"), td.requiresCompatibilitiesAsStrings());
        assertEquals("256", td.cpu());
        assertEquals("512", td.memory());
        ContainerDefinition c = td.containerDefinitions().get(0);
        assertEquals(imageUri, c.image());
        assertEquals(8080, c.portMappings().get(0).containerPort());
        assertEquals("awslogs", c.logConfiguration().logDriverAsString());
        assertEquals(names.logGroup(pg), c.logConfiguration().options().get("awslogs-group"));
        Map<String, String> env = c.environment().stream().collect(Collectors.toMap(KeyValuePair::name,
                KeyValuePair::value));
        assertEquals(Map.of("GREETING", "hello", "PORT", "8080"), env);

        Service svc = service();
        assertEquals(td.taskDefinitionArn(), svc.taskDefinition());
        assertEquals(1, svc.desiredCount());
        assertEquals("FARGATE", svc.launchTypeAsString());
        assertEquals(subnets, svc.networkConfiguration().awsvpcConfiguration().subnets());
        assertEquals("ENABLED", svc.networkConfiguration().awsvpcConfiguration().assignPublicIpAsString());

        assertEquals("fullStack", own.getString("deployKind").orElseThrow());
        assertEquals(List.of(repoName), own.ecrRepositories());
        assertEquals(names.ecsCluster(pg), own.ecsCluster().orElseThrow());
        assertEquals(names.ecsService(pg), own.ecsService().orElseThrow());
        assertEquals(names.logGroup(pg), own.getString("logGroup").orElseThrow());
        assertEquals(DeploymentStatus.DEPLOYED, record().status().orElseThrow());
    }

    /** The image's fingerprint tag, as the plan named it. */
    private static String tagOf(Deployment d) {
        return d.plan().resources().stream().filter(r -> r.type().equals("container image")).map(r -> r.name())
                .map(n -> n.substring(n.lastIndexOf(':') + 1)).findFirst().orElseThrow();
    }

    @Test
    void deploy_rerunWithNoChange_createsNothingRegistersNoRevisionAndPushesNothing() {
        deployer().deploy(request());
        String imageUri = record().oneclickResources().getString("imageUri").orElseThrow();
        long version = record().version();
        calls.clear();
        Plan plan = deployer().plan(request());
        Deployment again = deployer().deploy(request());

        assertTrue(plan.resources().stream().allMatch(r -> r.action() == Plan.ResourceChange.Action.KEEP),
                plan.resources().toString());
        assertTrue(plan.resources().stream().anyMatch(r -> r.name().equals(imageUri)), "the plan names the digest");
        assertEquals(List.of(), mutatingCalls());
        assertEquals(1, activeRevisions().size());
        assertEquals(List.of(), again.created());
        assertEquals(imageUri, record().oneclickResources().getString("imageUri").orElseThrow());
        assertEquals(version, record().version(), "a no-change deploy writes nothing to the record");
    }

    @Test
    void deploy_afterJarChange_registersANewRevisionAndUpdatesTheService() throws IOException {
        deployer().deploy(request());
        String first = record().oneclickResources().getString("taskDefinitionArn").orElseThrow();
        String firstImage = record().oneclickResources().getString("imageUri").orElseThrow();
        writeJar("v2");

        Plan plan = deployer().plan(request());
        assertEquals(Plan.ResourceChange.Action.CREATE, action(plan, "container image"));
        assertEquals(Plan.ResourceChange.Action.REPAIR, action(plan, "ECS task definition"));
        assertEquals(Plan.ResourceChange.Action.REPAIR, action(plan, "ECS service"));
        calls.clear();
        deployer().deploy(request());

        String second = record().oneclickResources().getString("taskDefinitionArn").orElseThrow();
        assertFalse(first.equals(second));
        assertTrue(second.endsWith(":2"), second);
        assertFalse(firstImage.equals(record().oneclickResources().getString("imageUri").orElseThrow()));
        assertEquals(second, service().taskDefinition());
        assertEquals(1, count("RegisterTaskDefinition"));
        assertEquals(1, count("UpdateService"));
        assertEquals(0, count("CreateService"));
        assertEquals(DeploymentStatus.DEPLOYED, record().status().orElseThrow());
    }

    private static Plan.ResourceChange.Action action(Plan plan, String type) {
        return plan.resources().stream().filter(r -> r.type().equals(type)).findFirst().orElseThrow().action();
    }

    @Test
    void destroy_afterDeploy_leavesNothingOfTheProjectAndMarksTheRecordDestroyed() {
        deployer().deploy(request());
        DeploymentRecord r = deployer().destroy(guid, USER, true);

        assertEquals(DeploymentStatus.DESTROYED, r.status().orElseThrow());
        assertThrows(RepositoryNotFoundException.class,
                () -> ecr.describeRepositories(b -> b.repositoryNames(names.ecrBackend(pg))));
        assertTrue(logs.describeLogGroups(b -> b.logGroupNamePrefix(names.logGroup(pg))).logGroups().isEmpty());
        assertThrows(NoSuchEntityException.class, () -> iam.getRole(b -> b.roleName(names.executionRole(pg))));
        assertTrue(ecs.describeClusters(b -> b.clusters(names.ecsCluster(pg))).clusters().stream()
                .noneMatch(c -> c.status().equals("ACTIVE")));
        assertEquals(List.of(), activeRevisions());
        assertTrue(r.oneclickResources().isEmpty(), r.oneclickResources().toString());

        DeploymentRecord again = deployer().destroy(guid, USER, true);
        assertEquals(DeploymentStatus.DESTROYED, again.status().orElseThrow());
    }

    /**
     * The figures for the note: AWS calls and wall time of a first deploy and of a no-change redeploy, measured
     * after a warm-up deploy of another project (class loading, moto's lazily built backends, jib's first run).
     */
    @Test
    void figures_firstDeployAndNoChangeRedeploy_areLoggedWithTheirCalls() {
        String measured = guid;
        guid = UUID.randomUUID().toString();
        deployer().deploy(request());
        guid = measured;
        pg = ProjectGuid.parse(guid);

        calls.clear();
        long t0 = System.nanoTime();
        deployer().deploy(request());
        long first = (System.nanoTime() - t0) / 1_000_000;
        List<String> firstCalls = List.copyOf(calls);
        calls.clear();
        t0 = System.nanoTime();
        deployer().deploy(request());
        long again = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("FIGURES full stack (no database, no frontend) on moto + local registry: first deploy {} AWS calls in {} ms {}; "
                + "no-change redeploy {} AWS calls in {} ms {}", firstCalls.size(), first, firstCalls, calls.size(),
                again, calls);
        assertEquals(List.of(), mutatingCalls());
        assertTrue(firstCalls.contains("Ecs:CreateService"), firstCalls.toString());
    }

    // ------------------------------------------------------------------ crash between create and record

    @Test
    void deploy_whenTheRunDiesRightAfterEachCreate_theRerunConvergesWithoutDuplicates() {
        for (String op : List.of("CreateRepository", "CreateLogGroup", "CreateRole", "CreateCluster",
                "RegisterTaskDefinition", "CreateService")) {
            guid = UUID.randomUUID().toString();
            pg = ProjectGuid.parse(guid);
            ExecutionInterceptor crash = new ExecutionInterceptor() {
                @Override
                public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                    if (op.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                        throw new IllegalStateException("simulated crash right after " + op);
                    }
                }
            };
            assertThrows(OneclickException.class, () -> deployer(crash).deploy(request()), op);
            deployer().deploy(request());

            assertEquals(1, ecr.describeRepositories(b -> b.repositoryNames(names.ecrBackend(pg))).repositories()
                    .size(), op);
            assertEquals(1, activeRevisions().size(), op);
            assertEquals(1, ecs.listServices(b -> b.cluster(names.ecsCluster(pg))).serviceArns().size(), op);
            assertEquals(DeploymentStatus.DEPLOYED, record().status().orElseThrow(), op);
            assertEquals(activeRevisions().get(0), record().oneclickResources().getString("taskDefinitionArn")
                    .orElseThrow(), op);
        }
    }

    // ------------------------------------------------------------------ rollouts that fail (fakes on moto's answers)

    @Test
    void deploy_whenTheRolloutFails_failsWithTheStoppedTasksReasonsAndTheLastLogLines() {
        FailingRollout failing = new FailingRollout(FailingRollout.Mode.FAILED, null, s -> writeLog(
                "Starting app", "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"));
        RolloutFailedException e = assertThrows(RolloutFailedException.class, () -> deployer(failing)
                .deploy(request()));

        assertFalse(e.timedOut());
        assertTrue(e.stoppedReasons().get(0).contains(FailingRollout.STOPPED_REASON), e.getMessage());
        assertTrue(e.stoppedReasons().get(0).contains("exited 1"), e.getMessage());
        assertTrue(e.logLines().contains("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"),
                e.getMessage());
        assertTrue(e.getMessage().contains("circuit breaker"), e.getMessage());
        assertEquals(DeploymentStatus.FAILED, record().status().orElseThrow());
        assertTrue(record().lastError().orElseThrow().contains(FailingRollout.STOPPED_REASON));
    }

    @Test
    void deploy_whenTheCircuitBreakerRolledBack_failsAlthoughTheServiceIsStable() throws IOException {
        deployer().deploy(request());
        String previous = record().oneclickResources().getString("taskDefinitionArn").orElseThrow();
        writeJar("v2");
        FailingRollout rolledBack = new FailingRollout(FailingRollout.Mode.ROLLED_BACK, previous, s -> { });

        RolloutFailedException e = assertThrows(RolloutFailedException.class, () -> deployer(rolledBack)
                .deploy(request()));

        assertTrue(e.getMessage().contains("rolled back"), e.getMessage());
        assertFalse(previous.equals(e.taskDefinition()));
        assertEquals(DeploymentStatus.FAILED, record().status().orElseThrow());
    }

    @Test
    void deploy_whenTheRolloutOutlastsTheTimeout_failsAsTimedOut() {
        FailingRollout stuck = new FailingRollout(FailingRollout.Mode.STUCK, null, s -> { });
        DeployRequest r = request().toBuilder().backend(request().backend().toBuilder()
                .rolloutTimeout(Duration.ofMillis(1)).build()).build();

        RolloutFailedException e = assertThrows(RolloutFailedException.class, () -> deployer(stuck).deploy(r));

        assertTrue(e.timedOut(), e.getMessage());
        assertEquals(DeploymentStatus.FAILED, record().status().orElseThrow());
    }

    /** Writes lines to the project's log group as the container's awslogs driver would. */
    private void writeLog(String... lines) {
        String group = names.logGroup(pg);
        String stream = "backend/backend/0123456789abcdef";
        logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            events.add(InputLogEvent.builder().timestamp(now + i).message(lines[i]).build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }
}
