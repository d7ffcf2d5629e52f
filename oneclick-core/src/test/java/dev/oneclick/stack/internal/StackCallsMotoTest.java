package dev.oneclick.stack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.local.Moto;
import dev.oneclick.stack.Database;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The network, load balancer and database calls over the wire against moto: what each creates, finds and deletes. */
class StackCallsMotoTest {
    private static final Map<String, String> TAGS = Map.of("oneclick:project-guid", "g-1", "oneclick:user-id", "u");
    private static Moto moto;
    private static Ec2Client ec2Client;
    private static ElasticLoadBalancingV2Client elbClient;
    private static RdsClient rdsClient;
    private static SecretsManagerClient secrets;
    private Ec2Calls ec2;
    private ElbCalls elb;
    private RdsCalls rds;

    @BeforeAll
    static void start() {
        moto = Moto.start();
        ec2Client = moto.configure(Ec2Client.builder()).build();
        elbClient = moto.configure(ElasticLoadBalancingV2Client.builder()).build();
        rdsClient = moto.configure(RdsClient.builder()).build();
        secrets = moto.configure(SecretsManagerClient.builder()).build();
    }

    @AfterAll
    static void stop() {
        ec2Client.close();
        elbClient.close();
        rdsClient.close();
        secrets.close();
        moto.close();
    }

    @BeforeEach
    void reset() {
        moto.reset();
        AwsCall call = AwsCall.standard(d -> { });
        ec2 = new Ec2Calls(ec2Client, call, 3, Duration.ZERO);
        elb = new ElbCalls(elbClient, call, 3, Duration.ZERO);
        rds = new RdsCalls(rdsClient, call, Duration.ZERO);
    }

    @Test
    void network_defaultVpc_hasDefaultSubnetsAndCloudFrontPrefixList() {
        String vpc = ec2.defaultVpc().orElseThrow();
        List<String> subnets = ec2.defaultSubnets(vpc);
        assertTrue(subnets.size() >= 2, "subnets " + subnets);
        assertEquals(vpc, ec2.vpcOfSubnets(subnets));
        assertTrue(ec2.cloudFrontPrefixList().orElseThrow().startsWith("pl-"));
    }

