package dev.oneclick.stack.internal;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Set;

/**
 * Records {@code apiUrl}, the distribution's address of the backend ({@code {cloudFrontUrl}/api/}), once the
 * distribution with the load balancer as its {@code /api/*} origin exists; forgets it on destroy.
 */
final class ApiUrlStep implements Step {
    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.API_URL);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        return List.of();
    }

    @Override
    public void apply(Run run) {
        run.own().cloudFrontUrl().ifPresent(url -> run.record(AwsResources.builder()
                .apiUrl((url.endsWith("/") ? url : url + "/") + "api/").build()));
    }

    @Override
    public void destroy(Run run) {
        run.forget(AwsResources.API_URL);
    }
}
