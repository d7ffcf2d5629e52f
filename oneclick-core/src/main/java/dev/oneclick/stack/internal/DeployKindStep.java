package dev.oneclick.stack.internal;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Set;

/**
 * Writes {@code deployKind=fullStack} to the record before any resource of the stack exists, so a destroy (even after
 * a deploy that stopped half-way) runs the full stack's steps; forgotten last, when the destroy left nothing.
 */
final class DeployKindStep implements Step {
    @Override
    public Set<String> recordKeys() {
        return Set.of(FullStack.DEPLOY_KIND_KEY);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        return List.of();
    }

    @Override
    public void apply(Run run) {
        run.record(AwsResources.builder().put(FullStack.DEPLOY_KIND_KEY, FullStack.DEPLOY_KIND).build());
    }

    @Override
    public void destroy(Run run) {
        if (run.incompleteReason().isEmpty()) {
            run.forget(FullStack.DEPLOY_KIND_KEY);
        }
    }
}
