package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * The task definition of family {@code tmux-{guid}-backend}: Fargate, awsvpc, the image by digest, the container
 * port, the environment (plus {@code PORT}, and with a database its host/port/name variables and its secret through
 * {@code secrets}), awslogs to the project's log group. A new revision is registered only when the fingerprint of all
 * that (kept as the revision's {@value #FINGERPRINT_TAG} tag) changes, so a rerun with nothing changed registers
 * nothing, and a rerun after a crash between register and record finds the revision it registered.
 */
final class TaskDefinitionStep implements Step {
    static final String TYPE = "ECS task definition";
    static final String CONTAINER = "backend";
    static final String FINGERPRINT_TAG = "oneclick:fingerprint";
    private static final String SERVICE = "ECS";
    private static final Set<String> NOT_FOUND = Set.of("ClientException");
    private final StackState s;
    private final String family;
    private TaskDefinition latest;
    private String latestFingerprint;

    TaskDefinitionStep(StackState s) {
        this.s = s;
        this.family = s.clients.names().ecsService(s.projectGuid);
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(StackKeys.TASK_DEFINITION_ARN);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        find();
        if (latest == null) {
            return List.of(new Plan.ResourceChange(TYPE, family, CREATE, "Fargate, awsvpc, " + s.backend.cpu()
                    + " CPU / " + s.backend.memory() + " MiB, port " + s.backend.containerPort()));
        }
        if (s.imageUri != null && fingerprint(run).equals(latestFingerprint)) {
            s.taskDefinitionArn = latest.taskDefinitionArn();
            return List.of(new Plan.ResourceChange(TYPE, family, KEEP, "revision " + latest.revision()));
        }
        s.taskDefinitionChanges = true;
        return List.of(new Plan.ResourceChange(TYPE, family, REPAIR, "register revision " + (latest.revision() + 1)
                + (s.imageUri == null ? " for the new image" : "")));
    }

    /** The family's latest ACTIVE revision, its tags checked, and its fingerprint. */
    private void find() {
        Optional<TaskDefinition> found = Calls.orEmpty(s.clients.call(), SERVICE, "DescribeTaskDefinition", family,
                NOT_FOUND, () -> {
                    var r = s.clients.ecs().describeTaskDefinition(b -> b.taskDefinition(family)
                            .include(TaskDefinitionField.TAGS));
                    latestFingerprint = null;
                    if (r.taskDefinition() == null
                            || r.taskDefinition().status() != TaskDefinitionStatus.ACTIVE) {
                        return null;
                    }
                    Map<String, String> tags = EcsTags.of(s, r.taskDefinition().taskDefinitionArn(), r.tags());
                    Ownership.requireTagged(TYPE, r.taskDefinition().taskDefinitionArn(), null, tags, s.guid);
                    latestFingerprint = tags.get(FINGERPRINT_TAG);
                    return r.taskDefinition();
                });
        latest = found.orElse(null);
    }

    @Override
    public void apply(Run run) {
        String fp = fingerprint(run);
        boolean register = latest == null || !fp.equals(latestFingerprint);
        if (register) {
            List<software.amazon.awssdk.services.ecs.model.Tag> tags = new ArrayList<>(EcsTags.list(run));
            tags.add(software.amazon.awssdk.services.ecs.model.Tag.builder().key(FINGERPRINT_TAG).value(fp).build());
            latest = s.clients.call().run(SERVICE, "RegisterTaskDefinition", family, () -> s.clients.ecs()
                    .registerTaskDefinition(b -> b.family(family)
                            .requiresCompatibilities(Compatibility.FARGATE)
                            .networkMode(NetworkMode.AWSVPC)
                            .cpu(Integer.toString(s.backend.cpu()))
                            .memory(Integer.toString(s.backend.memory()))
                            .executionRoleArn(s.executionRoleArn)
                            .containerDefinitions(container(run))
                            .tags(tags))
                    .taskDefinition());
            s.taskDefinitionChanges = true;
        }
        s.taskDefinitionArn = latest.taskDefinitionArn();
        run.record(SERVICE, register ? "RegisterTaskDefinition" : "DescribeTaskDefinition",
                AwsResources.builder().put(StackKeys.TASK_DEFINITION_ARN, s.taskDefinitionArn).build());
        run.noted(TYPE, family + ":" + latest.revision(), register);
    }

    private ContainerDefinition container(Run run) {
        List<KeyValuePair> env = environment().entrySet().stream()
                .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build()).toList();
        List<Secret> secrets = s.dbSecretArn == null ? List.of() : List.of(
                Secret.builder().name("DB_USERNAME").valueFrom(s.dbSecretArn + ":username::").build(),
                Secret.builder().name("DB_PASSWORD").valueFrom(s.dbSecretArn + ":password::").build());
        return ContainerDefinition.builder().name(CONTAINER).image(s.imageUri).essential(true)
                .portMappings(p -> p.containerPort(s.backend.containerPort()).protocol("tcp"))
                .environment(env).secrets(secrets)
                .logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS).options(Map.of(
                        "awslogs-group", s.logGroup, "awslogs-region", run.region(),
                        "awslogs-stream-prefix", CONTAINER)))
                .build();
    }

    /** The backend's variables, {@code PORT}, and with a database its engine, host, port and name (sorted). */
    private Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>(s.backend.environment());
        env.put("PORT", Integer.toString(s.backend.containerPort()));
        if (s.dbSecretArn != null && s.backend.database() != null) {
            env.put("DB_ENGINE", s.backend.database().engine().rdsName());
            env.put("DB_HOST", s.dbHost);
            env.put("DB_PORT", Integer.toString(s.dbPort));
            env.put("DB_NAME", s.backend.database().name());
        }
        return env;
    }

    /** SHA-256 (40 hex digits) over everything the revision holds. */
    private String fingerprint(Run run) {
        StringBuilder b = new StringBuilder("v1\n").append(s.imageUri).append('\n').append(s.backend.cpu())
                .append('/').append(s.backend.memory()).append('\n').append(s.executionRoleArn).append('\n')
                .append(s.logGroup).append('\n').append(run.region()).append('\n')
                .append(s.backend.containerPort()).append('\n').append(s.dbSecretArn).append('\n');
        environment().forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void planDestroy(Run run) {
        find();
        s.foundAny |= latest != null;
    }

    @Override
    public void destroy(Run run) {
        if (latest != null) {
            List<String> arns = s.clients.call().run(SERVICE, "ListTaskDefinitions", family, () -> s.clients.ecs()
                    .listTaskDefinitionsPaginator(b -> b.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
                    .taskDefinitionArns().stream().filter(a -> a.contains(":task-definition/" + family + ":"))
                    .toList());
            for (String arn : arns) {
                s.clients.call().exec(SERVICE, "DeregisterTaskDefinition", arn, () -> s.clients.ecs()
                        .deregisterTaskDefinition(b -> b.taskDefinition(arn)));
            }
            run.progress("Deregistered " + arns.size() + " revision(s) of task definition " + family);
        }
        run.forget(StackKeys.TASK_DEFINITION_ARN);
    }
}
