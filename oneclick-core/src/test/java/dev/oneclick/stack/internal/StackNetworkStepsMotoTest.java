package dev.oneclick.stack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.StepEngine;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.engine.internal.TrackerRecords;
import dev.oneclick.errors.ResourceNotOwnedException;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.stack.Database;
import dev.oneclick.stack.ImageSource;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The network, load balancer and database steps over the wire: EC2, ELBv2 and RDS on moto, the record on dynalite,
 * run by the real step engine. Each test deploys (checking every setting with the SDK), reruns with nothing changed
 * (no create, modify or authorize request), and destroys (nothing of the project left). Fakes only for what moto does
 * not do: a security group still in use for a while.
 */
class StackNetworkStepsMotoTest {
    private static final String USER = "user-7";
    private static Moto moto;
    private static LocalAws local;

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    private final ExecutionInterceptor counter = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    };
    private Ec2Client ec2;
    private ElasticLoadBalancingV2Client elb;
    private RdsClient rds;
    private DeploymentTracker tracker;
    private StepEngine engine;
    private String guid;

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

    @BeforeEach
    void setUp() {
        guid = UUID.randomUUID().toString();
        ec2 = moto.configure(Ec2Client.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)))
                .build();
        elb = moto.configure(ElasticLoadBalancingV2Client.builder().overrideConfiguration(o -> o
                .addExecutionInterceptor(counter))).build();
        rds = moto.configure(RdsClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)))
                .build();
        tracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient()).tableName("stack-b-steps")
                .pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        engine = new StepEngine(new TrackerRecords(tracker), Duration.ofMinutes(2), Duration.ZERO);
    }

    @AfterEach
    void close() {
        ec2.close();
        elb.close();
        rds.close();
    }

    // ------------------------------------------------------------------ harness

    private StackClients clients(Ec2Client ec2Client) {
        return new StackClients(null, null, elb, ec2Client, rds, null, null, null, null, AwsCall.standard(d -> { }),
                ResourceNames.defaults(), null, Duration.ZERO);
    }

    private DeployRequest request(Database db) {
        return DeployRequest.builder().guid(guid).userId(USER).projectName("Stack").backend(b -> b
                .image(ImageSource.image("example.com/app:1")).containerPort(8080).healthCheckPath("/api/health")
                .database(db)).build();
    }

    private static Database postgres() {
        return Database.of(d -> d.engine(Database.Engine.POSTGRES).name("app"));
    }

    /** The network, load balancer and database steps of {@code state}, as FullStack lists them. */
    private static List<Step> steps(StackState s, Ec2Client ec2Client, int deleteAttempts) {
        List<Step> steps = new ArrayList<>();
        steps.add(new NetworkStep(s, new Ec2Calls(ec2Client, s.clients.call(), deleteAttempts, Duration.ZERO)));
        steps.add(new LoadBalancerStep(s, new ElbCalls(s.clients.elb(), s.clients.call(), 3, Duration.ZERO)));
        if (s.backend == null || s.backend.database() != null) {
            steps.add(new DatabaseStep(s, new RdsCalls(s.clients.rds(), s.clients.call(), Duration.ZERO),
                    Duration.ofSeconds(30), Duration.ofSeconds(30)));
        }
        return steps;
    }

    private StepEngine.Project project() {
        return new StepEngine.Project(guid, USER, "Stack", "us-east-1",
                ResourceNames.defaults().tags(ProjectGuid.parse(guid), USER), new DeployListener() {
                    @Override
                    public void progress(Progress e) {
                        progress.add(e.message());
                    }
                });
    }

    private record Deployed(StackState state, List<Plan.ResourceChange> plan) {
    }

    private Deployed deploy(DeployRequest request) {
        StackState s = new StackState(clients(ec2), request, ProjectGuid.parse(guid));
        List<Step> steps = steps(s, ec2, 3);
        List<Plan.ResourceChange> plan = engine.exclusive(project(), "deploy", run -> {
            List<Plan.ResourceChange> p = engine.plan(run, steps);
            engine.apply(run, steps);
            return p;
        });
        return new Deployed(s, plan);
    }

    private Run destroy(Ec2Client ec2Client, int deleteAttempts, boolean skipFinalSnapshot) {
        DeployRequest none = DeployRequest.builder().guid(guid).userId("destroy").build();
        StackState s = new StackState(clients(ec2Client), none, ProjectGuid.parse(guid));
        s.skipFinalSnapshot = skipFinalSnapshot;
        List<Step> steps = steps(s, ec2Client, deleteAttempts);
        return engine.exclusive(project(), "destroy", run -> {
            engine.destroy(run, steps, () -> true);
            return run;
        });
    }

    private AwsResources own() {
        return tracker.get(USER, guid).map(DeploymentRecord::oneclickResources).orElse(AwsResources.empty());
    }

    private List<String> changing() {
        return calls.stream().filter(c -> c.matches(".*:(Create|Modify|Authorize|Delete|Revoke|Add).*")).toList();
    }

    private SecurityGroup group(String id) {
        return ec2.describeSecurityGroups(r -> r.groupIds(id)).securityGroups().get(0);
    }

    private static boolean allowsFrom(SecurityGroup g, int port, Function<IpPermission, Boolean> source) {
        return g.ipPermissions().stream().anyMatch(p -> p.fromPort() == port && p.toPort() == port
                && source.apply(p));
    }

    private List<SecurityGroup> projectGroups() {
        return ec2.describeSecurityGroups(r -> r.filters(f -> f.name("tag:oneclick:project-guid").values(guid)))
                .securityGroups();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void deploy_withDatabase_createsLockedDownNetworkLoadBalancerAndDatabase_rerunChangesNothing_destroyLeavesNothing() {
        Deployed first = deploy(request(postgres()));
        StackState s = first.state();
        AwsResources own = own();

        // network: three tagged groups, each open only to the one before it
        Map<String, String> ids = own.securityGroupIds();
        assertEquals(List.of("alb", "tasks", "db"), List.copyOf(ids.keySet()));
        String prefixList = ec2.describeManagedPrefixLists(r -> r.filters(f -> f.name("prefix-list-name")
                .values(Ec2Calls.CLOUDFRONT_PREFIX_LIST))).prefixLists().get(0).prefixListId();
        SecurityGroup alb = group(ids.get("alb"));
        assertEquals("tmux-" + guid + "-alb", alb.groupName());
        assertTrue(alb.tags().stream().anyMatch(t -> t.key().equals("oneclick:project-guid")
                && t.value().equals(guid)));
        assertTrue(allowsFrom(alb, 80, p -> p.prefixListIds().stream().anyMatch(x -> x.prefixListId()
                .equals(prefixList))));
        assertTrue(alb.ipPermissions().stream().allMatch(p -> p.ipRanges().isEmpty()), "no CIDR open on the alb");
        SecurityGroup tasks = group(ids.get("tasks"));
        assertTrue(allowsFrom(tasks, 8080, p -> p.userIdGroupPairs().stream().anyMatch(x -> x.groupId()
                .equals(ids.get("alb")))));
        assertEquals(1, tasks.ipPermissions().size());
        SecurityGroup db = group(ids.get("db"));
        assertTrue(allowsFrom(db, 5432, p -> p.userIdGroupPairs().stream().anyMatch(x -> x.groupId()
                .equals(ids.get("tasks")))));
        assertEquals(1, db.ipPermissions().size());
        assertEquals(s.vpcId, own.vpcId().orElseThrow());
        assertTrue(own.subnetIds().size() >= 2);

        // load balancer: internet-facing ALB, ip target group, 403 by default, forwards only with the secret header
        LoadBalancer lb = elb.describeLoadBalancers(r -> r.loadBalancerArns(own.albArn().orElseThrow()))
                .loadBalancers().get(0);
        assertEquals(ResourceNames.defaults().loadBalancer(ProjectGuid.parse(guid)), lb.loadBalancerName());
        assertEquals("internet-facing", lb.schemeAsString());
        assertEquals(List.of(ids.get("alb")), lb.securityGroups());
        assertEquals(lb.dnsName(), own.albDnsName().orElseThrow());
        TargetGroup tg = elb.describeTargetGroups(r -> r.targetGroupArns(own.targetGroupArn().orElseThrow()))
                .targetGroups().get(0);
        assertEquals("ip", tg.targetTypeAsString());
        assertEquals(8080, tg.port());
        assertEquals("/api/health", tg.healthCheckPath());
        String listener = own.listenerArn().orElseThrow();
        Action dflt = elb.describeListeners(r -> r.listenerArns(listener)).listeners().get(0).defaultActions().get(0);
        assertEquals("fixed-response", dflt.typeAsString());
        assertEquals("403", dflt.fixedResponseConfig().statusCode());
        Rule rule = elb.describeRules(r -> r.listenerArn(listener)).rules().stream()
                .filter(r -> "1".equals(r.priority())).findFirst().orElseThrow();
        String secret = rule.conditions().get(0).httpHeaderConfig().values().get(0);
        assertEquals(ElbCalls.ORIGIN_HEADER, rule.conditions().get(0).httpHeaderConfig().httpHeaderName());
        assertEquals(tg.targetGroupArn(), rule.actions().get(0).targetGroupArn());
        assertTrue(secret.length() >= 40, "a long random secret");
        assertEquals(secret, s.originSecret);
        assertEquals(LoadBalancerStep.sha256(secret), own.originSecretSha256().orElseThrow());
        String record = tracker.get(USER, guid).orElseThrow().toString() + own.toJson()
                + tracker.get(USER, guid).orElseThrow().awsResources().toJson();
        assertFalse(record.contains(secret), "the secret is not in the record");
        assertFalse(String.join("\n", progress).contains(secret), "the secret is not in the log");
        assertFalse(first.plan().toString().contains(secret), "the secret is not in the plan");

        // database: managed password, private, encrypted, in the db group and subnet group; handed over by ARN
        DBInstance i = rds.describeDBInstances(r -> r.dbInstanceIdentifier("tmux-" + guid)).dbInstances().get(0);
        assertTrue(i.publiclyAccessible() == null || !i.publiclyAccessible());
        assertTrue(i.storageEncrypted());
        assertEquals("postgres", i.engine());
        assertEquals("app", i.dbName());
        assertNotNull(i.masterUserSecret().secretArn());
        assertEquals(List.of(ids.get("db")), i.vpcSecurityGroups().stream().map(g -> g.vpcSecurityGroupId()).toList());
        assertEquals("tmux-" + guid + "-db", i.dbSubnetGroup().dbSubnetGroupName());
        assertEquals(i.masterUserSecret().secretArn(), own.dbSecretArn().orElseThrow());
        assertEquals(i.endpoint().address() + ":" + i.endpoint().port(), own.rdsEndpoint().orElseThrow());
        assertEquals(i.masterUserSecret().secretArn(), s.dbSecretArn);
        assertEquals(i.endpoint().address(), s.dbHost);
        assertEquals(5432, s.dbPort);
        assertEquals(s.tasksSecurityGroupId, ids.get("tasks"));
        assertEquals(s.targetGroupArn, tg.targetGroupArn());
        assertTrue(first.plan().stream().allMatch(c -> c.action() == Plan.ResourceChange.Action.CREATE
                || c.type().equals("EC2 subnets")), first.plan().toString());

        // rerun: everything kept, no request that changes anything, the same secret
        calls.clear();
        Deployed again = deploy(request(postgres()));
        assertEquals(List.of(), changing(), "a rerun with nothing changed changes nothing");
        assertTrue(again.plan().stream().allMatch(c -> c.action() == Plan.ResourceChange.Action.KEEP),
                again.plan().toString());
        assertEquals(secret, again.state().originSecret);
        assertEquals(own, own());

        // destroy: final snapshot recorded, nothing of the project left
        Run run = destroy(ec2, 3, false);
        assertTrue(run.incompleteReason().isEmpty(), run.incompleteReason().toString());
        String snapshot = own().dbFinalSnapshotId().orElseThrow();
        assertTrue(snapshot.startsWith("tmux-" + guid + "-final-"), snapshot);
        assertEquals(1, rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(snapshot)).dbSnapshots().size());
        assertNothingLeft();
        assertEquals(List.of(AwsResources.DB_FINAL_SNAPSHOT_ID), List.copyOf(own().asMap().keySet()));
    }

    private void assertNothingLeft() {
        assertEquals(List.of(), projectGroups());
        assertTrue(elb.describeLoadBalancers(r -> { }).loadBalancers().stream()
                .noneMatch(l -> l.loadBalancerName().equals(ResourceNames.defaults().loadBalancer(
                        ProjectGuid.parse(guid)))));
        assertTrue(elb.describeTargetGroups(r -> { }).targetGroups().stream()
                .noneMatch(t -> t.targetGroupName().equals(ResourceNames.defaults().targetGroup(
                        ProjectGuid.parse(guid)))));
        assertTrue(rds.describeDBInstances(r -> { }).dbInstances().stream()
                .noneMatch(d -> d.dbInstanceIdentifier().equals("tmux-" + guid)));
        assertTrue(rds.describeDBSubnetGroups(r -> { }).dbSubnetGroups().stream()
                .noneMatch(g -> g.dbSubnetGroupName().equals("tmux-" + guid + "-db")));
    }

    @Test
    void deploy_withoutDatabase_makesTwoGroups_destroyWithSkipFinalSnapshotLeavesNothing() {
        deploy(request(null));
        assertEquals(List.of("alb", "tasks"), List.copyOf(own().securityGroupIds().keySet()));
        assertTrue(own().rdsInstanceId().isEmpty());
        Run run = destroy(ec2, 3, true);
        assertTrue(run.incompleteReason().isEmpty());
        assertNothingLeft();
        assertTrue(own().isEmpty(), own().toString());
    }

    /** A crash after each create and before its record: the rerun finds everything by name and tag, makes no copy. */
    @Test
    void rerun_whenRecordLostAfterCreates_findsByNameAndTagAndCreatesNothing() {
        deploy(request(postgres()));
        AwsResources before = own();
        tracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient()).tableName("stack-b-lost-"
                + guid.substring(0, 8)).pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        engine = new StepEngine(new TrackerRecords(tracker), Duration.ofMinutes(2), Duration.ZERO);
        calls.clear();
        deploy(request(postgres()));
        assertEquals(List.of(), changing(), "nothing created again");
        AwsResources after = own();
        for (String key : List.of(AwsResources.SECURITY_GROUP_IDS, AwsResources.ALB_ARN,
                AwsResources.TARGET_GROUP_ARN, AwsResources.LISTENER_ARN, AwsResources.ORIGIN_SECRET_SHA256,
                AwsResources.RDS_INSTANCE_ID, AwsResources.DB_SECRET_ARN)) {
            assertEquals(before.get(key), after.get(key), key);
        }
        destroy(ec2, 3, true);
        assertNothingLeft();
    }

    @Test
    void destroy_withSkipFinalSnapshot_takesNoSnapshot() {
        deploy(request(postgres()));
        destroy(ec2, 3, true);
        assertTrue(own().dbFinalSnapshotId().isEmpty());
        assertTrue(rds.describeDBSnapshots(r -> r.dbInstanceIdentifier("tmux-" + guid)).dbSnapshots().stream()
                .noneMatch(x -> "manual".equals(x.snapshotType())));
        assertNothingLeft();
    }

    @Test
    void rerun_whenListenerRuleLost_makesANewSecretAndRecordsItsHash() {
        deploy(request(null));
        String oldHash = own().originSecretSha256().orElseThrow();
        String listener = own().listenerArn().orElseThrow();
        Rule rule = elb.describeRules(r -> r.listenerArn(listener)).rules().stream()
                .filter(r -> "1".equals(r.priority())).findFirst().orElseThrow();
        elb.deleteRule(r -> r.ruleArn(rule.ruleArn()));
        Deployed again = deploy(request(null));
        assertTrue(again.plan().stream().anyMatch(c -> c.type().equals(LoadBalancerStep.LISTENER_TYPE)
                && c.action() == Plan.ResourceChange.Action.REPAIR));
        String secret = again.state().originSecret;
        assertEquals(LoadBalancerStep.sha256(secret), own().originSecretSha256().orElseThrow());
        assertFalse(oldHash.equals(own().originSecretSha256().orElseThrow()));
        destroy(ec2, 3, true);
        assertNothingLeft();
    }

    @Test
    void deploy_whenAGroupOfTheProjectsNameIsNotTagged_refusesIt() {
        String vpc = ec2.describeVpcs(r -> r.filters(f -> f.name("is-default").values("true"))).vpcs().get(0)
                .vpcId();
        String foreign = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("tmux-" + guid + "-alb")
                .description("someone else's")).groupId();
        ResourceNotOwnedException e = assertThrows(ResourceNotOwnedException.class, () -> deploy(request(null)));
        assertTrue(e.getMessage().contains(foreign), e.getMessage());
        assertTrue(own().securityGroupIds().isEmpty());
        ec2.deleteSecurityGroup(r -> r.groupId(foreign));
    }

    /** A security group that answers DependencyViolation twice (network interfaces released late), then goes. */
    @Test
    void destroy_whenGroupStillInUseTwice_retriesAndDeletesIt() {
        deploy(request(null));
        AtomicInteger refusals = new AtomicInteger();
        Ec2Client busy = stillInUse(2, refusals);
        Run run = destroy(busy, 3, true);
        assertTrue(run.incompleteReason().isEmpty(), run.incompleteReason().toString());
        assertEquals(2, refusals.get());
        assertNothingLeft();
    }

    /** Still in use after every attempt: the destroy is left unfinished, the groups stay on record, a rerun ends it. */
    @Test
    void destroy_whenGroupStillInUseAfterEveryAttempt_isUnfinishedAndARerunDeletesIt() {
        deploy(request(null));
        Map<String, String> ids = own().securityGroupIds();
        AtomicInteger refusals = new AtomicInteger();
        Run run = destroy(stillInUse(100, refusals), 3, true);
        assertEquals(3, refusals.get(), "bounded attempts");
        assertTrue(run.incompleteReason().orElseThrow().contains("still in use"));
        assertEquals(ids, own().securityGroupIds());
        assertEquals(2, projectGroups().size());
        Run again = destroy(ec2, 3, true);
        assertTrue(again.incompleteReason().isEmpty());
        assertNothingLeft();
    }

    /** The moto client, except that DeleteSecurityGroup answers DependencyViolation the first {@code times} times. */
    private Ec2Client stillInUse(int times, AtomicInteger refusals) {
        return (Ec2Client) Proxy.newProxyInstance(Ec2Client.class.getClassLoader(), new Class<?>[] {Ec2Client.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("deleteSecurityGroup") && refusals.get() < times) {
                        refusals.incrementAndGet();
                        throw Ec2Exception.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("DependencyViolation").errorMessage("resource sg has a dependent object")
                                .build()).build();
                    }
                    try {
                        return method.invoke(ec2, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
