package dev.oneclick.site.internal;

import dev.oneclick.Plan.FileChange;
import dev.oneclick.errors.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Decides what a sync does: from a scanned site and what the bucket holds ({@link RemoteState}, plus the
 * HeadObject results for the keys it does not vouch for) to a {@link SyncPlan}. Pure: no I/O, no listener.
 *
 * <h2>How changes are detected</h2>
 * A remote object's state is its deploy-manifest entry while the listed ETag and size still match it (see
 * {@link RemoteState#confirmed}): a key deleted or overwritten by hand is noticed through the listing, and any key
 * without a matching entry is looked at with a HeadObject ({@link RemoteListing#head}), whose metadata hash decides.
 * ETags alone never decide (multipart ETags are not MD5s). A file whose bytes match but whose Content-Type or
 * Cache-Control rule changed is re-headered with a CopyObject onto itself (metadata directive REPLACE): no bytes
 * are uploaded (unless it is over the 5 GiB CopyObject limit).
 */
final class SyncPlanner {
    /** Above this many paths, invalidation is folded into {@code /*}. */
    static final int MAX_INVALIDATION_PATHS = 15;
    /** The largest object CopyObject can re-header; a larger one goes up again instead. */
    private static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;
    private static final Pattern BLANKS_AROUND_SEMICOLON = Pattern.compile("\\s*;\\s*");

    private SyncPlanner() {
    }

    /** @throws InvalidInputException (field {@code maxDeletes}) when {@code maxDeletes} is negative */
    static void checkMaxDeletes(int maxDeletes) {
        if (maxDeletes < 0) {
            throw new InvalidInputException("maxDeletes", "maxDeletes must be 0 or more, got " + maxDeletes);
        }
    }

    /**
     * The site files the bucket holds but whose manifest entry the listing does not vouch for: their state must be
     * read with a HeadObject ({@link RemoteListing#head}) before {@link #plan}.
     */
    static List<SiteFile> unconfirmed(SiteSnapshot site, RemoteState bucket) {
        List<SiteFile> toHead = new ArrayList<>();
        for (SiteFile f : site.files()) {
            if (bucket.listing().containsKey(f.key()) && bucket.confirmed(f.key()) == null) {
                toHead.add(f);
            }
        }
        return toHead;
    }

    /**
     * Compares the site with the bucket.
     *
     * @param bucket the bucket's name
     * @param site a scanned site
     * @param prune whether keys not in the site are deleted
     * @param maxDeletes the most keys this run may delete
     * @param held what the bucket holds ({@link RemoteState#EMPTY} when it is about to be created)
     * @param headed the HeadObject results for the {@link #unconfirmed} files (a file missing here is treated as
     *     changed, or new when not listed)
     * @throws InvalidInputException (field {@code maxDeletes}) when pruning would delete more than
     *     {@code maxDeletes} keys, saying how many
     */
    static SyncPlan plan(String bucket, SiteSnapshot site, boolean prune, int maxDeletes, RemoteState held,
            Map<String, Manifest.Entry> headed) {
        checkMaxDeletes(maxDeletes);
        Map<String, RemoteState.Listed> listing = held.listing();
        Map<String, Manifest.Entry> manifest = held.manifest();

        // Remote state per site key: from a manifest entry the listing confirms, else from HeadObject.
        Map<String, Manifest.Entry> remote = new HashMap<>();
        for (SiteFile f : site.files()) {
            if (!listing.containsKey(f.key())) {
                continue;
            }
            Manifest.Entry e = held.confirmed(f.key());
            if (e == null) {
                e = headed.get(f.key());
            }
            if (e != null) {
                remote.put(f.key(), e);
            }
        }

        List<SiteFile> uploadFiles = new ArrayList<>();
        List<SiteFile> headerFiles = new ArrayList<>();
        List<SiteFile> unchanged = new ArrayList<>();
        Map<String, FileChange.Reason> reasons = new HashMap<>();
        TreeSet<String> invalidate = new TreeSet<>();
        Map<String, String> listedEtags = new HashMap<>();
        for (SiteFile f : site.files()) {
            Manifest.Entry r = remote.get(f.key());
            if (r == null) {
                uploadFiles.add(f);
                reasons.put(f.key(), listing.containsKey(f.key()) ? FileChange.Reason.CHANGED : FileChange.Reason.NEW);
                if (listing.containsKey(f.key())) {
                    addInvalidation(invalidate, f.key(), null, f.cacheControl());
                }
            } else if (!r.sha256().equals(f.sha256())) {
                uploadFiles.add(f);
                reasons.put(f.key(), FileChange.Reason.CHANGED);
                addInvalidation(invalidate, f.key(), r.cacheControl(), f.cacheControl());
            } else if (!sameContentType(r.contentType(), f.contentType())
                    || !Objects.equals(r.cacheControl(), f.cacheControl())) {
                if (f.size() > MAX_COPY_SIZE) {
                    uploadFiles.add(f);
                    reasons.put(f.key(), FileChange.Reason.CHANGED);
                } else {
                    headerFiles.add(f);
                    if (listing.containsKey(f.key())) {
                        // the copy is made only if the object is still the one listed (copySourceIfMatch)
                        listedEtags.put(f.key(), listing.get(f.key()).etag());
                    }
                }
                addInvalidation(invalidate, f.key(), r.cacheControl(), f.cacheControl());
            } else {
                unchanged.add(f);
                listedEtags.put(f.key(), listing.get(f.key()).etag());
            }
        }

        Set<String> siteKeys = new HashSet<>();
        for (SiteFile f : site.files()) {
            siteKeys.add(f.key());
        }
        List<String> deletes = new ArrayList<>();
        Map<String, Manifest.Entry> kept = new HashMap<>();
        for (Map.Entry<String, RemoteState.Listed> e : listing.entrySet()) {
            String key = e.getKey();
            if (siteKeys.contains(key) || key.startsWith(Manifest.RESERVED_PREFIX) || key.endsWith("/")) {
                // A key ending in '/' is a folder placeholder (S3 console, some stores list folders so): no site
                // file can have that key, and it serves nothing, so prune leaves it alone.
                continue;
            }
            Manifest.Entry m = manifest.get(key);
            if (prune) {
                deletes.add(key);
                addInvalidation(invalidate, key, m == null ? null : m.cacheControl(), null);
            } else if (held.confirmed(key) != null) {
                kept.put(key, m);
            }
        }
        Collections.sort(deletes);
        if (deletes.size() > maxDeletes) {
            throw new InvalidInputException("maxDeletes", "Pruning would delete " + deletes.size()
                    + " objects from bucket " + bucket + " that are not in the site folder " + site.root()
                    + " (for example " + deletes.subList(0, Math.min(5, deletes.size())) + "), more than maxDeletes="
                    + maxDeletes + " allows. Nothing was changed. If the site folder is right, raise maxDeletes to at"
                    + " least " + deletes.size() + " (or turn prune off to keep them).");
        }

        // Assets first, HTML last (stable by key within each group).
        uploadFiles.sort(Comparator.comparing((SiteFile f) -> isHtml(f.key())).thenComparing(SiteFile::key));
        List<FileChange> uploads = new ArrayList<>(uploadFiles.size());
        for (SiteFile f : uploadFiles) {
            uploads.add(new FileChange(f.key(), f.size(), reasons.get(f.key())));
        }
        List<FileChange> headerChanges = new ArrayList<>(headerFiles.size());
        for (SiteFile f : headerFiles) {
            headerChanges.add(new FileChange(f.key(), f.size(), FileChange.Reason.HEADERS));
        }
        List<String> paths = invalidate.size() > MAX_INVALIDATION_PATHS ? List.of("/*") : List.copyOf(invalidate);
        return new SyncPlan(bucket, uploadFiles, uploads, headerFiles, headerChanges, deletes, unchanged, paths, kept,
                listedEtags, manifest);
    }

    private static void addInvalidation(Set<String> paths, String key, String oldCacheControl, String newCacheControl) {
        boolean couldBeCached = !HeaderRules.isImmutable(oldCacheControl)
                || (newCacheControl != null && !HeaderRules.isImmutable(newCacheControl));
        if (oldCacheControl == null) {
            couldBeCached = true;
        }
        if (!couldBeCached) {
            return;
        }
        paths.add("/" + encodePath(key));
        if (key.equals("index.html")) {
            paths.add("/");
        }
    }

    /** Percent-encodes a key for a CloudFront invalidation path (UTF-8; unreserved characters and '/' kept). */
    static String encodePath(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * Whether two Content-Type values mean the same (case and blanks around ';' ignored): some S3-compatible stores
     * give back {@code text/html;charset=utf-8} for {@code text/html; charset=utf-8}.
     */
    static boolean sameContentType(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        return BLANKS_AROUND_SEMICOLON.matcher(a).replaceAll(";").trim()
                .equalsIgnoreCase(BLANKS_AROUND_SEMICOLON.matcher(b).replaceAll(";").trim());
    }

    static boolean isHtml(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith(".html") || k.endsWith(".htm");
    }

}
