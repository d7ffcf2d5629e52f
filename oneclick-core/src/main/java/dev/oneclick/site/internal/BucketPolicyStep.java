package dev.oneclick.site.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.internal.aws.BucketManager;
import dev.oneclick.internal.aws.BucketPolicies;
import java.util.List;

/**
 * oneclick's statements in the bucket policy: only the project's distribution reads the bucket (no public access),
 * and not the deploy manifest's folder. Statements of others (by {@code Sid}, see
 * {@link dev.oneclick.internal.aws.BucketPolicies}) are kept on deploy and on destroy, which removes only oneclick's.
 */
final class BucketPolicyStep implements Step {
    static final String TYPE = "S3 bucket policy";
    private final SiteState s;
    private Plan.ResourceChange.Action action;

    BucketPolicyStep(SiteState s) {
        this.s = s;
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        if (s.dist == null) {
            action = CREATE;
            return List.of(new Plan.ResourceChange(TYPE, s.bucket, CREATE, "read only by the new distribution"));
        }
        if (s.buckets().s3Compatible()) {
            action = KEEP;
            return List.of(new Plan.ResourceChange(TYPE, s.bucket, KEEP, "not supported by the S3-compatible "
                    + "endpoint"));
        }
        String current = s.bucketExists ? s.buckets().currentPolicy(s.bucket) : null;
        action = BucketManager.policyMatches(current, s.bucket, s.dist.arn()) ? KEEP : current == null ? CREATE
                : REPAIR;
        return List.of(new Plan.ResourceChange(TYPE, s.bucket, action, "read only by distribution " + s.dist.id()
                + ", manifest denied"));
    }

    @Override
    public void apply(Run run) {
        if (action != KEEP && s.buckets().putCloudFrontPolicy(s.bucket, s.dist.arn())) {
            run.progress("Bucket policy of " + s.bucket + " lets only CloudFront distribution " + s.dist.id()
                    + " read it (not " + BucketPolicies.MANIFEST_PREFIX + ")");
        }
    }

    /** Runs before the bucket's own destroy: oneclick's statements go, everyone else's stay. */
    @Override
    public void destroy(Run run) {
        if (s.bucketExists && s.buckets().removeOwnPolicy(s.bucket)) {
            run.progress("Removed oneclick's statements from the bucket policy of " + s.bucket);
        }
    }
}
