package dev.oneclick.site.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.internal.aws.CdnManager;
import dev.oneclick.internal.aws.TagRules;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CloudFront distribution in front of the bucket (OAC, regional endpoint, HTTPS redirect, SPA fallback). Found by
 * the recorded id, else by comment; either way it is this project's only when tagged with its GUID, so a foreign
 * distribution is never repointed at the bucket, disabled or deleted.
 */
final class DistributionStep implements Step {
    static final String TYPE = "CloudFront distribution";
    private static final String ENTRY = "oneclickResources." + AwsResources.CLOUD_FRONT_ID;
    private final SiteState s;
    private boolean repair;

    DistributionStep(SiteState s) {
        this.s = s;
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.CLOUD_FRONT_ID, AwsResources.CLOUD_FRONT_ARN, AwsResources.CLOUD_FRONT_URL);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        TagRules.check(run.tags()); // before anything is written: CloudFront refuses the create otherwise
        s.dist = find(run).orElse(null);
        if (s.dist == null) {
            return List.of(new Plan.ResourceChange(TYPE, s.comment, CREATE, "origin " + s.bucket + ".s3."
                    + run.region() + ".amazonaws.com with OAC, HTTPS redirect"
                    + ", SPA routing " + s.request.routing().name().toLowerCase(java.util.Locale.ROOT)));
        }
        repair = s.oacId == null || s.functionPending || s.cdn.needsUpdate(s.dist.id(), s.spec(run.region()));
        return List.of(new Plan.ResourceChange(TYPE, s.dist.id(), repair ? REPAIR : KEEP, s.dist.url() + " ("
                + s.dist.status() + ")"));
    }

    /** By the recorded id (its tag checked), else by comment among the distributions tagged with the GUID. */
    private Optional<CdnManager.Dist> find(Run run) {
        Optional<String> recorded = run.own().cloudFrontId().filter(id -> !id.isBlank());
        if (recorded.isPresent()) {
            Optional<CdnManager.Dist> byId = s.cdn.get(recorded.get());
            if (byId.isPresent()) {
                Ownership.requireTagged(TYPE, recorded.get(), ENTRY, s.cdn.tags(byId.get().arn()), s.guid);
                return byId;
            }
        }
        return s.cdn.findTagged(s.comment, d -> run.progress("CloudFront distribution " + d.id() + " has this "
                + "project's comment but is not tagged with its GUID; oneclick leaves it alone"));
    }

    @Override
    public void apply(Run run) {
        CdnManager.Spec spec = s.spec(run.region());
        if (s.dist != null) {
            if (repair && s.cdn.update(s.dist.id(), cfg -> CdnManager.applySpec(cfg, spec))) {
                run.progress("Updated CloudFront distribution " + s.dist.id() + " to oneclick's settings");
            }
        } else {
            CdnManager.Created made = s.cdn.create(spec, run.tags());
            s.dist = made.dist();
            s.newDist = made.created();
            if (!made.created()) {
                s.cdn.update(s.dist.id(), cfg -> CdnManager.applySpec(cfg, spec));
            }
        }
        s.url = s.dist.url();
        run.record("CloudFront", s.newDist ? "CreateDistributionWithTags" : "GetDistribution", AwsResources.builder()
                .cloudFrontId(s.dist.id()).cloudFrontArn(s.dist.arn()).cloudFrontUrl(s.url).siteUrl(s.url).build());
        run.noted(TYPE, s.dist.id(), s.newDist);
    }

    @Override
    public void planDestroy(Run run) {
        s.dist = find(run).orElse(null);
    }

    /**
     * Disables the distribution, waits (bounded) for it to deploy and deletes it; when it is still deploying after
     * the wait, the destroy is left unfinished for a rerun, with the id kept on record.
     */
    @Override
    public void destroy(Run run) {
        if (s.dist == null) {
            run.forget(AwsResources.CLOUD_FRONT_ID, AwsResources.CLOUD_FRONT_ARN, AwsResources.CLOUD_FRONT_URL,
                    AwsResources.SITE_URL);
            return;
        }
        String id = s.dist.id();
        if (s.cdn.disable(id)) {
            run.progress("Disabled CloudFront distribution " + id);
        }
        Optional<CdnManager.Dist> now = s.cdn.waitDeployed(id, s.clients.destroyWaitTimeout(),
                s.clients.pollInterval());
        if (now.isPresent() && !now.get().deployed()) {
            run.record(AwsResources.builder().cloudFrontId(id).cloudFrontArn(s.dist.arn()).build());
            run.incomplete("CloudFront distribution " + id + " is disabled but still " + now.get().status()
                    + " after " + s.clients.destroyWaitTimeout() + "; run destroy again in a few minutes to delete it"
                    + (s.oacId != null ? " and origin access control " + s.oacId : "") + ".");
            return;
        }
        s.cdn.delete(id);
        run.progress("Deleted CloudFront distribution " + id);
        run.forget(AwsResources.CLOUD_FRONT_ID, AwsResources.CLOUD_FRONT_ARN, AwsResources.CLOUD_FRONT_URL,
                AwsResources.SITE_URL);
    }
}
