package dev.oneclick.maven.iam;

import dev.oneclick.maven.iam.IamActions.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The IAM actions of the full stack's compute calls (ECR, ECS, CloudWatch Logs, IAM), with the resource ARN IAM checks
 * each on: the {@code tmux-} repository, cluster, service, log group and execution role. Creating with tags needs the
 * tagging action too; registering a task definition passes the execution role ({@code iam:PassRole}). Calls IAM cannot
 * scope to a resource ({@code ecr:GetAuthorizationToken}, the task-definition calls, {@code ecs:ListTasks},
 * {@code logs:DescribeLogGroups}) are on {@code *}. Jib's push to ECR is the registry API, not an SDK call, listed as
 * its own operations ({@code ImagePush...}).
 */
final class StackComputeActions {
    static final Set<String> SERVICES = Set.of("ecr", "ecs", "cloudwatchlogs", "iam");
    /** Actions IAM cannot scope to a resource (lower case, as {@link IamPolicy#actions()} lists them). */
    static final List<String> ON_STAR = List.of("ecr:getauthorizationtoken", "ecs:registertaskdefinition",
            "ecs:describetaskdefinition", "ecs:listtaskdefinitions", "ecs:deregistertaskdefinition", "ecs:listtasks",
            "logs:describeloggroups");
    /** The SDK clients of these services, for {@link EngineOperationsTest}'s scan of the engine's calls. */
    static final java.util.Map<String, List<Class<?>>> CLIENTS = java.util.Map.of(
            "Ecr", List.of(software.amazon.awssdk.services.ecr.EcrClient.class),
            "Ecs", List.of(software.amazon.awssdk.services.ecs.EcsClient.class),
            "CloudWatchLogs", List.of(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.class),
            "Iam", List.of(software.amazon.awssdk.services.iam.IamClient.class));
    private static final String A = IamActions.ACCOUNT;
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";
    /** The registry calls jib makes to push (and the digest lookup by tag). */
    static final List<String> ECR_PUSH = List.of("BatchCheckLayerAvailability", "InitiateLayerUpload",
            "UploadLayerPart", "CompleteLayerUpload", "PutImage", "BatchGetImage");

    private StackComputeActions() {
    }

    static List<Required> of(AwsOperation op) {
        String service = op.service().toLowerCase(Locale.ROOT);
        String r = op.region();
        String name = op.operation();
        List<Required> out = new ArrayList<>();
        switch (service) {
            case "ecr" -> {
                String repo = "arn:aws:ecr:" + r + ":" + A + ":repository/tmux-" + GUID + "-backend";
                out.add(new Required("ecr:" + name, name.equals("GetAuthorizationToken") ? "*" : repo));
                if (name.equals("CreateRepository")) {
                    out.add(new Required("ecr:TagResource", repo));
                }
            }
            case "ecs" -> {
                String base = "arn:aws:ecs:" + r + ":" + A + ":";
                String cluster = base + "cluster/tmux-" + GUID;
                String svc = base + "service/tmux-" + GUID + "/tmux-" + GUID + "-backend";
                switch (name) {
                    case "DescribeClusters", "DeleteCluster" -> out.add(new Required("ecs:" + name, cluster));
                    case "CreateCluster" -> {
                        out.add(new Required("ecs:CreateCluster", cluster));
                        out.add(new Required("ecs:TagResource", cluster));
                    }
                    case "RegisterTaskDefinition" -> {
                        out.add(new Required("ecs:RegisterTaskDefinition", "*"));
                        out.add(new Required("ecs:TagResource", base + "task-definition/tmux-" + GUID + "-backend:1"));
                        out.add(new Required("iam:PassRole", "arn:aws:iam::" + A + ":role/tmux-" + GUID + "-exec"));
                    }
                    case "DescribeTaskDefinition", "ListTaskDefinitions", "DeregisterTaskDefinition", "ListTasks" ->
                            out.add(new Required("ecs:" + name, "*"));
                    case "CreateService" -> {
                        out.add(new Required("ecs:CreateService", svc));
                        out.add(new Required("ecs:TagResource", svc));
                    }
                    case "DescribeTasks" -> out.add(new Required("ecs:DescribeTasks", base + "task/tmux-" + GUID
                            + "/0123456789abcdef0123456789abcdef"));
                    case "ListTagsForResource" -> out.add(new Required("ecs:ListTagsForResource", cluster));
                    default -> out.add(new Required("ecs:" + name, svc));
                }
            }
            case "cloudwatchlogs" -> {
                String group = "arn:aws:logs:" + r + ":" + A + ":log-group:/oneclick/tmux-" + GUID;
                switch (name) {
                    case "DescribeLogGroups" -> out.add(new Required("logs:DescribeLogGroups", "*"));
                    case "CreateLogGroup" -> {
                        out.add(new Required("logs:CreateLogGroup", group));
                        out.add(new Required("logs:TagResource", group));
                    }
                    case "DescribeLogStreams", "GetLogEvents" -> out.add(new Required("logs:" + name, group
                            + ":log-stream:backend/backend/0123"));
                    default -> out.add(new Required("logs:" + name, group));
                }
            }
            case "iam" -> {
                String role = "arn:aws:iam::" + A + ":role/tmux-" + GUID + "-exec";
                out.add(new Required("iam:" + name, role));
                if (name.equals("CreateRole")) {
                    out.add(new Required("iam:TagRole", role));
                }
            }
            default -> throw new IllegalArgumentException("not a compute call of the full stack: " + op);
        }
        return out;
    }

    /** The full stack's compute calls (stack.internal: repository, image, log group, role, cluster, task, service). */
    static List<AwsOperation> operations() {
        List<AwsOperation> ops = new ArrayList<>();
        for (String op : List.of("DescribeRepositories", "ListTagsForResource", "CreateRepository",
                "PutImageScanningConfiguration", "DeleteRepository", "GetAuthorizationToken")) {
            ops.add(AwsOperation.of("Ecr", op));
        }
        for (String op : ECR_PUSH) {
            ops.add(AwsOperation.of("Ecr", op));
        }
        for (String op : List.of("DescribeClusters", "CreateCluster", "DeleteCluster", "DescribeTaskDefinition",
                "RegisterTaskDefinition", "ListTaskDefinitions", "DeregisterTaskDefinition", "DescribeServices",
                "CreateService", "UpdateService", "DeleteService", "ListTasks", "DescribeTasks",
                "ListTagsForResource")) {
            ops.add(AwsOperation.of("Ecs", op));
        }
        for (String op : List.of("DescribeLogGroups", "ListTagsForResource", "CreateLogGroup", "PutRetentionPolicy",
                "DeleteLogGroup", "DescribeLogStreams", "GetLogEvents")) {
            ops.add(AwsOperation.of("CloudWatchLogs", op));
        }
        for (String op : List.of("GetRole", "ListRoleTags", "ListAttachedRolePolicies", "CreateRole",
                "AttachRolePolicy", "DetachRolePolicy", "ListRolePolicies", "DeleteRolePolicy", "DeleteRole")) {
            ops.add(AwsOperation.of("Iam", op));
        }
        return ops;
    }
}
