package dev.oneclick.site.internal;

import static dev.oneclick.site.internal.S3Calls.failed;
import static dev.oneclick.site.internal.S3Calls.normEtag;
import static dev.oneclick.site.internal.S3Calls.unwrap;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.internal.aws.DirectS3;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Carries out a {@link SyncPlan}: the uploads, header updates and deletions, then the manifest update
 * ({@link ManifestWriter}). Thread-safe; each {@link #apply} has its own state.
 *
 * <h2>Transfers</h2>
 * At most {@code concurrency} S3 requests are in flight (one {@link AsyncLimiter} per apply, its limit an
 * {@link AdaptiveLimit}: it starts lower, grows while throughput keeps up and halves on throttling). Files are
 * streamed from disk (never held in memory); files of {@link #MULTIPART_THRESHOLD} bytes or more go up as multipart
 * uploads in equal parts of about {@link #PART_SIZE} bytes, larger for huge files ({@link MultipartUpload}: a failed
 * part cancels its siblings and the upload is aborted). Non-HTML files go up before HTML files and deletions come
 * last, so a page never points at an asset that is not there yet. Every object is written with its SHA-256 in
 * {@link Manifest#SHA256_METADATA}.
 */
final class Transfers {
    /** Files at least this large go up as multipart uploads. */
    static final long MULTIPART_THRESHOLD = 8L * 1024 * 1024;
    /** Files up to this size are read into memory when their upload starts; larger ones stream from disk. */
    static final long SMALL_FILE_BYTES = 256 * 1024;
    /** Multipart part size: files are split into equal parts of about this size, larger ones above 1,000 parts. */
    static final long PART_SIZE = 8L * 1024 * 1024;
    /** How much of a streamed file is read at a time (the SDK's default is 16 KiB). */
    static final int FILE_CHUNK_BYTES = 128 * 1024;
    /** The most keys one DeleteObjects request carries. */
    private static final int DELETE_BATCH = 1000;

    private final S3AsyncClient s3;
    /** Sends single-part uploads instead of {@link #s3} when not null. */
    private final Supplier<DirectS3> directS3;
    private final int concurrency;
    private final LongSupplier throttles;
    private final SyncEvents events;
    private final ManifestWriter manifest;

    Transfers(S3AsyncClient s3, Supplier<DirectS3> directS3, int concurrency, LongSupplier throttles,
            SyncEvents events) {
        this.s3 = s3;
        this.directS3 = directS3;
        this.concurrency = concurrency;
        this.throttles = throttles;
        this.events = events;
        this.manifest = new ManifestWriter(s3, events);
    }

    /**
     * Applies a plan: uploads (multipart for large files), re-headers in place, deletes, then updates the manifest
     * when needed. At most {@code concurrency} requests are in flight; each finished file is reported through
     * {@link DeployListener#fileUploaded} or {@link DeployListener#fileDeleted}. On the first failure no new work
     * starts; what already succeeded is recorded, and a {@link OneclickException} names the failed key.
     */
    SyncResult apply(String bucket, SyncPlan plan) {
        if (!plan.bucket().equals(bucket)) {
            throw new IllegalArgumentException("The plan was made for bucket " + plan.bucket() + ", not " + bucket);
        }
        Run run = new Run(bucket);
        List<SiteFile> assets = new ArrayList<>();
        List<SiteFile> pages = new ArrayList<>();
        for (SiteFile f : plan.uploadFiles()) {
            (SyncPlanner.isHtml(f.key()) ? pages : assets).add(f);
        }
        for (SiteFile f : assets) {
            run.submit(() -> upload(run, f));
        }
        run.drain();
        for (SiteFile f : pages) {
            run.submit(() -> upload(run, f));
        }
        for (SiteFile f : plan.headerFiles()) {
            String listed = plan.listedEtags.get(f.key());
            run.submit(() -> copyHeaders(run, f, listed));
        }
        run.drain();
        List<String> deletes = plan.deletes();
        for (int i = 0; i < deletes.size(); i += DELETE_BATCH) {
            List<String> batch = deletes.subList(i, Math.min(deletes.size(), i + DELETE_BATCH));
            run.submit(() -> delete(run, batch));
        }
        run.drain();
        long throttled = run.limiter.throttled();
        if (throttled > 0) {
            events.progress("S3 answered 503 SlowDown or 429 " + throttled + (throttled == 1 ? " time" : " times")
                    + " (each retried); requests in flight went as low as " + run.limiter.lowest() + ", and ended at "
                    + run.limiter.limit() + ".");
        }

        boolean manifestWritten = manifest.update(bucket, plan, run.written, run.failure);
        Throwable failure = run.failure.get();
        if (failure != null) {
            if (failure instanceof OneclickException oe) {
                throw oe;
            }
            throw new OneclickException("Sync to bucket " + bucket + " failed: " + failure.getMessage(), failure);
        }
        return new SyncResult(run.uploaded.get(), run.bytes.sum(), run.headers.get(), run.deleted.get(),
                manifestWritten);
    }

    /** The state of one apply. */
    private final class Run {
        final String bucket;
        final AsyncLimiter limiter = AsyncLimiter.adaptive(concurrency, throttles);
        final int slotCount = concurrency * 2;
        final Semaphore slots = new Semaphore(slotCount);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Map<String, Manifest.Entry> written = new ConcurrentHashMap<>();
        final AtomicInteger uploaded = new AtomicInteger();
        final AtomicInteger headers = new AtomicInteger();
        final AtomicInteger deleted = new AtomicInteger();
        final LongAdder bytes = new LongAdder();
        volatile boolean singleDeletes;

        Run(String bucket) {
            this.bucket = bucket;
        }

        /** Starts one file's work once fewer than 2 x concurrency files are open; nothing new after a failure. */
        void submit(java.util.function.Supplier<CompletableFuture<?>> work) {
            if (failure.get() != null) {
                return;
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, new OneclickException("Interrupted while syncing to " + bucket, e));
                return;
            }
            CompletableFuture<?> f;
            try {
                f = work.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((v, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, unwrap(e));
                }
                slots.release();
            });
        }

        /** Waits until every submitted file is done. */
        void drain() {
            slots.acquireUninterruptibly(slotCount);
            slots.release(slotCount);
        }
    }

    private CompletableFuture<?> upload(Run run, SiteFile f) {
        long size;
        try {
            size = Files.size(f.path());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new OneclickException("Cannot read '" + f.key() + "' (" + f.path()
                    + ") any more: " + e.getMessage(), e));
        }
        if (size != f.size()) {
            return CompletableFuture.failedFuture(new OneclickException("'" + f.key() + "' changed while deploying ("
                    + f.size() + " bytes when scanned, " + size + " now). Let the build finish, then deploy again."));
        }
        CompletableFuture<String> etag = f.size() >= MULTIPART_THRESHOLD ? multipart(run, f) : put(run, f);
        return etag.handle((tag, e) -> {
            if (e != null) {
                throw new CompletionException(failed(f.size() >= MULTIPART_THRESHOLD ? "UploadPart" : "PutObject",
                        "'" + f.key() + "' in bucket " + run.bucket, e));
            }
            run.written.put(f.key(), new Manifest.Entry(f.sha256(), f.size(), normEtag(tag), f.contentType(),
                    f.cacheControl()));
            run.uploaded.incrementAndGet();
            run.bytes.add(f.size());
            events.uploaded(f.key(), f.size(), false);
            return null;
        });
    }

    private CompletableFuture<String> put(Run run, SiteFile f) {
        PutObjectRequest req = PutObjectRequest.builder().bucket(run.bucket).key(f.key())
                .contentType(f.contentType()).cacheControl(f.cacheControl()).contentLength(f.size())
                .metadata(Map.of(Manifest.SHA256_METADATA, f.sha256())).build();
        if (directS3 != null) {
            Supplier<byte[]> bytes = f.size() <= SMALL_FILE_BYTES ? () -> read(f) : null;
            return run.limiter.submit(f.size(), () -> directS3.get().putObject(req, f.sha256(), f.path(), f.size(),
                    bytes));
        }
        return run.limiter.submit(f.size(), () -> s3.putObject(req, body(f))).thenApply(r -> r.eTag());
    }

    /**
     * The request body of a single-part upload. A small file is read when its request starts (so at most
     * {@code concurrency} small files are in memory at once, {@link #SMALL_FILE_BYTES} each at most): that costs far
     * less per request than an asynchronous file channel. Larger files stream from disk.
     */
    private static AsyncRequestBody body(SiteFile f) {
        if (f.size() <= SMALL_FILE_BYTES) {
            return AsyncRequestBody.fromBytesUnsafe(read(f));
        }
        return AsyncRequestBody.fromFile(FileRequestBodyConfiguration.builder().path(f.path())
                .chunkSizeInBytes(FILE_CHUNK_BYTES).build());
    }

    /** A small file's bytes, which must still be as many as the scan saw. */
    private static byte[] read(SiteFile f) {
        try {
            byte[] bytes = Files.readAllBytes(f.path());
            if (bytes.length != f.size()) {
                throw new OneclickException("'" + f.key() + "' changed while deploying (" + f.size()
                        + " bytes when scanned, " + bytes.length + " now). Let the build finish, then deploy again.");
            }
            return bytes;
        } catch (IOException e) {
            throw new OneclickException("Cannot read '" + f.key() + "' (" + f.path() + "): " + e.getMessage(), e);
        }
    }

    private CompletableFuture<String> multipart(Run run, SiteFile f) {
        return new MultipartUpload(s3, run.limiter, run.bucket, f, PART_SIZE).start();
    }

    /**
     * Re-applies the headers in place (CopyObject with REPLACE), only if the object still has the ETag the listing
     * showed: a concurrent writer that replaced the bytes makes the copy fail (412) instead of stamping its bytes
     * with this run's hash.
     */
    private CompletableFuture<?> copyHeaders(Run run, SiteFile f, String listedEtag) {
        CopyObjectRequest.Builder b = CopyObjectRequest.builder().sourceBucket(run.bucket).sourceKey(f.key())
                .destinationBucket(run.bucket).destinationKey(f.key()).metadataDirective(MetadataDirective.REPLACE)
                .contentType(f.contentType()).cacheControl(f.cacheControl())
                .metadata(Map.of(Manifest.SHA256_METADATA, f.sha256()));
        if (listedEtag != null && !listedEtag.isEmpty()) {
            b.copySourceIfMatch(listedEtag.startsWith("\"") ? listedEtag : "\"" + listedEtag + "\"");
        }
        CopyObjectRequest req = b.build();
        return run.limiter.submit(() -> s3.copyObject(req)).handle((r, e) -> {
            if (e != null) {
                // 412 PreconditionFailed: another writer replaced the object since it was listed
                throw new CompletionException(failed("CopyObject", "'" + f.key() + "' in bucket " + run.bucket
                        + " (headers only, if still ETag " + listedEtag + ")", e));
            }
            String tag = r.copyObjectResult() == null ? null : r.copyObjectResult().eTag();
            run.written.put(f.key(), new Manifest.Entry(f.sha256(), f.size(), normEtag(tag), f.contentType(),
                    f.cacheControl()));
            run.headers.incrementAndGet();
            events.uploaded(f.key(), 0, true);
            return null;
        });
    }

    private CompletableFuture<?> delete(Run run, List<String> keys) {
        if (run.singleDeletes) {
            return deleteOneByOne(run, keys);
        }
        if (keys.stream().anyMatch(KeyNames::hasControlCharacter)) {
            // DeleteObjects' XML body cannot carry them (S3 answers MalformedXML, s3proxy and moto 500): one by one.
            List<String> odd = keys.stream().filter(KeyNames::hasControlCharacter).toList();
            List<String> rest = keys.stream().filter(k -> !KeyNames.hasControlCharacter(k)).toList();
            return CompletableFuture.allOf(deleteOneByOne(run, odd),
                    rest.isEmpty() ? CompletableFuture.completedFuture(null) : delete(run, rest));
        }
        List<ObjectIdentifier> ids = new ArrayList<>(keys.size());
        for (String k : keys) {
            ids.add(ObjectIdentifier.builder().key(k).build());
        }
        // DeleteObjects must carry a checksum; Content-MD5 is the one most S3-compatible stores accept.
        DeleteObjectsRequest req = DeleteObjectsRequest.builder().bucket(run.bucket)
                .delete(Delete.builder().objects(ids).quiet(false).build())
                .overrideConfiguration(c -> c.addPlugin(LegacyMd5Plugin.create())).build();
        return run.limiter.submit(() -> s3.deleteObjects(req)).handle((DeleteObjectsResponse r, Throwable e) -> {
            if (e != null) {
                if (unwrap(e) instanceof S3Exception s && (s.statusCode() == 501 || s.statusCode() == 405)) {
                    // An S3-compatible store without multi-object delete (NotImplemented or MethodNotAllowed)
                    run.singleDeletes = true;
                    return deleteOneByOne(run, keys);
                }
                throw new CompletionException(failed("DeleteObjects", keys.size() + " keys of bucket " + run.bucket,
                        e));
            }
            r.deleted().forEach(d -> {
                run.deleted.incrementAndGet();
                events.deleted(d.key());
            });
            if (r.hasErrors() && !r.errors().isEmpty()) {
                var first = r.errors().get(0);
                throw new CompletionException(new OneclickException("Deleting from bucket " + run.bucket + " failed"
                        + " for " + r.errors().size() + " keys, first '" + first.key() + "': " + first.code() + " "
                        + first.message()));
            }
            return CompletableFuture.completedFuture(null);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Void> deleteOneByOne(Run run, List<String> keys) {
        List<CompletableFuture<Void>> all = new ArrayList<>(keys.size());
        for (String key : keys) {
            all.add(run.limiter.submit(() -> s3.deleteObject(b -> b.bucket(run.bucket).key(key))).handle((r, e) -> {
                if (e != null) {
                    throw new CompletionException(failed("DeleteObject", "'" + key + "' in bucket " + run.bucket, e));
                }
                run.deleted.incrementAndGet();
                events.deleted(key);
                return null;
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }
}
