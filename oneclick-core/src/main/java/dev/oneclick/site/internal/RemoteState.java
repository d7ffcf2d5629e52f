package dev.oneclick.site.internal;

import java.util.Map;
import java.util.Objects;

/**
 * What a bucket holds, as {@link RemoteListing} read it: every listed key with its ETag and size, and the entries
 * of the deploy manifest (see {@link Manifest}). The maps are not copied (a listing can hold many thousand keys);
 * whoever makes one does not change them afterwards.
 *
 * @param listing each listed key: its ETag (quotes removed) and size (-1 when not given)
 * @param manifest the manifest's entries by key; empty when there is none or it cannot be read
 */
record RemoteState(Map<String, Listed> listing, Map<String, Manifest.Entry> manifest) {
    /** A bucket that holds nothing (or is about to be created). */
    static final RemoteState EMPTY = new RemoteState(Map.of(), Map.of());

    /** One listed object. */
    record Listed(String etag, long size) {
    }

    /**
     * The manifest entry of a listed key when the listing still vouches for it (same size and ETag), else null: a
     * key deleted or overwritten by hand since the manifest was written gets no entry.
     */
    Manifest.Entry confirmed(String key) {
        Listed l = listing.get(key);
        Manifest.Entry e = manifest.get(key);
        return l != null && e != null && e.size() == l.size() && Objects.equals(S3Calls.normEtag(e.etag()), l.etag())
                ? e : null;
    }
}
