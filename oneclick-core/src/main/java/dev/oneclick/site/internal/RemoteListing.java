package dev.oneclick.site.internal;

import static dev.oneclick.site.internal.S3Calls.join;
import static dev.oneclick.site.internal.S3Calls.normEtag;
import static dev.oneclick.site.internal.S3Calls.unwrap;

import dev.oneclick.internal.aws.DirectS3;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads what a bucket holds, for {@link SyncPlanner}. Writes nothing. Thread-safe.
 *
 * <p>Every object oneclick uploads carries its SHA-256 in the user metadata {@code x-amz-meta-oneclick-sha256}
 * ({@link Manifest#SHA256_METADATA}). The deploy manifest at {@link Manifest#KEY} indexes those hashes (and the
 * Content-Type, Cache-Control and ETag of each object), so a plan costs one GET for the manifest plus a
 * ListObjectsV2 of the bucket (1 request per 1,000 keys, several at once: {@link BucketLister}) instead of a
 * HeadObject per key. Only the keys the listing does not vouch for in the manifest (see
 * {@link RemoteState#confirmed}) are looked at with a HeadObject ({@link #head}), at most {@code concurrency} at
 * once; the hash in their metadata decides.
 *
 * <p>The listing asks for {@code encoding-type=url} (the SDK decodes the keys when the store answers so), so a key
 * XML cannot carry (a control character someone else put in the bucket) cannot break the plan.
 */
final class RemoteListing {
    private final S3AsyncClient s3;
    private final Supplier<DirectS3> direct;
    private final int concurrency;
    private final LongSupplier throttles;
    private final SyncEvents events;
    private final Map<String, CompletableFuture<RemoteState>> prefetched = new ConcurrentHashMap<>();

    /** @param direct sends the listing's pages instead of {@code s3} (see {@link BucketLister}); null: s3 does */
    RemoteListing(S3AsyncClient s3, Supplier<DirectS3> direct, int concurrency, LongSupplier throttles,
            SyncEvents events) {
        this.s3 = s3;
        this.direct = direct;
        this.concurrency = concurrency;
        this.throttles = throttles;
        this.events = events;
    }

    /**
     * Starts reading a bucket's deploy manifest and listing in the background; the next {@link #read} of that
     * bucket takes the result. Reads nothing twice. The bucket must exist.
     */
    void prefetch(String bucket) {
        prefetched.computeIfAbsent(Objects.requireNonNull(bucket, "bucket"), this::start);
    }

    /**
     * Waits for every prefetch no {@link #read} took (a run that failed before its plan read the bucket), ignoring
     * their outcome, so no request of the run is still being sent or retried once the run has returned. Bounded by
     * the client's own retry limit.
     */
    void settle() {
        for (CompletableFuture<RemoteState> f : prefetched.values()) {
            try {
                f.handle((state, failure) -> null).join();
            } catch (RuntimeException ignored) {
                // handled above; nothing of a prefetch nobody reads matters
            }
        }
        prefetched.clear();
    }

    /**
     * The bucket's listing and manifest: the prefetched ones when {@link #prefetch} was called for it (a prefetch
     * is used up either way), else read now.
     *
     * @param bucketExists false when the bucket is about to be created: then nothing is read
     * @throws dev.oneclick.errors.OneclickException when S3 cannot be read
     */
    RemoteState read(String bucket, boolean bucketExists) {
        CompletableFuture<RemoteState> early = prefetched.remove(bucket);
        if (!bucketExists) {
            return RemoteState.EMPTY;
        }
        if (early != null) {
            // A prefetch made before the bucket existed (or that failed) is not the bucket's state: read again.
            CompletableFuture<RemoteState> e = early.exceptionallyCompose(x -> start(bucket));
            early = e;
        }
        RemoteState state = join(early != null ? early : start(bucket), "read bucket " + bucket);
        events.progress("Bucket " + bucket + ": " + state.listing().size() + " objects listed, manifest has "
                + state.manifest().size() + " entries.");
        return state;
    }

    private CompletableFuture<RemoteState> start(String bucket) {
        CompletableFuture<Map<String, Manifest.Entry>> manifestFuture = readManifest(bucket);
        CompletableFuture<Map<String, RemoteState.Listed>> listed =
                BucketLister.list(s3, direct, bucket, manifestFuture.thenApply(Map::keySet));
        return manifestFuture.thenCombine(listed, (m, listing) -> new RemoteState(listing, m));
    }

    /**
     * The remote state of {@code files} from a HeadObject each: an entry for every key that exists and carries
     * {@link Manifest#SHA256_METADATA}. Nothing is read when {@code files} is empty.
     *
     * @throws dev.oneclick.errors.OneclickException when S3 cannot be read
     */
    Map<String, Manifest.Entry> head(String bucket, List<SiteFile> files) {
        if (files.isEmpty()) {
            return Map.of();
        }
        events.progress("Checking " + files.size() + " objects without a current manifest entry.");
        AsyncLimiter limiter = AsyncLimiter.adaptive(concurrency, throttles);
        Map<String, Manifest.Entry> found = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> all = new ArrayList<>(files.size());
        for (SiteFile f : files) {
            all.add(limiter.submit(() -> s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(f.key()).build()))
                    .handle((HeadObjectResponse r, Throwable e) -> {
                        if (e != null) {
                            Throwable c = unwrap(e);
                            if (c instanceof S3Exception s && s.statusCode() == 404) {
                                return null;
                            }
                            throw new CompletionException(c);
                        }
                        String sha = r.metadata().get(Manifest.SHA256_METADATA);
                        if (sha != null) {
                            found.put(f.key(), new Manifest.Entry(sha.toLowerCase(Locale.ROOT),
                                    r.contentLength() == null ? -1 : r.contentLength(), normEtag(r.eTag()),
                                    r.contentType(), r.cacheControl()));
                        }
                        return null;
                    }));
        }
        join(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), "read object metadata in " + bucket);
        return found;
    }

    private CompletableFuture<Map<String, Manifest.Entry>> readManifest(String bucket) {
        return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(Manifest.KEY).build(),
                        AsyncResponseTransformer.<GetObjectResponse>toBytes())
                .handle((ResponseBytes<GetObjectResponse> bytes, Throwable e) -> {
                    if (e != null) {
                        Throwable c = unwrap(e);
                        if (c instanceof NoSuchKeyException || (c instanceof S3Exception s && s.statusCode() == 404)) {
                            return Map.of();
                        }
                        throw new CompletionException(c);
                    }
                    try {
                        return Manifest.read(bytes.asInputStream());
                    } catch (IOException | RuntimeException bad) {
                        events.progress("The deploy manifest " + Manifest.KEY + " cannot be read (" + bad.getMessage()
                                + "); checking objects one by one instead.");
                        return Map.of();
                    }
                });
    }
}
