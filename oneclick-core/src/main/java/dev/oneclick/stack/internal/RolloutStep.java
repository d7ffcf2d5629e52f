package dev.oneclick.stack.internal;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.errors.RolloutFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The rollout check. "Services stable" also holds after a circuit-breaker rollback, so success here is the PRIMARY
 * deployment's {@code rolloutState} COMPLETED <em>with this deploy's task definition</em>. A FAILED rollout, or a
 * PRIMARY deployment of another task definition (the breaker rolled back), fails the deploy with a
 * {@link RolloutFailedException} carrying the stopped tasks' reasons and the last log lines; so does a rollout still
 * running after the backend's rollout timeout. No resource of its own.
 */
final class RolloutStep implements Step {
    static final int LOG_LINES = 20;
    private static final String SERVICE = "ECS";
    private final StackState s;
    private final String service;
    private final String cluster;

    RolloutStep(StackState s) {
        this.s = s;
        this.service = s.clients.names().ecsService(s.projectGuid);
        this.cluster = s.clients.names().ecsCluster(s.projectGuid);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        return List.of();
    }

    @Override
    public void apply(Run run) {
        Duration timeout = s.backend.rolloutTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        while (true) {
            Service svc = describe();
            Optional<Deployment> primary = svc.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
                    .findFirst();
            if (primary.isEmpty() || !s.taskDefinitionArn.equals(primary.get().taskDefinition())) {
                throw failed("was rolled back: its PRIMARY deployment runs " + primary.map(Deployment::taskDefinition)
                        .orElse("nothing") + ", not " + s.taskDefinitionArn + reason(primary), false);
            }
            DeploymentRolloutState state = primary.get().rolloutState();
            if (state == DeploymentRolloutState.COMPLETED) {
                if (s.serviceChanged) {
                    run.progress("ECS service " + service + " rolled out " + s.taskDefinitionArn);
                }
                return;
            }
            if (state == DeploymentRolloutState.FAILED) {
                throw failed("failed to roll out " + s.taskDefinitionArn + reason(primary), false);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw failed("did not finish rolling out " + s.taskDefinitionArn + " within " + timeout
                        + " (rollout " + state + ")", true);
            }
            if (!told) {
                run.progress("Waiting for ECS service " + service + " to roll out " + s.taskDefinitionArn
                        + " (at most " + timeout + ")");
                told = true;
            }
            s.clients.call().sleep(s.clients.pollInterval(), "waiting for ECS service " + service + " to roll out");
        }
    }

    private static String reason(Optional<Deployment> d) {
        return d.map(Deployment::rolloutStateReason).filter(r -> !r.isBlank()).map(r -> " (" + r + ")").orElse("");
    }

    private Service describe() {
        return s.clients.call().run(SERVICE, "DescribeServices", service, () -> s.clients.ecs()
                .describeServices(b -> b.cluster(cluster).services(service)).services().get(0));
    }

    private RolloutFailedException failed(String what, boolean timedOut) {
        List<String> reasons = stoppedReasons();
        List<String> lines = lastLogLines();
        StringBuilder m = new StringBuilder("ECS service ").append(service).append(' ').append(what).append('.');
        m.append(reasons.isEmpty() ? " No stopped tasks were found." : " Stopped tasks:\n  "
                + String.join("\n  ", reasons));
        if (!lines.isEmpty()) {
            m.append("\nLast lines of log group ").append(s.logGroup).append(":\n  ")
                    .append(String.join("\n  ", lines));
        }
        m.append("\nFix the backend (it must listen on port ").append(s.backend.containerPort())
                .append(" and answer ").append(s.backend.healthCheckPath()).append(") and deploy again.");
        return new RolloutFailedException(m.toString(), service, s.taskDefinitionArn, reasons, lines, timedOut);
    }

    /** Why the service's stopped tasks stopped: the task's reason, and each container's reason and exit code. */
    private List<String> stoppedReasons() {
        List<String> arns = s.clients.call().run(SERVICE, "ListTasks", service, () -> s.clients.ecs()
                .listTasks(b -> b.cluster(cluster).serviceName(service).desiredStatus(DesiredStatus.STOPPED))
                .taskArns());
        if (arns.isEmpty()) {
            return List.of();
        }
        List<Task> tasks = s.clients.call().run(SERVICE, "DescribeTasks", service, () -> s.clients.ecs()
                .describeTasks(b -> b.cluster(cluster).tasks(arns.subList(0, Math.min(arns.size(), 10)))).tasks());
        List<String> out = new ArrayList<>();
        for (Task t : tasks) {
            StringBuilder b = new StringBuilder(t.taskArn().substring(t.taskArn().lastIndexOf('/') + 1))
                    .append(": ").append(t.stoppedReason());
            t.containers().forEach(c -> {
                if (c.reason() != null || c.exitCode() != null) {
                    b.append("; container ").append(c.name()).append(c.exitCode() != null ? " exited "
                            + c.exitCode() : "").append(c.reason() != null ? " (" + c.reason() + ")" : "");
                }
            });
            out.add(b.toString());
        }
        return out;
    }

    /** The last {@value #LOG_LINES} lines of the newest log stream, when there is one. */
    private List<String> lastLogLines() {
        if (s.logGroup == null) {
            return List.of();
        }
        Optional<LogStream> newest = s.clients.call().run("CloudWatchLogs", "DescribeLogStreams", s.logGroup,
                () -> s.clients.logs().describeLogStreams(b -> b.logGroupName(s.logGroup)
                        .orderBy(OrderBy.LAST_EVENT_TIME).descending(true).limit(1)).logStreams().stream()
                        .findFirst());
        if (newest.isEmpty()) {
            return List.of();
        }
        return s.clients.call().run("CloudWatchLogs", "GetLogEvents", s.logGroup, () -> s.clients.logs()
                .getLogEvents(b -> b.logGroupName(s.logGroup).logStreamName(newest.get().logStreamName())
                        .startFromHead(false).limit(LOG_LINES)).events().stream().map(e -> e.message().strip())
                .toList());
    }
}
