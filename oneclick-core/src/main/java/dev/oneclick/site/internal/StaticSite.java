package dev.oneclick.site.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The static-site deploy kind as a list of steps: bucket, origin access control, routing function, distribution,
 * bucket policy, content, invalidation (without a CDN: bucket and content). One instance serves one run.
 */
public final class StaticSite {
    private final SiteState s;
    private final InvalidationStep invalidation;
    private final List<Step> steps = new ArrayList<>();

    private StaticSite(SiteClients clients, ProjectGuid guid, DeployRequest request, DeployListener listener) {
        this.s = new SiteState(clients, guid, request, listener);
        this.invalidation = new InvalidationStep(s);
        steps.add(new BucketStep(s));
        if (clients.cdnEnabled()) {
            steps.add(new OacStep(s));
            steps.add(new RoutingFunctionStep(s));
            steps.add(new DistributionStep(s));
            steps.add(new BucketPolicyStep(s));
        }
        steps.add(new ContentStep(s));
        if (clients.cdnEnabled()) {
            steps.add(invalidation);
        }
    }

    /** The kind for a plan or deploy of {@code request}. */
    public static StaticSite forDeploy(SiteClients clients, ProjectGuid guid, DeployRequest request,
            DeployListener listener) {
        return new StaticSite(clients, guid, request, listener);
    }

    /** The kind for a destroy (no request: everything is found by record, name and tags). */
    public static StaticSite forDestroy(SiteClients clients, ProjectGuid guid, DeployListener listener) {
        return new StaticSite(clients, guid, DeployRequest.builder().guid(guid.value()).userId("destroy")
                .build(), listener);
    }

    /**
     * Makes the distribution send {@code /api/*} to the full stack's load balancer; {@code api} is read each time the
     * distribution step plans or applies (the load balancer's step runs before it and fills it in).
     */
    public void apiOrigin(java.util.function.Supplier<dev.oneclick.internal.aws.ApiOrigins.Api> api) {
        s.apiOrigin = api;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /**
     * Runs the build command when the request has one and {@code build} is set (a deploy; a plan only with
     * {@link DeployRequest#planBuild()}), then finds and hashes the site folder.
     */
    public void prepare(DeployListener listener, boolean build) {
        DeployRequest r = s.request;
        if (r.buildCommand() != null && build) {
            SiteSync.runBuild(r.projectDir(), r.buildCommand(), r.buildTimeout(), listener);
        } else if (r.buildCommand() != null) {
            SyncEvents.progress(listener, "The plan does not run the build command (planBuild is off): it plans the "
                    + "site folder as it is now.");
        }
        Path site = SiteSync.locateSite(r.siteDir(), r.projectDir());
        s.snapshot = SiteScanner.scan(site, r.cacheRules(), r.indexDocument(),
                SiteFilter.of(r.excludes(), r.includes()));
    }

    /** The plan of the run from the steps' resource changes and the content's sync plan. */
    public Plan plan(List<Plan.ResourceChange> changes) {
        SyncPlan p = s.syncPlan;
        List<String> invalidations = s.clients.cdnEnabled() ? invalidation.plannedPaths() : List.of();
        return new Plan(s.guid, s.bucket, changes, p.uploads(), p.headerUpdates(), p.deletes(), p.unchanged(),
                invalidations, s.snapshot == null ? List.of() : s.snapshot.excluded());
    }

    /** What the deploy did, with the resources as the record shows them. */
    public Deployment deployment(Run run, Plan plan, Duration took) {
        AwsResources shown = run.startRecord().map(r -> r.awsResources()).orElse(AwsResources.empty())
                .merge(run.own());
        SyncResult r = s.synced;
        return new Deployment(s.guid, shown, plan, run.created(), run.reused(), r.filesUploaded(),
                r.bytesUploaded(), r.headersUpdated(), r.deleted(), s.syncPlan.unchanged(), s.invalidationId,
                s.invalidated, s.url, took);
    }

    /** Whether the destroy found nothing at all of the project. */
    public boolean foundNothing() {
        return !s.bucketExists && s.oacId == null && s.dist == null;
    }

    /** Ends the run's background reads: no request of the run is sent after the deployer returns. */
    public void close() {
        s.settle();
    }
}