    @Test
    void vpcOfSubnets_unknownSubnet_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ec2.vpcOfSubnets(List.of("subnet-0000000000000dead")));
        assertEquals("subnets", e.field());
    }

    @Test
    void securityGroups_createAllowFindDelete() {
        String vpc = ec2.defaultVpc().orElseThrow();
        String alb = ec2.createGroup(vpc, "p-alb", "alb", TAGS);
        String tasks = ec2.createGroup(vpc, "p-tasks", "tasks", TAGS);
        String pl = ec2.cloudFrontPrefixList().orElseThrow();
        ec2.allow(alb, 80, Ec2Calls.Source.prefixList(pl), "CloudFront");
        ec2.allow(alb, 80, Ec2Calls.Source.prefixList(pl), "CloudFront"); // duplicate: no error
        ec2.allow(tasks, 8080, Ec2Calls.Source.group(alb), "from alb");

        Ec2Calls.Group a = ec2.groupByName(vpc, "p-alb").orElseThrow();
        assertEquals(alb, a.id());
        assertEquals("g-1", a.tags().get("oneclick:project-guid"));
        assertEquals("p-alb", a.tags().get("Name"));
        assertTrue(Ec2Calls.allows(a, 80, Ec2Calls.Source.prefixList(pl)));
        assertFalse(Ec2Calls.allows(a, 443, Ec2Calls.Source.prefixList(pl)));
        Ec2Calls.Group t = ec2.groupById(tasks).orElseThrow();
        assertTrue(Ec2Calls.allows(t, 8080, Ec2Calls.Source.group(alb)));
        assertFalse(Ec2Calls.allows(t, 8080, Ec2Calls.Source.cidr("0.0.0.0/0")));

        assertTrue(ec2.deleteGroup(tasks));
        assertTrue(ec2.deleteGroup(alb));
        assertFalse(ec2.deleteGroup(alb));
        assertTrue(ec2.groupById(alb).isEmpty());
        assertTrue(ec2.groupByName(vpc, "p-alb").isEmpty());
    }

    @Test
    void loadBalancer_listenerForwardsOnlyWithSecretHeader() {
        String vpc = ec2.defaultVpc().orElseThrow();
        List<String> subnets = ec2.defaultSubnets(vpc);
        String sg = ec2.createGroup(vpc, "p-alb", "alb", TAGS);
        ElbCalls.Alb lb = elb.createLoadBalancer("tmux-0123456789abcdef01234567", subnets, sg, TAGS);
        assertEquals("internet-facing", lb.scheme());
        assertNotNull(lb.dnsName());
        ElbCalls.Group tg = elb.createTargetGroup("tmux-0123456789abcdef01234567", vpc, 8080, "/api/health", TAGS);
        assertEquals("ip", tg.targetType());
        assertEquals("/api/health", elb.targetGroupByName(tg.name()).orElseThrow().healthCheckPath());
        assertEquals("g-1", elb.tags(lb.arn()).get("oneclick:project-guid"));
        assertEquals("g-1", elb.tags(tg.arn()).get("oneclick:project-guid"));

        assertTrue(elb.httpListener(lb.arn()).isEmpty());
        String listener = elb.createListener(lb.arn(), TAGS);
        assertEquals(listener, elb.httpListener(lb.arn()).orElseThrow());
        assertTrue(elb.defaultIsForbidden(listener));
        assertTrue(elb.forwardRule(listener).isEmpty());
        elb.createForwardRule(listener, tg.arn(), "s3cret", TAGS);
        ElbCalls.ForwardRule rule = elb.forwardRule(listener).orElseThrow();
        assertEquals("s3cret", rule.secret());
        assertEquals(tg.arn(), rule.targetGroupArn());
        elb.updateForwardRule(rule.arn(), tg.arn(), "other");
        assertEquals("other", elb.forwardRule(listener).orElseThrow().secret());

        assertEquals(lb.arn(), elb.loadBalancerByName(lb.name()).orElseThrow().arn());
        assertEquals(lb.arn(), elb.loadBalancerByArn(lb.arn()).orElseThrow().arn());
        assertTrue(elb.deleteLoadBalancer(lb.arn()));
        assertTrue(elb.deleteTargetGroup(tg.arn()));
        assertFalse(elb.deleteTargetGroup(tg.arn()));
        assertTrue(elb.loadBalancerByName(lb.name()).isEmpty());
        assertTrue(elb.targetGroupByName(tg.name()).isEmpty());
        assertTrue(elb.targetGroupByArn(tg.arn()).isEmpty());
    }

    @Test
    void database_managedPasswordPrivateEncrypted_finalSnapshotOnDelete() {
        String vpc = ec2.defaultVpc().orElseThrow();
        List<String> subnets = ec2.defaultSubnets(vpc);
        String sg = ec2.createGroup(vpc, "p-db", "db", TAGS);
        assertFalse(rds.subnetGroupExists("p-db"));
        rds.createSubnetGroup("p-db", subnets, "db subnets", TAGS);
        assertTrue(rds.subnetGroupExists("p-db"));
        Database db = Database.of(d -> d.engine(Database.Engine.POSTGRES));
        rds.createInstance(new RdsCalls.Spec("tmux-g-1", db, "p-db", sg), TAGS);
        RdsCalls.Instance i = rds.waitAvailable("tmux-g-1", Duration.ofSeconds(30));
        assertEquals("postgres", i.engine());
        assertNotNull(i.host());
        assertEquals(5432, i.port());
        assertFalse(i.publiclyAccessible());
        assertTrue(i.encrypted());
        assertEquals(List.of(sg), i.securityGroups());
        assertEquals("g-1", i.tags().get("oneclick:project-guid"));
        assertNotNull(i.secretArn());
        assertNotNull(secrets.describeSecret(r -> r.secretId(i.secretArn())).arn());

        assertTrue(rds.deleteInstance("tmux-g-1", "tmux-g-1-final-1"));
        assertTrue(rds.waitDeleted("tmux-g-1", Duration.ofSeconds(30)));
        assertTrue(rds.snapshotExists("tmux-g-1-final-1"));
        assertFalse(rds.deleteInstance("tmux-g-1", null));
        assertTrue(rds.deleteSubnetGroup("p-db"));
        assertFalse(rds.deleteSubnetGroup("p-db"));
        assertNull(rds.instance("tmux-g-1").orElse(null));
    }
}
