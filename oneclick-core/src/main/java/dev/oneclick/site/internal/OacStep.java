package dev.oneclick.site.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Origin Access Control CloudFront signs its requests to the bucket with. An OAC cannot be tagged, so it is this
 * project's only when its name is the one derived from the GUID: a recorded id naming another OAC is refused.
 */
final class OacStep implements Step {
    static final String TYPE = "CloudFront origin access control";
    private static final String ENTRY = "oneclickResources." + AwsResources.ORIGIN_ACCESS_CONTROL_ID;
    private final SiteState s;

    OacStep(SiteState s) {
        this.s = s;
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.ORIGIN_ACCESS_CONTROL_ID);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        s.oacId = find(run).orElse(null);
        return List.of(new Plan.ResourceChange(TYPE, s.oacName, s.oacId != null ? KEEP : CREATE,
                s.oacId != null ? "id " + s.oacId : "SigV4, always sign, S3 origin"));
    }

    /** By the recorded id (its name checked), else by name. */
    private Optional<String> find(Run run) {
        Optional<String> recorded = run.own().originAccessControlId().filter(id -> !id.isBlank());
        if (recorded.isPresent()) {
            Optional<String> name = s.cdn.oacName(recorded.get());
            if (name.isPresent()) {
                Ownership.requireName(TYPE, recorded.get(), ENTRY, name.get(), s.oacName, s.guid);
                return recorded;
            }
        }
        return s.cdn.findOac(s.oacName);
    }

    @Override
    public void apply(Run run) {
        boolean created = s.oacId == null;
        if (created) {
            s.oacId = s.cdn.createOac(s.oacName);
        }
        run.record("CloudFront", created ? "CreateOriginAccessControl" : "ListOriginAccessControls",
                AwsResources.builder().originAccessControlId(s.oacId).build());
        run.noted(TYPE, s.oacName, created);
    }

    @Override
    public void planDestroy(Run run) {
        s.oacId = find(run).orElse(null);
    }

    @Override
    public void destroy(Run run) {
        if (run.incompleteReason().isPresent()) {
            return;
        }
        if (s.oacId != null) {
            s.cdn.deleteOac(s.oacId);
            run.progress("Deleted origin access control " + s.oacId);
        }
        run.forget(AwsResources.ORIGIN_ACCESS_CONTROL_ID);
    }
}
