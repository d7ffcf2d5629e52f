package dev.oneclick.site.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.internal.aws.CdnManager;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Invalidates what a cache could hold stale (changed or deleted paths that are not immutable; a new distribution
 * has nothing cached), then, when asked, waits (bounded) for the distribution to be Deployed.
 */
final class InvalidationStep implements Step {
    private final SiteState s;

    InvalidationStep(SiteState s) {
        this.s = s;
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        return List.of();
    }

    /** The paths the plan shows: only an existing distribution has anything cached. */
    List<String> plannedPaths() {
        return s.dist != null ? s.syncPlan.invalidationPaths() : List.of();
    }

    @Override
    public void apply(Run run) {
        if (!s.newDist && !s.syncPlan.invalidationPaths().isEmpty()) {
            s.invalidated = s.syncPlan.invalidationPaths();
            s.invalidationId = s.cdn.invalidate(s.dist.id(), s.invalidated, s.guid + "-" + UUID.randomUUID());
            run.listener().invalidationSent(new DeployListener.InvalidationSent(s.guid, s.dist.id(),
                    s.invalidationId, s.invalidated));
        }
        if (s.request.waitForDeployed()) {
            Optional<CdnManager.Dist> now = s.cdn.waitDeployed(s.dist.id(), s.request.waitTimeout(),
                    s.clients.pollInterval());
            if (now.isPresent() && !now.get().deployed()) {
                run.progress("CloudFront distribution " + s.dist.id() + " is still " + now.get().status() + " after "
                        + s.request.waitTimeout() + "; it keeps deploying and serves the site once Deployed");
            }
        }
    }
}
