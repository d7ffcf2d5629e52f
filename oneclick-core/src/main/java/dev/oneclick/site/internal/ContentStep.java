package dev.oneclick.site.internal;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Set;

/**
 * The site's files in the bucket: the content-hash sync (uploads, header-only copies, prune). Without a CDN it also
 * records the {@code siteUrl} (the given one, or the bucket's own URL). Destroy leaves the objects to the bucket
 * step, which empties the bucket before deleting it.
 */
final class ContentStep implements Step {
    private final SiteState s;

    ContentStep(SiteState s) {
        this.s = s;
    }

    @Override
    public Set<String> recordKeys() {
        return s.clients.cdnEnabled() ? Set.of() : Set.of(AwsResources.SITE_URL);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        s.syncPlan = s.sync().plan(s.bucket, s.snapshot, s.request.prune(), s.request.maxDeletes(), s.bucketExists);
        return List.of();
    }

    @Override
    public void apply(Run run) {
        if (!s.clients.cdnEnabled()) {
            s.url = s.clients.siteUrl() != null ? s.clients.siteUrl() : bucketUrl(run.region());
            run.record(AwsResources.builder().siteUrl(s.url).build());
        }
        s.synced = s.sync().apply(s.bucket, s.syncPlan);
    }

    private String bucketUrl(String region) {
        if (s.clients.s3Endpoint() != null) {
            String base = s.clients.s3Endpoint().toString().replaceAll("/+$", "");
            return base + "/" + s.bucket + "/" + page();
        }
        return "https://" + s.bucket + ".s3." + region + ".amazonaws.com/" + page();
    }

    /** The index document, or nothing for a site without one. */
    private String page() {
        return s.request.indexDocument() == null ? "" : s.request.indexDocument();
    }

    @Override
    public void destroy(Run run) {
        if (!s.clients.cdnEnabled()) {
            run.forget(AwsResources.SITE_URL);
        }
    }
}
