package dev.oneclick.site.internal;

import static dev.oneclick.site.internal.S3Calls.join;

import dev.oneclick.errors.OneclickException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Brings the deploy manifest ({@link Manifest}) up to date after a sync's transfers. Thread-safe.
 *
 * <p>The manifest is an index, not the source of truth (the metadata on each object is), so it is rewritten only
 * when enough of its entries went stale in a run (more than {@link #REWRITE_THRESHOLD}, or at least
 * 1/{@link #REWRITE_RATIO} of them): on a large site a one-file change costs exactly one PutObject instead of also
 * rewriting a manifest of thousands of entries, and the next plan checks that key with one HeadObject.
 */
final class ManifestWriter {
    /**
     * The manifest is rewritten when more entries than this went stale in a run, or when the stale entries are at
     * least 1/{@link #REWRITE_RATIO} of all entries.
     */
    static final int REWRITE_THRESHOLD = 32;
    /** See {@link #REWRITE_THRESHOLD}. */
    static final int REWRITE_RATIO = 64;

    private final S3AsyncClient s3;
    private final SyncEvents events;

    ManifestWriter(S3AsyncClient s3, SyncEvents events) {
        this.s3 = s3;
        this.events = events;
    }

    /**
     * Rewrites the manifest when enough of it went stale: what the plan found up to date, kept or unchanged, plus
     * what this run {@code written}; after a {@code failure}, the files that were to change but did not keep their
     * old entries. A failed write is recorded in {@code failure} (when it holds none yet).
     *
     * @return whether the manifest was written
     */
    boolean update(String bucket, SyncPlan plan, Map<String, Manifest.Entry> written,
            AtomicReference<Throwable> failure) {
        Map<String, Manifest.Entry> next = new HashMap<>(plan.keptEntries);
        for (SiteFile f : plan.unchangedFiles()) {
            next.put(f.key(), new Manifest.Entry(f.sha256(), f.size(), plan.listedEtags.get(f.key()),
                    f.contentType(), f.cacheControl()));
        }
        next.putAll(written);
        if (failure.get() != null) {
            // Files that were to change but did not: keep whatever the old manifest said, if anything.
            for (SiteFile f : plan.uploadFiles()) {
                if (!next.containsKey(f.key()) && plan.previousManifest.containsKey(f.key())) {
                    next.put(f.key(), plan.previousManifest.get(f.key()));
                }
            }
            for (SiteFile f : plan.headerFiles()) {
                if (!next.containsKey(f.key()) && plan.previousManifest.containsKey(f.key())) {
                    next.put(f.key(), plan.previousManifest.get(f.key()));
                }
            }
        }
        int stale = 0;
        for (Map.Entry<String, Manifest.Entry> e : next.entrySet()) {
            if (!e.getValue().equals(plan.previousManifest.get(e.getKey()))) {
                stale++;
            }
        }
        for (String k : plan.previousManifest.keySet()) {
            if (!next.containsKey(k)) {
                stale++;
            }
        }
        if (stale == 0 || (stale <= REWRITE_THRESHOLD && (long) stale * REWRITE_RATIO < next.size())) {
            return false;
        }
        byte[] json = Manifest.write(next);
        PutObjectRequest req = PutObjectRequest.builder().bucket(bucket).key(Manifest.KEY)
                .contentType("application/json").cacheControl("no-store").contentLength((long) json.length).build();
        try {
            join(s3.putObject(req, AsyncRequestBody.fromBytes(json)), "write the deploy manifest to " + bucket);
        } catch (OneclickException e) {
            failure.compareAndSet(null, e);
            return false;
        }
        events.progress("Deploy manifest updated (" + next.size() + " entries).");
        return true;
    }
}
