package dev.oneclick.site.internal;

import dev.oneclick.Plan.FileChange;
import java.util.List;
import java.util.Map;

/**
 * What {@link SiteSync#apply} will do to a bucket, computed by {@link SiteSync#plan} without writing anything.
 * Immutable. Holds, besides the public lists, the small per-file state apply needs (the site files to send and
 * the remote state the plan was made against).
 */
public final class SyncPlan {
    private final String bucket;
    private final List<SiteFile> uploadFiles;
    private final List<FileChange> uploads;
    private final List<SiteFile> headerFiles;
    private final List<FileChange> headerUpdates;
    private final List<String> deletes;
    private final List<SiteFile> unchangedFiles;
    private final List<String> invalidationPaths;
    final Map<String, Manifest.Entry> keptEntries;
    final Map<String, String> listedEtags;
    final Map<String, Manifest.Entry> previousManifest;

    SyncPlan(String bucket, List<SiteFile> uploadFiles, List<FileChange> uploads, List<SiteFile> headerFiles,
            List<FileChange> headerUpdates, List<String> deletes, List<SiteFile> unchangedFiles,
            List<String> invalidationPaths, Map<String, Manifest.Entry> keptEntries, Map<String, String> listedEtags,
            Map<String, Manifest.Entry> previousManifest) {
        this.bucket = bucket;
        this.uploadFiles = List.copyOf(uploadFiles);
        this.uploads = List.copyOf(uploads);
        this.headerFiles = List.copyOf(headerFiles);
        this.headerUpdates = List.copyOf(headerUpdates);
        this.deletes = List.copyOf(deletes);
        this.unchangedFiles = List.copyOf(unchangedFiles);
        this.invalidationPaths = List.copyOf(invalidationPaths);
        this.keptEntries = Map.copyOf(keptEntries);
        this.listedEtags = Map.copyOf(listedEtags);
        this.previousManifest = Map.copyOf(previousManifest);
    }

    /** The bucket the plan was made for. */
    public String bucket() {
        return bucket;
    }

    /** Files whose bytes go up, with the reason ({@code NEW} or {@code CHANGED}), in upload order. */
    public List<FileChange> uploads() {
        return uploads;
    }

    /** Files whose bytes are already there but whose Content-Type or Cache-Control changes ({@code HEADERS}). */
    public List<FileChange> headerUpdates() {
        return headerUpdates;
    }

    /** Keys to delete; empty when prune is off. */
    public List<String> deletes() {
        return deletes;
    }

    /** How many site files are already up to date. */
    public int unchanged() {
        return unchangedFiles.size();
    }

    /**
     * CDN paths to invalidate after apply: changed, re-headered or deleted files that are not served as immutable,
     * URL-encoded, with {@code /index.html} also as {@code /}; folded into {@code /*} above
     * {@link SiteSync#MAX_INVALIDATION_PATHS} paths; empty when nothing a client could hold stale changed.
     */
    public List<String> invalidationPaths() {
        return invalidationPaths;
    }

    /** Whether apply would change nothing. */
    public boolean isEmpty() {
        return uploads.isEmpty() && headerUpdates.isEmpty() && deletes.isEmpty();
    }

    List<SiteFile> uploadFiles() {
        return uploadFiles;
    }

    List<SiteFile> headerFiles() {
        return headerFiles;
    }

    List<SiteFile> unchangedFiles() {
        return unchangedFiles;
    }

    @Override
    public String toString() {
        return "SyncPlan[bucket=" + bucket + ", uploads=" + uploads.size() + ", headerUpdates=" + headerUpdates.size()
                + ", deletes=" + deletes.size() + ", unchanged=" + unchangedFiles.size() + ", invalidations="
                + invalidationPaths + "]";
    }
}
