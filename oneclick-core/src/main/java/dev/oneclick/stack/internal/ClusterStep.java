package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;

/**
 * The ECS cluster {@code tmux-{guid}} (Fargate needs no instances in it); found by its derived name (an INACTIVE
 * cluster of that name is a deleted one) and owned by its tags. Destroy retries while the deleted service drains.
 */
final class ClusterStep implements Step {
    static final String TYPE = "ECS cluster";
    private static final String SERVICE = "ECS";
    private static final int DELETE_ATTEMPTS = 10;
    private final StackState s;
    private final String name;
    private Cluster found;

    ClusterStep(StackState s) {
        this.s = s;
        this.name = s.clients.names().ecsCluster(s.projectGuid);
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.ECS_CLUSTER);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        found = find().orElse(null);
        if (found != null) {
            s.clusterArn = found.clusterArn();
        }
        return List.of(new Plan.ResourceChange(TYPE, name, found == null ? CREATE : KEEP,
                found == null ? "Fargate" : found.clusterArn()));
    }

    private Optional<Cluster> find() {
        Optional<Cluster> cluster = s.clients.call().run(SERVICE, "DescribeClusters", name, () -> s.clients.ecs()
                .describeClusters(b -> b.clusters(name).include(ClusterField.TAGS)).clusters().stream()
                .filter(c -> "ACTIVE".equals(c.status()) || "PROVISIONING".equals(c.status())).findFirst());
        cluster.ifPresent(c -> Ownership.requireTagged(TYPE, name, null, EcsTags.of(s, c.clusterArn(), c.tags()),
                s.guid));
        return cluster;
    }

    @Override
    public void apply(Run run) {
        boolean created = found == null;
        if (created) {
            found = s.clients.call().run(SERVICE, "CreateCluster", name, () -> s.clients.ecs()
                    .createCluster(b -> b.clusterName(name).tags(EcsTags.list(run)))
                    .cluster());
        }
        s.clusterArn = found.clusterArn();
        run.record(SERVICE, created ? "CreateCluster" : "DescribeClusters",
                AwsResources.builder().ecsCluster(name).build());
        run.noted(TYPE, name, created);
    }

    @Override
    public void planDestroy(Run run) {
        found = find().orElse(null);
        s.foundAny |= found != null;
    }

    @Override
    public void destroy(Run run) {
        if (found != null) {
            for (int attempt = 1; ; attempt++) {
                try {
                    s.clients.call().exec(SERVICE, "DeleteCluster", name, () -> s.clients.ecs()
                            .deleteCluster(b -> b.cluster(name)));
                    break;
                } catch (AwsRequestException e) {
                    boolean draining = "ClusterContainsServicesException".equals(e.errorCode())
                            || "ClusterContainsTasksException".equals(e.errorCode());
                    if (!draining || attempt == DELETE_ATTEMPTS) {
                        throw e;
                    }
                    s.clients.call().sleep(s.clients.pollInterval().multipliedBy(Math.min(attempt, 4)), "the cluster's service drained");
                }
            }
            run.progress("Deleted ECS cluster " + name);
        }
        run.forget(AwsResources.ECS_CLUSTER);
    }
}
