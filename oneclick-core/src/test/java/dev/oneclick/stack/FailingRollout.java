package dev.oneclick.stack;

import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * What moto cannot do: a rollout that goes wrong. On moto's real answers this rewrites the service's deployments
 * as ECS reports a failure: {@link Mode#FAILED} (the PRIMARY deployment's rollout FAILED, as when the circuit breaker
 * gives up), {@link Mode#ROLLED_BACK} (the breaker rolled back: the PRIMARY deployment runs the previous task
 * definition, COMPLETED, which is "services stable" too), or {@link Mode#STUCK} (IN_PROGRESS forever). Stopped tasks
 * are listed with ECS's reasons. {@code onRollout} runs at the first DescribeServices (the test writes log lines
 * there, as the container would).
 */
public final class FailingRollout implements ExecutionInterceptor {
    public static final String STOPPED_REASON = "Essential container in task exited";
    public static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/cluster/0123456789abcdef0123456789abcdef";

    public enum Mode {
        FAILED, ROLLED_BACK, STUCK
    }

    private final Mode mode;
    private final String previousTaskDefinition;
    private final Consumer<Service> onRollout;
    private volatile boolean told;

    public FailingRollout(Mode mode, String previousTaskDefinition, Consumer<Service> onRollout) {
        this.mode = mode;
        this.previousTaskDefinition = previousTaskDefinition;
        this.onRollout = onRollout;
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        if (response instanceof DescribeServicesResponse r && !r.services().isEmpty()) {
            Service s = r.services().get(0);
            if (!told) {
                told = true;
                onRollout.accept(s);
            }
            Deployment d = Deployment.builder().id("ecs-svc/1").status("PRIMARY")
                    .taskDefinition(mode == Mode.ROLLED_BACK ? previousTaskDefinition : s.taskDefinition())
                    .rolloutState(switch (mode) {
                        case FAILED -> DeploymentRolloutState.FAILED;
                        case ROLLED_BACK -> DeploymentRolloutState.COMPLETED;
                        case STUCK -> DeploymentRolloutState.IN_PROGRESS;
                    })
                    .rolloutStateReason(mode == Mode.FAILED ? "ECS deployment circuit breaker: tasks failed to start."
                            : null)
                    .build();
            return r.toBuilder().services(s.toBuilder().deployments(d).build()).build();
        }
        if (response instanceof ListTasksResponse r && context.request() instanceof ListTasksRequest q
                && "STOPPED".equals(q.desiredStatusAsString())) {
            return r.toBuilder().taskArns(TASK_ARN).build();
        }
        if (response instanceof DescribeTasksResponse r) {
            return r.toBuilder().tasks(Task.builder().taskArn(TASK_ARN).lastStatus("STOPPED")
                    .stoppedReason(STOPPED_REASON).containers(Container.builder().name("backend").exitCode(1)
                            .reason("OutOfMemoryError: Java heap space").build()).build()).failures(List.of())
                    .build();
        }
        return response;
    }
}
