package dev.oneclick.site.internal;

import static dev.oneclick.site.internal.S3Calls.normEtag;

import dev.oneclick.internal.aws.DirectS3;
import dev.oneclick.internal.aws.ListPage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.EncodingType;

/**
 * Lists a whole bucket with several ListObjectsV2 requests in flight instead of one page after another.
 *
 * <p>ListObjectsV2 pages are sequential: each needs the previous one's continuation token. But a listing can also
 * start after any key ({@code start-after}), so when the keys the bucket probably holds are known (the deploy
 * manifest's), the key space is cut at every {@value #PAGE}th of them and the ranges are listed at once, at most
 * {@value #IN_FLIGHT} at a time. The first page is asked for before those keys are known, so a bucket of up to
 * {@value #PAGE} keys costs one request, as before.
 *
 * <p>The cut points only decide how the work is split, never what is listed (they need not even be in the store's
 * order). Range <i>k</i> starts after cut
 * <i>k</i> and goes on page by page until it has seen cut <i>k+1</i> itself or a key that comes after it (in UTF-8
 * byte order, S3's, and in UTF-16 order, which some S3-compatible stores use; a key the two orders disagree on does
 * not stop it), or the bucket's end. So a key added or removed since the manifest was written, or a manifest that is
 * wrong or absent, costs more requests, never a key left out. Ranges may overlap at their edges; the listing is a
 * map. A store that ignores {@code start-after} lists from the start in every range: slower, still complete.
 *
 * <p>The pages go through {@link DirectS3} when the deployer has one (its XML reading costs a fraction of the
 * SDK's, which builds a document tree and then objects for each of the 1,000 keys of a page), else the SDK.
 */
final class BucketLister {
    /** Keys per page (the most S3 returns), and so the distance between cut points. */
    static final int PAGE = 1000;
    /** The most ranges listed at once. */
    static final int IN_FLIGHT = 8;

    private final S3AsyncClient s3;
    private final Supplier<DirectS3> direct;
    private final String bucket;
    private final int pageSize;
    private final Map<String, RemoteState.Listed> listing = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    private BucketLister(S3AsyncClient s3, Supplier<DirectS3> direct, String bucket, int pageSize) {
        this.s3 = s3;
        this.direct = direct;
        this.bucket = bucket;
        this.pageSize = pageSize;
    }

    /**
     * Lists {@code bucket}: every key with its ETag and size. {@code expected} (the keys the bucket is thought to
     * hold; empty when unknown) only decides how the listing is split; it fails when {@code expected} fails.
     *
     * @param direct sends the pages instead of {@code s3}; null: {@code s3} does
     */
    static CompletableFuture<Map<String, RemoteState.Listed>> list(S3AsyncClient s3, Supplier<DirectS3> direct,
            String bucket, CompletableFuture<? extends Collection<String>> expected) {
        return new BucketLister(s3, direct, bucket, PAGE).run(expected);
    }

    /**
     * As {@link #list}, with pages of {@code pageSize} keys (and cut points as far apart), also giving how many
     * ListObjectsV2 requests were sent: for tests.
     */
    static CompletableFuture<Counted> listCounted(S3AsyncClient s3, Supplier<DirectS3> direct, String bucket,
            CompletableFuture<? extends Collection<String>> expected, int pageSize) {
        BucketLister lister = new BucketLister(s3, direct, bucket, pageSize);
        return lister.run(expected).thenApply(l -> new Counted(l, lister.requests.get()));
    }

    /** A listing and the number of requests it took. */
    record Counted(Map<String, RemoteState.Listed> listing, int requests) {
    }

    private CompletableFuture<Map<String, RemoteState.Listed>> run(
            CompletableFuture<? extends Collection<String>> expected) {
        return page(null, null).thenCombine(expected, (first, keys) -> {
            add(first);
            if (!more(first)) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            List<String> cuts = first.contents().isEmpty() ? List.of() : cuts(keys, last(first), pageSize);
            List<Range> ranges = new ArrayList<>(cuts.size() + 1);
            ranges.add(new Range(null, first.nextContinuationToken(), cuts.isEmpty() ? null : cuts.get(0)));
            for (int i = 0; i < cuts.size(); i++) {
                ranges.add(new Range(cuts.get(i), null, i + 1 < cuts.size() ? cuts.get(i + 1) : null));
            }
            return all(ranges);
        }).thenCompose(f -> f).thenApply(v -> listing);
    }

    /** One stretch of the key space: from after {@code startAfter} (or a continuation token) to {@code upTo}. */
    private record Range(String startAfter, String token, String upTo) {
    }

    private CompletableFuture<Void> all(List<Range> ranges) {
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(IN_FLIGHT, ranges.size()); w++) {
            workers.add(worker(ranges, next));
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> worker(List<Range> ranges, AtomicInteger next) {
        int i = next.getAndIncrement();
        if (i >= ranges.size()) {
            return CompletableFuture.completedFuture(null);
        }
        Range r = ranges.get(i);
        return range(r.startAfter, r.token, r.upTo).thenCompose(v -> worker(ranges, next));
    }

    private CompletableFuture<Void> range(String startAfter, String token, String upTo) {
        return page(startAfter, token).thenCompose(p -> {
            add(p);
            if (!more(p) || reached(p, upTo)) {
                return CompletableFuture.completedFuture(null);
            }
            return range(null, p.nextContinuationToken(), upTo);
        });
    }

    private CompletableFuture<ListPage> page(String startAfter, String token) {
        requests.incrementAndGet();
        if (direct != null) {
            return direct.get().listObjectsV2(bucket, startAfter, token, pageSize);
        }
        return s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(pageSize).encodingType(EncodingType.URL)
                .startAfter(startAfter).continuationToken(token)).thenApply(r -> new ListPage(r.contents().stream()
                        .map(o -> new ListPage.Item(o.key(), o.eTag(), o.size() == null ? -1 : o.size())).toList(),
                        r.nextContinuationToken()));
    }

    private void add(ListPage page) {
        for (ListPage.Item o : page.contents()) {
            listing.put(o.key(), new RemoteState.Listed(normEtag(o.etag()), o.size()));
        }
    }

    private static boolean more(ListPage page) {
        String token = page.nextContinuationToken();
        return token != null && !token.isEmpty();
    }

    private static String last(ListPage page) {
        return page.contents().get(page.contents().size() - 1).key();
    }

    /** Whether the page holds {@code upTo} or a key after it: the next range lists on from there. */
    private static boolean reached(ListPage page, String upTo) {
        if (upTo == null) {
            return false;
        }
        for (ListPage.Item o : page.contents()) {
            if (o.key().equals(upTo) || after(o.key(), upTo)) {
                return true;
            }
        }
        return false;
    }

    /** Every {@code pageSize}th of the expected keys after {@code last}. */
    static List<String> cuts(Collection<String> expected, String last, int pageSize) {
        List<String> later = new ArrayList<>();
        for (String k : expected) {
            if (after(k, last)) {
                later.add(k);
            }
        }
        later.sort(null); // UTF-16 order: cheaper, and the cuts need not be in the store's order (see above)
        List<String> cuts = new ArrayList<>();
        for (int i = pageSize - 1; i < later.size() - 1; i += pageSize) {
            cuts.add(later.get(i));
        }
        return cuts;
    }

    /** Whether {@code a} comes after {@code b} both in UTF-8 byte order (code points) and in UTF-16 order. */
    static boolean after(String a, String b) {
        return a.compareTo(b) > 0 && compareUtf8(a, b) > 0;
    }

    /** S3's key order: UTF-8 bytes, which is the order of code points. */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
