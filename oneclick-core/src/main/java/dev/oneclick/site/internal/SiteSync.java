package dev.oneclick.site.internal;

import dev.oneclick.errors.BuildFailedException;
import dev.oneclick.DeployListener;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.internal.aws.DirectS3;
import dev.oneclick.site.CacheRule;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The static-site sync engine: validates and hashes a built site folder, compares it with what a bucket holds,
 * and uploads, re-headers and deletes only what differs. One instance per deploy; thread-safe.
 *
 * <p>A facade over the units that do the work, each documented where it is implemented:
 * {@link SiteLocator} and {@link BuildCommand} (the folder to deploy, the build before it), {@link SiteScanner}
 * (scanning and hashing the folder), {@link RemoteListing} (what the bucket holds, and how changes are detected
 * cheaply), {@link SyncPlanner} (what to upload, re-header, delete and invalidate), {@link Transfers} (how it is
 * sent), {@link ManifestWriter} (when the deploy manifest is rewritten) and {@link Manifest} (its format, and the
 * reserved {@code .oneclick/} folder on the CDN).
 */
public final class SiteSync {
    /** Where the deploy manifest lives in the bucket: {@link Manifest#KEY}. */
    public static final String MANIFEST_KEY = Manifest.KEY;
    /** The reserved key prefix: {@link Manifest#RESERVED_PREFIX}. */
    public static final String RESERVED_PREFIX = Manifest.RESERVED_PREFIX;
    /** User-metadata name that records an object's SHA-256: {@link Manifest#SHA256_METADATA}. */
    public static final String SHA256_METADATA = Manifest.SHA256_METADATA;
    /** Files at least this large go up as multipart uploads: {@link Transfers#MULTIPART_THRESHOLD}. */
    public static final long MULTIPART_THRESHOLD = Transfers.MULTIPART_THRESHOLD;
    /** Files up to this size are read into memory for their upload: {@link Transfers#SMALL_FILE_BYTES}. */
    public static final long SMALL_FILE_BYTES = Transfers.SMALL_FILE_BYTES;
    /** Multipart part size, before the split into equal parts: {@link Transfers#PART_SIZE}. */
    public static final long PART_SIZE = Transfers.PART_SIZE;
    /** Above this many paths, invalidation is folded into {@code /*}: {@link SyncPlanner#MAX_INVALIDATION_PATHS}. */
    public static final int MAX_INVALIDATION_PATHS = SyncPlanner.MAX_INVALIDATION_PATHS;
    /** When the manifest is rewritten: {@link ManifestWriter#REWRITE_THRESHOLD}. */
    public static final int MANIFEST_REWRITE_THRESHOLD = ManifestWriter.REWRITE_THRESHOLD;
    /** When the manifest is rewritten: {@link ManifestWriter#REWRITE_RATIO}. */
    public static final int MANIFEST_REWRITE_RATIO = ManifestWriter.REWRITE_RATIO;

    private final RemoteListing remote;
    private final Transfers transfers;

    /**
     * @param s3 the S3 client (for an S3-compatible endpoint: path style, checksums only when required); its HTTP
     *     client must allow at least {@code concurrency} connections
     * @param concurrency the most S3 requests in flight at once, at least 1 (this constructor: no throttling is seen,
     *     so the requests in flight adapt to throughput alone)
     * @param listener progress, file-uploaded and file-deleted events; null for none
     * @param guid the project GUID, put into the events
     */
    public SiteSync(S3AsyncClient s3, int concurrency, DeployListener listener, String guid) {
        this(s3, concurrency, () -> 0, listener, guid);
    }

    /**
     * As {@link #SiteSync(S3AsyncClient, int, DeployListener, String)}, with the running count of throttling answers
     * (503, 429) {@code s3} has received: the requests in flight start at {@link AdaptiveLimit#START}, grow up to
     * {@code concurrency} while throughput keeps up, and halve when that count moves (see {@link AdaptiveLimit}).
     */
    public SiteSync(S3AsyncClient s3, int concurrency, LongSupplier throttles, DeployListener listener,
            String guid) {
        this(s3, null, concurrency, throttles, listener, guid);
    }

    /**
     * As {@link #SiteSync(S3AsyncClient, int, LongSupplier, DeployListener, String)}, with single-part uploads sent
     * and the bucket's listing sent by {@code directS3} instead of {@code s3} ({@link DirectS3}: the same requests
     * without the SDK's pipeline; {@code throttles} must then count its answers too). Null: every request goes
     * through {@code s3}.
     */
    public SiteSync(S3AsyncClient s3, Supplier<DirectS3> directS3, int concurrency, LongSupplier throttles,
            DeployListener listener, String guid) {
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(throttles, "throttles");
        if (concurrency < 1) {
            throw new InvalidInputException("concurrency", "concurrency must be at least 1, got " + concurrency);
        }
        SyncEvents events = new SyncEvents(listener, guid);
        this.remote = new RemoteListing(s3, directS3, concurrency, throttles, events);
        this.transfers = new Transfers(s3, directS3, concurrency, throttles, events);
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

    /** As {@link #scan(Path, List)}, requiring {@code indexDocument} at the top instead (nothing when null). */
    public SiteSnapshot scan(Path siteDir, List<CacheRule> rules, String indexDocument) {
        return SiteScanner.scan(siteDir, rules, indexDocument);
    }

    /**
     * As {@link #scan(Path, List, String)}, leaving out the default excludes and {@code excludes} unless
     * {@code includes} brings them back (see {@link SiteFilter}; null lists: none).
     */
    public SiteSnapshot scan(Path siteDir, List<CacheRule> rules, String indexDocument, List<String> excludes,
            List<String> includes) {
        return SiteScanner.scan(siteDir, rules, indexDocument, SiteFilter.of(excludes, includes));
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

    /** Waits for prefetches no plan took, so none of their requests outlives the run ({@link RemoteListing#settle}). */
    public void settle() {
        remote.settle();
    }

    /** Percent-encodes a key for a CloudFront invalidation path (see {@link SyncPlanner#encodePath}). */
    static String encodePath(String key) {
        return SyncPlanner.encodePath(key);
    }

    /** Whether two Content-Type values mean the same (see {@link SyncPlanner#sameContentType}). */
    static boolean sameContentType(String a, String b) {
        return SyncPlanner.sameContentType(a, b);
    }

    // ------------------------------------------------------------------------------------------------ apply

    /**
     * Applies a plan: uploads (multipart for large files), re-headers in place, deletes, then updates the manifest
     * when needed. At most {@code concurrency} requests are in flight; each finished file is reported through
     * {@link DeployListener#fileUploaded} or {@link DeployListener#fileDeleted}. On the first failure no new work
     * starts; what already succeeded is recorded, and a {@link OneclickException} names the failed key. See
     * {@link Transfers} and {@link ManifestWriter}.
     */
    public SyncResult apply(String bucket, SyncPlan plan) {
        return transfers.apply(bucket, plan);
    }
}
