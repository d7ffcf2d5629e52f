package dev.oneclick.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.Moto;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentTracker;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * What "converged" means for the full stack, checked on moto with the SDK: the static part as {@link Convergence}
 * checks it (bucket, origin access control, distribution, the frontend's bytes), and of the backend exactly one ECR
 * repository, log group, execution role, security group per role (alb, tasks, db), load balancer, target group,
 * listener, cluster, service, ACTIVE task definition revision and database instance, each the one the record names;
 * after a destroy none of them (the cluster INACTIVE at most, as ECS keeps it listed a while) and the record empty.
 * Either way nothing tagged with the project's GUID that the record does not list.
 */
final class StackConvergence implements AutoCloseable {
    private static final List<String> SG_ROLES = List.of("alb", "tasks", "db");
    private final Convergence site;
    private final DeploymentTracker tracker;
    private final String user;
    private final ResourceNames names = ResourceNames.defaults();
    private final EcrClient ecr;
    private final EcsClient ecs;
    private final CloudWatchLogsClient logs;
    private final IamClient iam;
    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client elb;
    private final RdsClient rds;

    StackConvergence(Moto moto, Convergence site, DeploymentTracker tracker, String user) {
        this.site = site;
        this.tracker = tracker;
        this.user = user;
        this.ecr = moto.configure(EcrClient.builder()).httpClientBuilder(ApacheHttpClient.builder()).build();
        this.ecs = moto.configure(EcsClient.builder()).httpClientBuilder(ApacheHttpClient.builder()).build();
        this.logs = moto.configure(CloudWatchLogsClient.builder()).httpClientBuilder(ApacheHttpClient.builder())
                .build();
        this.iam = moto.configure(IamClient.builder()).region(Region.AWS_GLOBAL).httpClientBuilder(ApacheHttpClient
                .builder()).build();
        this.ec2 = moto.configure(Ec2Client.builder()).httpClientBuilder(ApacheHttpClient.builder()).build();
        this.elb = moto.configure(ElasticLoadBalancingV2Client.builder()).httpClientBuilder(ApacheHttpClient
                .builder()).build();
        this.rds = moto.configure(RdsClient.builder()).httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    void assertDeployed(String guid) throws java.io.IOException {
        site.assertDeployed(guid, false);
        ProjectGuid pg = ProjectGuid.parse(guid);
        AwsResources r = tracker.get(user, guid).orElseThrow().oneclickResources();
        assertEquals(List.of(names.ecrBackend(pg)), repositories(guid), "ECR repositories");
        assertEquals(r.ecrRepositories(), repositories(guid), "ECR repositories in the record");
        assertTrue(r.imageUri().isPresent(), r.toString());
        assertEquals(List.of(names.logGroup(pg)), logGroups(pg), "log groups");
        assertEquals(r.logGroup(), Optional.of(names.logGroup(pg)), r.toString());
        List<Role> roles = roles(guid);
        assertEquals(1, roles.size(), "roles " + roles);
        assertEquals(r.executionRoleArn(), Optional.of(roles.get(0).arn()), r.toString());
        assertEquals(new TreeSet<>(r.securityGroupIds().values()), securityGroups(guid), "security groups");
        assertEquals(new TreeSet<>(SG_ROLES), new TreeSet<>(r.securityGroupIds().keySet()), r.toString());
        List<LoadBalancer> lbs = loadBalancers(pg);
        assertEquals(1, lbs.size(), "load balancers " + lbs);
        assertEquals(r.albArn(), Optional.of(lbs.get(0).loadBalancerArn()), r.toString());
        assertEquals(r.albDnsName(), Optional.of(lbs.get(0).dnsName()), r.toString());
        List<TargetGroup> tgs = targetGroups(pg);
        assertEquals(1, tgs.size(), "target groups " + tgs);
        assertEquals(r.targetGroupArn(), Optional.of(tgs.get(0).targetGroupArn()), r.toString());
        List<String> listeners = elb.describeListeners(b -> b.loadBalancerArn(lbs.get(0).loadBalancerArn()))
                .listeners().stream().map(l -> l.listenerArn()).toList();
        assertEquals(r.listenerArn().map(List::of).orElse(List.of()), listeners, "listeners");
        assertEquals(List.of(names.ecsCluster(pg)), activeClusters(guid), "ACTIVE clusters");
        assertEquals(r.ecsCluster(), Optional.of(names.ecsCluster(pg)), r.toString());
        assertEquals(1, ecs.listServices(b -> b.cluster(names.ecsCluster(pg))).serviceArns().size(), "services");
        assertEquals(r.ecsService(), Optional.of(names.ecsService(pg)), r.toString());
        assertEquals(r.taskDefinitionArn().map(List::of).orElse(List.of()), activeRevisions(pg),
                "ACTIVE task definition revisions");
        assertEquals(List.of(names.rdsInstance(pg)), databases(guid), "database instances");
        assertEquals(r.rdsInstanceId(), Optional.of(names.rdsInstance(pg)), r.toString());
        assertTrue(r.dbSecretArn().isPresent() && r.rdsEndpoint().isPresent() && r.apiUrl().isPresent(),
                r.toString());
    }

    void assertDestroyed(String guid) {
        site.assertDestroyed(guid);
        ProjectGuid pg = ProjectGuid.parse(guid);
        assertEquals(List.of(), repositories(guid), "ECR repositories");
        assertEquals(List.of(), logGroups(pg), "log groups");
        assertEquals(List.of(), roles(guid), "roles");
        assertEquals(Set.of(), securityGroups(guid), "security groups");
        assertEquals(List.of(), loadBalancers(pg), "load balancers");
        assertEquals(List.of(), targetGroups(pg), "target groups");
        assertEquals(List.of(), activeClusters(guid), "ACTIVE clusters");
        assertEquals(List.of(), activeRevisions(pg), "ACTIVE task definition revisions");
        assertEquals(List.of(), databases(guid), "database instances");
    }

    private List<String> repositories(String guid) {
        return ecr.describeRepositoriesPaginator(b -> { }).repositories().stream()
                .filter(x -> x.repositoryName().contains(guid) || repositoryTagged(x.repositoryArn(), guid))
                .map(x -> x.repositoryName()).toList();
    }

    private boolean repositoryTagged(String arn, String guid) {
        try {
            return ecr.listTagsForResource(b -> b.resourceArn(arn)).tags().stream().anyMatch(t -> isGuidTag(t.key(),
                    t.value(), guid));
        } catch (RepositoryNotFoundException e) {
            return false; // another point's project, destroyed meanwhile
        }
    }

    private List<String> logGroups(ProjectGuid pg) {
        return logs.describeLogGroups(b -> b.logGroupNamePrefix(names.logGroup(pg))).logGroups().stream()
                .map(g -> g.logGroupName()).toList();
    }

    private List<Role> roles(String guid) {
        return iam.listRolesPaginator(b -> { }).roles().stream().filter(x -> x.roleName().contains(guid)).toList();
    }

    private Set<String> securityGroups(String guid) {
        return new TreeSet<>(ec2.describeSecurityGroupsPaginator(b -> { }).securityGroups().stream()
                .filter(g -> g.groupName().contains(guid) || g.tags().stream().anyMatch(t -> isGuidTag(t.key(),
                        t.value(), guid))).map(g -> g.groupId()).toList());
    }

    private List<LoadBalancer> loadBalancers(ProjectGuid pg) {
        return elb.describeLoadBalancers(b -> { }).loadBalancers().stream().filter(l -> l.loadBalancerName()
                .equals(names.loadBalancer(pg)) || tagged(l.loadBalancerArn(), pg)).toList();
    }

    private List<TargetGroup> targetGroups(ProjectGuid pg) {
        return elb.describeTargetGroups(b -> { }).targetGroups().stream().filter(t -> t.targetGroupName()
                .equals(names.targetGroup(pg)) || tagged(t.targetGroupArn(), pg)).toList();
    }

    private boolean tagged(String arn, ProjectGuid pg) {
        try {
            return elb.describeTags(b -> b.resourceArns(arn)).tagDescriptions().stream().flatMap(d -> d.tags()
                    .stream()).anyMatch(t -> isGuidTag(t.key(), t.value(), pg.value()));
        } catch (ElasticLoadBalancingV2Exception e) {
            return false; // another point's project, destroyed meanwhile (LoadBalancerNotFound, TargetGroupNotFound)
        }
    }

    private List<String> activeClusters(String guid) {
        List<String> arns = ecs.listClusters().clusterArns().stream().filter(a -> a.contains(guid)).toList();
        return arns.isEmpty() ? List.of() : ecs.describeClusters(b -> b.clusters(arns)).clusters().stream()
                .filter(c -> c.status().equals("ACTIVE")).map(c -> c.clusterName()).toList();
    }

    private List<String> activeRevisions(ProjectGuid pg) {
        return ecs.listTaskDefinitions(b -> b.familyPrefix(names.ecsService(pg)).status(TaskDefinitionStatus.ACTIVE))
                .taskDefinitionArns();
    }

    private List<String> databases(String guid) {
        return rds.describeDBInstances().dbInstances().stream().filter(d -> d.dbInstanceIdentifier().contains(guid))
                .map(d -> d.dbInstanceIdentifier()).toList();
    }

    private static boolean isGuidTag(String key, String value, String guid) {
        return key.equals(ResourceNames.TAG_PROJECT_GUID) && value.equals(guid);
    }

    @Override
    public void close() {
        for (AutoCloseable c : List.<AutoCloseable>of(ecr, ecs, logs, iam, ec2, elb, rds)) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
