package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.resources.AwsResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;

/**
 * The ECS service {@code tmux-{guid}-backend} in the project's cluster: Fargate, the tasks in public subnets with a
 * public IP (no NAT gateway), the deployment circuit breaker with rollback, behind the target group when the load
 * balancer steps made one. Created once; updated when the task definition or desired count changed. Destroy scales
 * it to zero and deletes it.
 */
final class ServiceStep implements Step {
    static final String TYPE = "ECS service";
    private static final String SERVICE = "ECS";
    private static final Set<String> NOT_FOUND = Set.of("ClusterNotFoundException", "ServiceNotFoundException");
    private final StackState s;
    private final String name;
    private final String cluster;
    private Service found;

    ServiceStep(StackState s) {
        this.s = s;
        this.name = s.clients.names().ecsService(s.projectGuid);
        this.cluster = s.clients.names().ecsCluster(s.projectGuid);
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.ECS_SERVICE);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        found = s.clusterArn == null ? null : find().orElse(null);
        if (found == null) {
            return List.of(new Plan.ResourceChange(TYPE, name, CREATE, s.backend.desiredCount() + " task(s), public "
                    + "IP, circuit breaker with rollback"));
        }
        s.serviceArn = found.serviceArn();
        boolean same = !s.taskDefinitionChanges && found.taskDefinition().equals(s.taskDefinitionArn)
                && found.desiredCount() == s.backend.desiredCount();
        return List.of(new Plan.ResourceChange(TYPE, name, same ? KEEP : REPAIR,
                same ? found.serviceArn() : "roll out the new task definition"));
    }

    private Optional<Service> find() {
        Optional<Service> service = Calls.orEmpty(s.clients.call(), SERVICE, "DescribeServices", name, NOT_FOUND,
                () -> s.clients.ecs().describeServices(b -> b.cluster(cluster).services(name)
                        .include(ServiceField.TAGS)).services().stream()
                        .filter(x -> !"INACTIVE".equals(x.status())).findFirst().orElse(null));
        service.ifPresent(x -> Ownership.requireTagged(TYPE, name, null, EcsTags.of(s, x.serviceArn(), x.tags()),
                s.guid));
        return service;
    }

    @Override
    public void apply(Run run) {
        boolean created = found == null;
        if (created) {
            found = s.clients.call().run(SERVICE, "CreateService", name, () -> s.clients.ecs()
                    .createService(b -> b.cluster(cluster).serviceName(name).taskDefinition(s.taskDefinitionArn)
                            .desiredCount(s.backend.desiredCount()).launchType(LaunchType.FARGATE)
                            .networkConfiguration(network())
                            .deploymentConfiguration(deployment())
                            .loadBalancers(loadBalancers())
                            .healthCheckGracePeriodSeconds(s.targetGroupArn == null ? null : 60)
                            .enableECSManagedTags(true).propagateTags(PropagateTags.SERVICE)
                            .tags(EcsTags.list(run)))
                    .service());
            s.serviceChanged = true;
        }
        s.serviceArn = found.serviceArn();
        run.record(SERVICE, created ? "CreateService" : "DescribeServices",
                AwsResources.builder().ecsService(name).build());
        if (!created && (!found.taskDefinition().equals(s.taskDefinitionArn)
                || found.desiredCount() != s.backend.desiredCount())) {
            found = s.clients.call().run(SERVICE, "UpdateService", name, () -> s.clients.ecs()
                    .updateService(b -> b.cluster(cluster).service(name).taskDefinition(s.taskDefinitionArn)
                            .desiredCount(s.backend.desiredCount()).deploymentConfiguration(deployment()))
                    .service());
            s.serviceChanged = true;
            run.progress("Updated ECS service " + name + " to " + s.taskDefinitionArn);
        }
        run.noted(TYPE, name, created);
    }

    private static DeploymentConfiguration deployment() {
        return DeploymentConfiguration.builder().minimumHealthyPercent(100).maximumPercent(200)
                .deploymentCircuitBreaker(c -> c.enable(true).rollback(true)).build();
    }

    private NetworkConfiguration network() {
        List<String> subnets = !s.subnetIds.isEmpty() ? s.subnetIds : s.backend.subnetIds();
        if (subnets.isEmpty()) {
            throw new InvalidInputException("subnets", "The ECS service needs subnets: none were found or given. "
                    + "Give the backend's subnet ids, or deploy where the region has a default VPC.");
        }
        List<String> groups = new ArrayList<>();
        if (s.tasksSecurityGroupId != null) {
            groups.add(s.tasksSecurityGroupId);
        }
        return NetworkConfiguration.builder().awsvpcConfiguration(a -> a.subnets(subnets).securityGroups(groups)
                .assignPublicIp(AssignPublicIp.ENABLED)).build();
    }

    private List<LoadBalancer> loadBalancers() {
        return s.targetGroupArn == null ? List.of() : List.of(LoadBalancer.builder().targetGroupArn(s.targetGroupArn)
                .containerName(TaskDefinitionStep.CONTAINER).containerPort(s.backend.containerPort()).build());
    }

    @Override
    public void planDestroy(Run run) {
        found = find().orElse(null);
        s.foundAny |= found != null;
    }

    @Override
    public void destroy(Run run) {
        if (found != null) {
            Calls.delete(s.clients.call(), SERVICE, "DeleteService", name, NOT_FOUND, () -> s.clients.ecs()
                    .deleteService(b -> b.cluster(cluster).service(name).force(true)));
            run.progress("Deleted ECS service " + name);
        }
        run.forget(AwsResources.ECS_SERVICE);
    }
}
