package dev.oneclick.site.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.errors.BucketNameTakenException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.internal.aws.BucketManager;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The private bucket {@code tmux-builder-{guid}}: Block Public Access on, ACLs disabled, SSE-S3, tagged, with a
 * lifecycle rule aborting incomplete multipart uploads after a day (merged into the bucket's own rules). Only the
 * name derived from the GUID is ever used (a bucket name in the record that differs is refused); an existing bucket
 * is this project's only if its project tag, where the store keeps tags, names this GUID.
 */
final class BucketStep implements Step {
    static final String TYPE = "S3 bucket";
    private final SiteState s;
    private Plan.ResourceChange.Action action;
    private boolean settingsNeeded;
    private boolean ruleNeeded;

    BucketStep(SiteState s) {
        this.s = s;
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.S3_BUCKET, AwsResources.REGION);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        AwsResources own = run.own();
        checkRecordedName(run);
        Optional<String> knownRegion = own.region();
        if (knownRegion.isPresent() && own.s3Bucket().isPresent() && !knownRegion.get().equals(run.region())) {
            throw new InvalidInputException("region", "Project " + s.guid + " is deployed in region "
                    + knownRegion.get() + ", not " + run.region() + ". Deploy with region " + knownRegion.get()
                    + ", or destroy the project first.");
        }
        s.bucketExists = s.buckets.inspect(s.bucket, run.region()) == BucketManager.BucketState.OWNED;
        if (!s.bucketExists) {
            action = CREATE;
            return List.of(new Plan.ResourceChange(TYPE, s.bucket, CREATE,
                    "private (Block Public Access on, ACLs disabled, SSE-S3), tagged, in " + run.region()));
        }
        Map<String, String> tags = checkOwner(run);
        if (s.sync != null) {
            // under the lease and once the bucket is known to be the project's: its manifest and listing are read
            // while the origin access control, the function and the distribution are looked up
            s.sync.prefetch(s.bucket);
        }
        boolean tagged = s.buckets.s3Compatible() || tags.entrySet().containsAll(run.tags().entrySet());
        settingsNeeded = !tagged || !s.buckets.isPrivate(s.bucket);
        ruleNeeded = !s.buckets.hasAbortRule(s.bucket);
        action = settingsNeeded || ruleNeeded ? REPAIR : KEEP;
        return List.of(new Plan.ResourceChange(TYPE, s.bucket, action, action == KEEP ? "exists, private"
                : "exists; " + (settingsNeeded ? "Block Public Access, ownership, encryption and tags will be set "
                + "again" : "") + (settingsNeeded && ruleNeeded ? "; " : "") + (ruleNeeded ? "the rule aborting "
                + "incomplete multipart uploads after a day will be added" : "")));
    }

    @Override
    public void apply(Run run) {
        boolean created = action == CREATE && s.buckets.create(s.bucket, run.region());
        // recorded before its settings, so a failure while making it private still leaves it on record
        run.record(AwsResources.builder().s3Bucket(s.bucket).region(run.region()).build());
        if (action == CREATE || settingsNeeded) {
            s.buckets.applyPrivateSettings(s.bucket, run.tags());
        }
        if (action == CREATE || ruleNeeded) {
            s.buckets.ensureAbortRule(s.bucket);
        }
        s.bucketExists = true;
        run.noted(TYPE, s.bucket, created);
    }

    @Override
    public void planDestroy(Run run) {
        checkRecordedName(run);
        String region = run.own().region().orElse(run.region());
        try {
            s.bucketExists = s.buckets.inspect(s.bucket, region) == BucketManager.BucketState.OWNED;
        } catch (BucketNameTakenException e) {
            run.progress("Bucket " + s.bucket + " belongs to another account; leaving it alone");
            s.bucketExists = false;
        }
        if (s.bucketExists) {
            checkOwner(run);
        }
    }

    @Override
    public void destroy(Run run) {
        if (s.bucketExists) {
            int n = s.buckets.emptyAndDelete(s.bucket);
            run.progress("Deleted bucket " + s.bucket + " and its " + n + " object version(s)");
        }
        run.forget(AwsResources.S3_BUCKET);
    }

    /** The engine only ever names the bucket after the GUID; a recorded name that differs is refused. */
    private void checkRecordedName(Run run) {
        Optional<String> recorded = run.own().s3Bucket();
        if (recorded.isPresent()) {
            Ownership.requireName(TYPE, recorded.get(), "oneclickResources." + AwsResources.S3_BUCKET,
                    recorded.get(), s.bucket, s.guid);
        }
    }

    /** A bucket tagged for another project or another user is not touched. */
    private Map<String, String> checkOwner(Run run) {
        Map<String, String> tags = s.buckets.currentTags(s.bucket);
        String taggedUser = tags.get(ResourceNames.TAG_USER_ID);
        if (taggedUser != null && !taggedUser.equals(run.userId())) {
            throw new InvalidInputException("userId", "Bucket " + s.bucket + " of project " + s.guid + " is tagged "
                    + "for user id '" + taggedUser + "', not '" + run.userId() + "'. Use the owner's user id, or a new "
                    + "GUID for a new project.");
        }
        if (tags.containsKey(ResourceNames.TAG_PROJECT_GUID)) {
            Ownership.requireTagged(TYPE, s.bucket, null, tags, s.guid);
        }
        return tags;
    }
}
