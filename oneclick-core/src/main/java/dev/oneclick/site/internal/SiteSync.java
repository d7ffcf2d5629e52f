package dev.oneclick.site.internal;

import dev.oneclick.errors.BuildFailedException;
import dev.oneclick.DeployListener;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.site.CacheRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The static-site sync engine: validates and hashes a built site folder, compares it with what a bucket holds,
 * and uploads, re-headers and deletes only what differs. One instance per deploy; thread-safe.
 *
 * <h2>How changes are detected</h2>
 * Every object oneclick uploads carries its SHA-256 in the user metadata {@code x-amz-meta-oneclick-sha256}. The
 * deploy manifest at {@link #MANIFEST_KEY} indexes those hashes (and the Content-Type, Cache-Control and ETag of
 * each object), so a plan costs one GET for the manifest plus a ListObjectsV2 of the bucket (1 request per 1,000
 * keys) instead of a HeadObject per key. A manifest entry counts only while the listed ETag and size still match
 * it: a key deleted or overwritten by hand is noticed through the listing, and any key without a matching entry
 * is looked at with a HeadObject (its metadata hash decides). ETags alone never decide (multipart ETags are not
 * MD5s). A file whose bytes match but whose Content-Type or Cache-Control rule changed is re-headered with a
 * CopyObject onto itself (metadata directive REPLACE): no bytes are uploaded.
 *
 * <p>The manifest is an index, not the source of truth (the metadata on each object is), so it is rewritten only
 * when enough of its entries went stale in a run (more than {@link #MANIFEST_REWRITE_THRESHOLD}, or at least
 * 1/{@link #MANIFEST_REWRITE_RATIO} of them): on a large site a one-file change costs exactly one PutObject instead
 * of also rewriting a manifest of thousands of entries, and the next plan checks that key with one HeadObject.
 *
 * <h2>The manifest on the CDN</h2>
 * The key {@code .oneclick/manifest.json} is reserved: a site may not contain a {@code .oneclick/} folder, and
 * prune never deletes it. Served through a CDN it reveals the names and hashes of the site's own (public) files
 * and nothing else; a CDN behaviour may deny {@code /.oneclick/*}.
 *
 * <h2>Transfers</h2>
 * At most {@code concurrency} S3 requests are in flight. Files are streamed from disk (never held in memory);
 * files of {@link #MULTIPART_THRESHOLD} bytes or more go up as multipart uploads in parts of at least
 * {@link #PART_SIZE} bytes. Non-HTML files go up before HTML files and deletions come last, so a page never points
 * at an asset that is not there yet.
 */
public final class SiteSync {
    /** Where the deploy manifest lives in the bucket; {@code .oneclick/} is reserved (see {@link Manifest#KEY}). */
    public static final String MANIFEST_KEY = Manifest.KEY;
    /** The reserved key prefix (see {@link Manifest#RESERVED_PREFIX}). */
    public static final String RESERVED_PREFIX = Manifest.RESERVED_PREFIX;
    /** User-metadata name (without {@code x-amz-meta-}) that records an object's SHA-256. */
    public static final String SHA256_METADATA = Manifest.SHA256_METADATA;
    /** Files at least this large go up as multipart uploads. */
    public static final long MULTIPART_THRESHOLD = 8L * 1024 * 1024;
    /** Files up to this size are read into memory when their upload starts; larger ones stream from disk. */
    public static final long SMALL_FILE_BYTES = 256 * 1024;
    /** Smallest multipart part size (grown for huge files so that no upload needs more than 10,000 parts). */
    public static final long PART_SIZE = 8L * 1024 * 1024;
    /** Above this many paths, invalidation is folded into {@code /*} (see {@link SyncPlanner}). */
    public static final int MAX_INVALIDATION_PATHS = SyncPlanner.MAX_INVALIDATION_PATHS;
    /**
     * The manifest is rewritten when more entries than this went stale in a run, or when the stale entries are at
     * least 1/{@link #MANIFEST_REWRITE_RATIO} of all entries.
     */
    public static final int MANIFEST_REWRITE_THRESHOLD = 32;
    /** See {@link #MANIFEST_REWRITE_THRESHOLD}. */
    public static final int MANIFEST_REWRITE_RATIO = 64;

    private static final int DELETE_BATCH = 1000;

    private final S3AsyncClient s3;
    private final int concurrency;
    private final SyncEvents events;
    private final RemoteListing remote;

    /**
     * @param s3 the S3 client (for an S3-compatible endpoint: path style, checksums only when required); its HTTP
     *     client must allow at least {@code concurrency} connections
     * @param concurrency the most S3 requests in flight at once, at least 1
     * @param listener progress, file-uploaded and file-deleted events; null for none
     * @param guid the project GUID, put into the events
     */
    public SiteSync(S3AsyncClient s3, int concurrency, DeployListener listener, String guid) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (concurrency < 1) {
            throw new InvalidInputException("concurrency", "concurrency must be at least 1, got " + concurrency);
        }
        this.concurrency = concurrency;
        this.events = new SyncEvents(listener, guid);
        this.remote = new RemoteListing(s3, concurrency, events);
    }

    // ------------------------------------------------------------------------------------------------ build

    /**
     * The folder to deploy: {@code siteDir} when given (resolved against {@code projectDir} when relative), else
     * {@code projectDir/dist}, else {@code projectDir/build}. Only locates; {@link #scan} validates the contents.
     *
     * @throws InvalidInputException (field {@code siteDir}) naming the folders looked at and what is missing
     */
    public static Path locateSite(Path siteDir, Path projectDir) {
        return SiteLocator.locate(siteDir, projectDir);
    }

    /**
     * Runs a build command with {@code bash -c} in {@code projectDir}, streaming each output line (stdout and
     * stderr) to {@link DeployListener#progress}.
     *
     * @throws InvalidInputException (field {@code projectDir}) when the folder does not exist, (field
     *     {@code buildCommand}) when the command is blank
     * @throws BuildFailedException when the command exits non-zero, cannot start, or runs past {@code timeout}
     *     (it is then killed); the message ends with the last lines of its output
     */
    public static void runBuild(Path projectDir, String command, Duration timeout, DeployListener listener) {
        BuildCommand.run(projectDir, command, timeout, listener);
    }

    // ------------------------------------------------------------------------------------------------ scan

    /**
     * Validates and hashes a site folder (see {@link SiteScanner#scan}).
     *
     * @throws InvalidInputException (field {@code siteDir}) when the folder is missing, not a folder, empty, has no
     *     {@code index.html} at its top, holds a symbolic link leading outside it (or a broken or looping one), holds
     *     two names that are the same key after normalisation, or uses the reserved {@code .oneclick/} folder;
     *     (field {@code cacheRules}) when a rule is invalid
     */
    public SiteSnapshot scan(Path siteDir, List<CacheRule> rules) {
        return SiteScanner.scan(siteDir, rules);
    }

    static MessageDigest sha256() {
        return SiteScanner.sha256();
    }


    // ------------------------------------------------------------------------------------------------ plan

    /**
     * Compares the site with the bucket. Reads the manifest (one GET) and lists the bucket; keys without a
     * manifest entry matching the listing are checked with HeadObject. Writes nothing. See {@link RemoteListing}
     * (the reads) and {@link SyncPlanner} (the decisions).
     *
     * @param bucket the bucket
     * @param site a scanned site
     * @param prune whether keys not in the site are deleted
     * @param maxDeletes the most keys this run may delete
     * @param bucketExists false when the bucket is about to be created: then nothing is read and every file is NEW
     * @throws InvalidInputException (field {@code maxDeletes}) when pruning would delete more than
     *     {@code maxDeletes} keys, saying how many
     * @throws OneclickException when S3 cannot be read
     */
    public SyncPlan plan(String bucket, SiteSnapshot site, boolean prune, int maxDeletes, boolean bucketExists) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(site, "site");
        SyncPlanner.checkMaxDeletes(maxDeletes);
        RemoteState held = remote.read(bucket, bucketExists);
        Map<String, Manifest.Entry> headed = remote.head(bucket, SyncPlanner.unconfirmed(site, held));
        return SyncPlanner.plan(bucket, site, prune, maxDeletes, held, headed);
    }

    /**
     * Starts reading a bucket's deploy manifest and listing in the background, so that the next {@link #plan} for
     * that bucket need not wait for them: call it right before {@link #scan} and the reads overlap the hashing.
     * Optional; reads nothing twice (the next plan for the bucket takes the result). The bucket must exist.
     */
    public void prefetch(String bucket) {
        remote.prefetch(bucket);
    }

    /** Percent-encodes a key for a CloudFront invalidation path (see {@link SyncPlanner#encodePath}). */
    static String encodePath(String key) {
        return SyncPlanner.encodePath(key);
    }

    /** Whether two Content-Type values mean the same (see {@link SyncPlanner#sameContentType}). */
    static boolean sameContentType(String a, String b) {
        return SyncPlanner.sameContentType(a, b);
    }

    private static boolean isHtml(String key) {
        return SyncPlanner.isHtml(key);
    }

    // ------------------------------------------------------------------------------------------------ apply

    /**
     * Applies a plan: uploads (multipart for large files), re-headers in place, deletes, then updates the manifest
     * when needed. At most {@code concurrency} requests are in flight; each finished file is reported through
     * {@link DeployListener#fileUploaded} or {@link DeployListener#fileDeleted}. On the first failure no new work
     * starts; what already succeeded is recorded, and a {@link OneclickException} names the failed key.
     */
    public SyncResult apply(String bucket, SyncPlan plan) {
        if (!plan.bucket().equals(bucket)) {
            throw new IllegalArgumentException("The plan was made for bucket " + plan.bucket() + ", not " + bucket);
        }
        Run run = new Run(bucket);
        List<SiteFile> assets = new ArrayList<>();
        List<SiteFile> pages = new ArrayList<>();
        for (SiteFile f : plan.uploadFiles()) {
            (isHtml(f.key()) ? pages : assets).add(f);
        }
        for (SiteFile f : assets) {
            run.submit(() -> upload(run, f));
        }
        run.drain();
        for (SiteFile f : pages) {
            run.submit(() -> upload(run, f));
        }
        for (SiteFile f : plan.headerFiles()) {
            run.submit(() -> copyHeaders(run, f));
        }
        run.drain();
        List<String> deletes = plan.deletes();
        for (int i = 0; i < deletes.size(); i += DELETE_BATCH) {
            List<String> batch = deletes.subList(i, Math.min(deletes.size(), i + DELETE_BATCH));
            run.submit(() -> delete(run, batch));
        }
        run.drain();

        boolean manifestWritten = updateManifest(run, plan);
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
        final AsyncLimiter limiter = new AsyncLimiter(concurrency);
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
                throw new CompletionException(new OneclickException("Upload of '" + f.key() + "' to bucket "
                        + run.bucket + " failed: " + message(e), unwrap(e)));
            }
            run.written.put(f.key(), new Manifest.Entry(f.sha256(), f.size(), normEtag(tag), f.contentType(),
                    f.cacheControl()));
            run.uploaded.incrementAndGet();
            run.bytes.add(f.size());
            notifyUploaded(f.key(), f.size(), false);
            return null;
        });
    }

    private CompletableFuture<String> put(Run run, SiteFile f) {
        PutObjectRequest req = PutObjectRequest.builder().bucket(run.bucket).key(f.key())
                .contentType(f.contentType()).cacheControl(f.cacheControl()).contentLength(f.size())
                .metadata(Map.of(SHA256_METADATA, f.sha256())).build();
        return run.limiter.submit(() -> s3.putObject(req, body(f))).thenApply(r -> r.eTag());
    }

    /**
     * The request body of a single-part upload. A small file is read when its request starts (so at most
     * {@code concurrency} small files are in memory at once, {@link #SMALL_FILE_BYTES} each at most): that costs far
     * less per request than an asynchronous file channel. Larger files stream from disk.
     */
    private static AsyncRequestBody body(SiteFile f) {
        if (f.size() <= SMALL_FILE_BYTES) {
            try {
                byte[] bytes = Files.readAllBytes(f.path());
                if (bytes.length != f.size()) {
                    throw new OneclickException("'" + f.key() + "' changed while deploying (" + f.size()
                            + " bytes when scanned, " + bytes.length + " now). Let the build finish, then deploy again.");
                }
                return AsyncRequestBody.fromBytesUnsafe(bytes);
            } catch (IOException e) {
                throw new OneclickException("Cannot read '" + f.key() + "' (" + f.path() + "): " + e.getMessage(), e);
            }
        }
        return AsyncRequestBody.fromFile(f.path());
    }

    private CompletableFuture<String> multipart(Run run, SiteFile f) {
        long partSize = Math.max(PART_SIZE, (f.size() + 9_999) / 10_000);
        int partCount = (int) ((f.size() + partSize - 1) / partSize);
        CreateMultipartUploadRequest create = CreateMultipartUploadRequest.builder().bucket(run.bucket).key(f.key())
                .contentType(f.contentType()).cacheControl(f.cacheControl())
                .metadata(Map.of(SHA256_METADATA, f.sha256())).build();
        return run.limiter.submit(() -> s3.createMultipartUpload(create)).thenCompose(created -> {
            String uploadId = created.uploadId();
            List<CompletableFuture<CompletedPart>> parts = new ArrayList<>(partCount);
            for (int i = 0; i < partCount; i++) {
                int number = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, f.size() - offset);
                UploadPartRequest req = UploadPartRequest.builder().bucket(run.bucket).key(f.key()).uploadId(uploadId)
                        .partNumber(number).contentLength(length).build();
                parts.add(run.limiter.submit(() -> s3.uploadPart(req, AsyncRequestBody.fromFile(
                                FileRequestBodyConfiguration.builder().path(f.path()).position(offset)
                                        .numBytesToRead(length).build())))
                        .thenApply(r -> CompletedPart.builder().partNumber(number).eTag(r.eTag()).build()));
            }
            CompletableFuture<String> done = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> {
                        List<CompletedPart> completed = new ArrayList<>(partCount);
                        for (CompletableFuture<CompletedPart> p : parts) {
                            completed.add(p.join());
                        }
                        return run.limiter.submit(() -> s3.completeMultipartUpload(CompleteMultipartUploadRequest
                                .builder().bucket(run.bucket).key(f.key()).uploadId(uploadId)
                                .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())
                                .build()));
                    })
                    .thenApply(r -> r.eTag());
            return done.whenComplete((tag, e) -> {
                if (e != null) {
                    s3.abortMultipartUpload(b -> b.bucket(run.bucket).key(f.key()).uploadId(uploadId));
                }
            });
        });
    }

    private CompletableFuture<?> copyHeaders(Run run, SiteFile f) {
        CopyObjectRequest req = CopyObjectRequest.builder().sourceBucket(run.bucket).sourceKey(f.key())
                .destinationBucket(run.bucket).destinationKey(f.key()).metadataDirective(MetadataDirective.REPLACE)
                .contentType(f.contentType()).cacheControl(f.cacheControl())
                .metadata(Map.of(SHA256_METADATA, f.sha256())).build();
        return run.limiter.submit(() -> s3.copyObject(req)).handle((r, e) -> {
            if (e != null) {
                throw new CompletionException(new OneclickException("Updating the headers of '" + f.key()
                        + "' in bucket " + run.bucket + " failed: " + message(e), unwrap(e)));
            }
            String tag = r.copyObjectResult() == null ? null : r.copyObjectResult().eTag();
            run.written.put(f.key(), new Manifest.Entry(f.sha256(), f.size(), normEtag(tag), f.contentType(),
                    f.cacheControl()));
            run.headers.incrementAndGet();
            notifyUploaded(f.key(), 0, true);
            return null;
        });
    }

    private CompletableFuture<?> delete(Run run, List<String> keys) {
        if (run.singleDeletes) {
            return deleteOneByOne(run, keys);
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
                if (unwrap(e) instanceof S3Exception s && s.statusCode() == 501) {
                    // An S3-compatible store without multi-object delete (or without its checksum headers).
                    run.singleDeletes = true;
                    return deleteOneByOne(run, keys);
                }
                throw new CompletionException(new OneclickException("Deleting " + keys.size() + " keys from bucket "
                        + run.bucket + " failed: " + message(e), unwrap(e)));
            }
            r.deleted().forEach(d -> {
                run.deleted.incrementAndGet();
                notifyDeleted(d.key());
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
                    throw new CompletionException(new OneclickException("Deleting '" + key + "' from bucket "
                            + run.bucket + " failed: " + message(e), unwrap(e)));
                }
                run.deleted.incrementAndGet();
                notifyDeleted(key);
                return null;
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private boolean updateManifest(Run run, SyncPlan plan) {
        Map<String, Manifest.Entry> next = new HashMap<>(plan.keptEntries);
        for (SiteFile f : plan.unchangedFiles()) {
            next.put(f.key(), new Manifest.Entry(f.sha256(), f.size(), plan.listedEtags.get(f.key()),
                    f.contentType(), f.cacheControl()));
        }
        next.putAll(run.written);
        if (run.failure.get() != null) {
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
        if (stale == 0 || (stale <= MANIFEST_REWRITE_THRESHOLD && (long) stale * MANIFEST_REWRITE_RATIO < next.size())) {
            return false;
        }
        byte[] json = Manifest.write(next);
        PutObjectRequest req = PutObjectRequest.builder().bucket(run.bucket).key(MANIFEST_KEY)
                .contentType("application/json").cacheControl("no-store").contentLength((long) json.length).build();
        try {
            join(s3.putObject(req, AsyncRequestBody.fromBytes(json)), "write the deploy manifest to " + run.bucket);
        } catch (OneclickException e) {
            run.failure.compareAndSet(null, e);
            return false;
        }
        emit("Deploy manifest updated (" + next.size() + " entries).");
        return true;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void notifyUploaded(String key, long size, boolean headersOnly) {
        events.uploaded(key, size, headersOnly);
    }

    private void notifyDeleted(String key) {
        events.deleted(key);
    }

    private void emit(String message) {
        events.progress(message);
    }

    private static String normEtag(String etag) {
        return S3Calls.normEtag(etag);
    }

    private static Throwable unwrap(Throwable e) {
        return S3Calls.unwrap(e);
    }

    private static String message(Throwable e) {
        return S3Calls.message(e);
    }

    private static <T> T join(CompletableFuture<T> f, String what) {
        return S3Calls.join(f, what);
    }
}
