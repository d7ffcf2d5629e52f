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
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The task execution role ECS pulls the image and writes the logs with: {@code tmux-{guid}-exec} (the derived
 * name), trusted by {@code ecs-tasks.amazonaws.com}, with AWS's managed {@value #POLICY_NAME} policy; owned by its
 * tags; with a database, an inline policy {@value #SECRET_POLICY} allowing {@code secretsmanager:GetSecretValue} on
 * the database's secret (ECS reads it with this role when it starts a task). A role ARN given in the request is used
 * as it is and never changed or deleted (it must allow the same itself).
 */
final class ExecutionRoleStep implements Step {
    static final String TYPE = "IAM task execution role";
    static final String POLICY_NAME = "AmazonECSTaskExecutionRolePolicy";
    static final String POLICY_ARN = "arn:aws:iam::aws:policy/service-role/" + POLICY_NAME;
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    /** The inline policy that lets ECS read the database's secret into the task's {@code secrets}. */
    static final String SECRET_POLICY = "oneclick-database-secret";
    private static final String SERVICE = "IAM";
    private static final Set<String> NOT_FOUND = Set.of("NoSuchEntity");
    private final StackState s;
    private final String name;
    private Role found;
    private boolean attached;
    private boolean secretReadable;
    /** The secret the plan checked the inline policy for (a new database's secret exists only after its apply). */
    private String checkedSecret;

    ExecutionRoleStep(StackState s) {
        this.s = s;
        this.name = s.clients.names().executionRole(s.projectGuid);
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(StackKeys.EXECUTION_ROLE_ARN);
    }

    private String given() {
        return s.backend == null ? null : s.backend.executionRoleArn();
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        if (given() != null) {
            s.executionRoleArn = given();
            return List.of(new Plan.ResourceChange(TYPE, given(), KEEP, "given in the request; not changed"));
        }
        found = find().orElse(null);
        if (found == null) {
            return List.of(new Plan.ResourceChange(TYPE, name, CREATE, "trusted by ecs-tasks, " + POLICY_NAME));
        }
        s.executionRoleArn = found.arn();
        attached = attachedPolicies().stream().anyMatch(p -> POLICY_ARN.equals(p.policyArn()));
        checkedSecret = s.dbSecretArn;
        secretReadable = s.dbSecretArn == null || secretPolicyAllows(s.dbSecretArn);
        return List.of(new Plan.ResourceChange(TYPE, name, attached && secretReadable ? KEEP : REPAIR,
                !attached ? "attach " + POLICY_NAME : !secretReadable ? "allow reading the database secret"
                        : found.arn()));
    }

    private Optional<Role> find() {
        Optional<Role> role = Calls.orEmpty(s.clients.call(), SERVICE, "GetRole", name, NOT_FOUND,
                () -> s.clients.iam().getRole(b -> b.roleName(name)).role());
        role.ifPresent(r -> Ownership.requireTagged(TYPE, name, null, Calls.tagMap(s.clients.call().run(SERVICE,
                "ListRoleTags", name, () -> s.clients.iam().listRoleTags(b -> b.roleName(name)).tags()),
                Tag::key, Tag::value), s.guid));
        return role;
    }

    /** Whether the inline policy allows reading {@code secretArn} (IAM returns the document URL-encoded). */
    private boolean secretPolicyAllows(String secretArn) {
        return Calls.orEmpty(s.clients.call(), SERVICE, "GetRolePolicy", name, NOT_FOUND, () -> s.clients.iam()
                .getRolePolicy(b -> b.roleName(name).policyName(SECRET_POLICY)).policyDocument())
                .map(d -> java.net.URLDecoder.decode(d, java.nio.charset.StandardCharsets.UTF_8))
                .filter(d -> d.contains("secretsmanager:GetSecretValue") && d.contains("\"" + secretArn + "\""))
                .isPresent();
    }

    static String secretPolicy(String secretArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"" + secretArn + "\"}]}";
    }

    private List<AttachedPolicy> attachedPolicies() {
        return s.clients.call().run(SERVICE, "ListAttachedRolePolicies", name, () -> s.clients.iam()
                .listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies());
    }

    @Override
    public void apply(Run run) {
        if (given() != null) {
            return;
        }
        boolean created = found == null;
        if (created) {
            found = s.clients.call().run(SERVICE, "CreateRole", name, () -> s.clients.iam()
                    .createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST)
                            .description("oneclick: ECS task execution role of project " + s.guid)
                            .tags(run.tags().entrySet().stream()
                                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()))
                    .role());
        }
        s.executionRoleArn = found.arn();
        run.record(SERVICE, created ? "CreateRole" : "GetRole",
                AwsResources.builder().put(StackKeys.EXECUTION_ROLE_ARN, found.arn()).build());
        if (!attached) {
            s.clients.call().exec(SERVICE, "AttachRolePolicy", name, () -> s.clients.iam()
                    .attachRolePolicy(b -> b.roleName(name).policyArn(POLICY_ARN)));
        }
        if (s.dbSecretArn != null && (created || !(s.dbSecretArn.equals(checkedSecret) ? secretReadable
                : secretPolicyAllows(s.dbSecretArn)))) {
            s.clients.call().exec(SERVICE, "PutRolePolicy", name, () -> s.clients.iam()
                    .putRolePolicy(b -> b.roleName(name).policyName(SECRET_POLICY)
                            .policyDocument(secretPolicy(s.dbSecretArn))));
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
            for (AttachedPolicy p : attachedPolicies()) {
                s.clients.call().exec(SERVICE, "DetachRolePolicy", name, () -> s.clients.iam()
                        .detachRolePolicy(b -> b.roleName(name).policyArn(p.policyArn())));
            }
            for (String inline : s.clients.call().run(SERVICE, "ListRolePolicies", name,
                    () -> s.clients.iam().listRolePolicies(b -> b.roleName(name)).policyNames())) {
                s.clients.call().exec(SERVICE, "DeleteRolePolicy", name, () -> s.clients.iam()
                        .deleteRolePolicy(b -> b.roleName(name).policyName(inline)));
            }
            Calls.delete(s.clients.call(), SERVICE, "DeleteRole", name, NOT_FOUND,
                    () -> s.clients.iam().deleteRole(b -> b.roleName(name)));
            run.progress("Deleted IAM role " + name);
        }
        run.forget(StackKeys.EXECUTION_ROLE_ARN);
    }
}
