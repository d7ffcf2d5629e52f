package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * The log group {@code /oneclick/tmux-{guid}} the task's {@code awslogs} driver writes to, with a retention of
 * {@value #RETENTION_DAYS} days (logs kept forever are the quiet cost of many stacks); found by its derived name and
 * owned by its tags.
 */
final class LogGroupStep implements Step {
    static final String TYPE = "CloudWatch log group";
    static final int RETENTION_DAYS = 30;
    private static final String SERVICE = "CloudWatchLogs";
    private static final Set<String> NOT_FOUND = Set.of("ResourceNotFoundException");
    private final StackState s;
    private final String name;
    private LogGroup found;

    LogGroupStep(StackState s) {
        this.s = s;
        this.name = s.clients.names().logGroup(s.projectGuid);
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(StackKeys.LOG_GROUP);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        found = find().orElse(null);
        s.logGroup = name;
        if (found == null) {
            return List.of(new Plan.ResourceChange(TYPE, name, CREATE, "retention " + RETENTION_DAYS + " days"));
        }
        boolean retained = Objects.equals(found.retentionInDays(), RETENTION_DAYS);
        return List.of(new Plan.ResourceChange(TYPE, name, retained ? KEEP : REPAIR,
                "retention " + (retained ? "" : found.retentionInDays() + " -> ") + RETENTION_DAYS + " days"));
    }

    private Optional<LogGroup> find() {
        Optional<LogGroup> group = s.clients.call().run(SERVICE, "DescribeLogGroups", name, () -> s.clients.logs()
                .describeLogGroups(b -> b.logGroupNamePrefix(name)).logGroups().stream()
                .filter(g -> name.equals(g.logGroupName())).findFirst());
        group.ifPresent(g -> Ownership.requireTagged(TYPE, name, null, s.clients.call().run(SERVICE,
                "ListTagsForResource", name, () -> s.clients.logs().listTagsForResource(b -> b.resourceArn(arn(g)))
                        .tags()), s.guid));
        return group;
    }

    /** The group's ARN without the {@code :*} that {@code arn} ends with (what the tag calls take). */
    private static String arn(LogGroup g) {
        if (g.logGroupArn() != null) {
            return g.logGroupArn();
        }
        String a = g.arn();
        return a.endsWith(":*") ? a.substring(0, a.length() - 2) : a;
    }

    @Override
    public void apply(Run run) {
        boolean created = found == null;
        if (created) {
            s.clients.call().exec(SERVICE, "CreateLogGroup", name, () -> s.clients.logs()
                    .createLogGroup(b -> b.logGroupName(name).tags(run.tags())));
        }
        run.record(SERVICE, created ? "CreateLogGroup" : "DescribeLogGroups",
                AwsResources.builder().put(StackKeys.LOG_GROUP, name).build());
        if (created || !Objects.equals(found.retentionInDays(), RETENTION_DAYS)) {
            s.clients.call().exec(SERVICE, "PutRetentionPolicy", name, () -> s.clients.logs()
                    .putRetentionPolicy(b -> b.logGroupName(name).retentionInDays(RETENTION_DAYS)));
        }
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
            Calls.delete(s.clients.call(), SERVICE, "DeleteLogGroup", name, NOT_FOUND, () -> s.clients.logs()
                    .deleteLogGroup(b -> b.logGroupName(name)));
            run.progress("Deleted log group " + name);
        }
        run.forget(StackKeys.LOG_GROUP);
    }
}
