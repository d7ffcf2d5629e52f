package dev.oneclick.stack;

import java.util.List;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Corrects moto 5.2.1's ECS: {@code UpdateService} with a new task definition changes the service's
 * {@code taskDefinition} but keeps the deployment made at creation, still naming the old task definition. AWS starts
 * a new PRIMARY deployment of the new task definition; this answers as AWS does once that deployment has rolled out
 * (the rollout state moto gave the first one, fixed by {@code MOTO_ECS_SERVICE_RUNNING}).
 */
public final class MotoEcsDeployments implements ExecutionInterceptor {
    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (!(context.response() instanceof DescribeServicesResponse r)) {
            return context.response();
        }
        List<Service> services = r.services().stream().map(MotoEcsDeployments::correct).toList();
        return r.toBuilder().services(services).build();
    }

    private static Service correct(Service s) {
        if (s.deployments().size() != 1 || s.taskDefinition() == null
                || s.taskDefinition().equals(s.deployments().get(0).taskDefinition())) {
            return s;
        }
        Deployment d = s.deployments().get(0).toBuilder().taskDefinition(s.taskDefinition()).build();
        return s.toBuilder().deployments(d).build();
    }
}
