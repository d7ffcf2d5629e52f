package dev.oneclick.site.internal;

import dev.oneclick.errors.BuildFailedException;
import dev.oneclick.DeployListener;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.Plan.FileChange;
import dev.oneclick.site.CacheRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
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
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
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
    /** Above this many paths, invalidation is folded into {@code /*}. */
    public static final int MAX_INVALIDATION_PATHS = 15;
    /**
     * The manifest is rewritten when more entries than this went stale in a run, or when the stale entries are at
     * least 1/{@link #MANIFEST_REWRITE_RATIO} of all entries.
     */
    public static final int MANIFEST_REWRITE_THRESHOLD = 32;
    /** See {@link #MANIFEST_REWRITE_THRESHOLD}. */
    public static final int MANIFEST_REWRITE_RATIO = 64;

    private static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;
    private static final int DELETE_BATCH = 1000;

    private final S3AsyncClient s3;
    private final int concurrency;
    private final SyncEvents events;
    private final Map<String, CompletableFuture<Remote>> prefetched = new ConcurrentHashMap<>();

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

    private record Listed(String etag, long size) {
    }

    /**
     * Compares the site with the bucket. Reads the manifest (one GET) and lists the bucket; keys without a
     * manifest entry matching the listing are checked with HeadObject. Writes nothing.
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
        if (maxDeletes < 0) {
            throw new InvalidInputException("maxDeletes", "maxDeletes must be 0 or more, got " + maxDeletes);
        }
        Map<String, Listed> listing = Map.of();
        Map<String, Manifest.Entry> manifest = Map.of();
        CompletableFuture<Remote> early = prefetched.remove(bucket);
        if (bucketExists) {
            Remote remoteState = join(early != null ? early : readRemote(bucket), "read bucket " + bucket);
            listing = remoteState.listing();
            manifest = remoteState.manifest();
            emit("Bucket " + bucket + ": " + listing.size() + " objects listed, manifest has " + manifest.size()
                    + " entries.");
        }

        // Remote state per site key: from a manifest entry the listing confirms, else from HeadObject.
        Map<String, Manifest.Entry> remote = new HashMap<>();
        List<SiteFile> toHead = new ArrayList<>();
        for (SiteFile f : site.files()) {
            Listed l = listing.get(f.key());
            if (l == null) {
                continue;
            }
            Manifest.Entry e = manifest.get(f.key());
            if (e != null && e.size() == l.size() && Objects.equals(normEtag(e.etag()), l.etag())) {
                remote.put(f.key(), e);
            } else {
                toHead.add(f);
            }
        }
        if (!toHead.isEmpty()) {
            emit("Checking " + toHead.size() + " objects without a current manifest entry.");
            remote.putAll(headAll(bucket, toHead));
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
        for (Map.Entry<String, Listed> e : listing.entrySet()) {
            String key = e.getKey();
            if (siteKeys.contains(key) || key.startsWith(RESERVED_PREFIX) || key.endsWith("/")) {
                // A key ending in '/' is a folder placeholder (S3 console, some stores list folders so): no site
                // file can have that key, and it serves nothing, so prune leaves it alone.
                continue;
            }
            Manifest.Entry m = manifest.get(key);
            if (prune) {
                deletes.add(key);
                addInvalidation(invalidate, key, m == null ? null : m.cacheControl(), null);
            } else if (m != null && m.size() == e.getValue().size()
                    && Objects.equals(normEtag(m.etag()), e.getValue().etag())) {
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

    private record Remote(Map<String, Listed> listing, Map<String, Manifest.Entry> manifest) {
    }

    /**
     * Starts reading a bucket's deploy manifest and listing in the background, so that the next {@link #plan} for
     * that bucket need not wait for them: call it right before {@link #scan} and the reads overlap the hashing.
     * Optional; reads nothing twice (the next plan for the bucket takes the result). The bucket must exist.
     */
    public void prefetch(String bucket) {
        prefetched.computeIfAbsent(Objects.requireNonNull(bucket, "bucket"), this::readRemote);
    }

    private CompletableFuture<Remote> readRemote(String bucket) {
        CompletableFuture<Map<String, Manifest.Entry>> manifestFuture = readManifest(bucket);
        Map<String, Listed> listing = new HashMap<>();
        CompletableFuture<Void> listed = s3.listObjectsV2Paginator(
                        ListObjectsV2Request.builder().bucket(bucket).maxKeys(1000).build())
                .subscribe(page -> page.contents().forEach(
                        o -> listing.put(o.key(), new Listed(normEtag(o.eTag()), o.size() == null ? -1 : o.size()))));
        return manifestFuture.thenCombine(listed, (m, v) -> new Remote(listing, m));
    }

    private Map<String, Manifest.Entry> headAll(String bucket, List<SiteFile> files) {
        AsyncLimiter limiter = new AsyncLimiter(concurrency);
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
                        String sha = r.metadata().get(SHA256_METADATA);
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
        return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(MANIFEST_KEY).build(),
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
                        emit("The deploy manifest " + MANIFEST_KEY + " cannot be read (" + bad.getMessage()
                                + "); checking objects one by one instead.");
                        return Map.of();
                    }
                });
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
        return a.replaceAll("\\s*;\\s*", ";").trim().equalsIgnoreCase(b.replaceAll("\\s*;\\s*", ";").trim());
    }

    private static boolean isHtml(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith(".html") || k.endsWith(".htm");
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
