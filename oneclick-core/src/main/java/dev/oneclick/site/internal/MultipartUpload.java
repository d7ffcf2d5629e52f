package dev.oneclick.site.internal;

import static dev.oneclick.site.internal.S3Calls.failed;
import static dev.oneclick.site.internal.S3Calls.message;
import static dev.oneclick.site.internal.S3Calls.unwrap;

import dev.oneclick.errors.OneclickException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One file's multipart upload: CreateMultipartUpload, the parts (through the run's {@link AsyncLimiter}), then
 * CompleteMultipartUpload. When a part fails, its siblings are cancelled (the waiting ones never start, the ones in
 * flight are cancelled), and once every part has settled the upload is aborted and the abort awaited. The failure
 * reported is the first part's; when the abort fails too, the error says so (with the abort's failure suppressed in
 * it) and names the bucket's lifecycle rule that removes the leftover parts after a day. A part's connection reset is
 * retried by the SDK's retry strategy, not here.
 */
final class MultipartUpload {
    /** S3's smallest part (all but the last). */
    static final long MIN_PART = 5L * 1024 * 1024;
    /** S3's largest part. */
    static final long MAX_PART = 5L * 1024 * 1024 * 1024;
    private static final long MIB = 1024 * 1024;

    private final S3AsyncClient s3;
    private final AsyncLimiter limiter;
    private final String bucket;
    private final SiteFile file;
    private final long partSize;
    private final List<CompletableFuture<?>> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    MultipartUpload(S3AsyncClient s3, AsyncLimiter limiter, String bucket, SiteFile file, long minPartSize) {
        this.s3 = s3;
        this.limiter = limiter;
        this.bucket = bucket;
        this.file = file;
        this.partSize = partSize(file.size(), minPartSize);
    }

    /**
     * The part size for a file of {@code size} bytes: {@code minPartSize} (8 MiB) until the file would need more than
     * 1,000 parts, then larger parts (fewer requests; a 100 GiB file goes up in parts of about 100 MiB), with no more
     * than 10,000 parts and none over 5 GiB, as S3 requires. The file is then split into equal parts, rounded up to
     * a whole MiB and at least S3's 5 MiB, so that the last part is not a sliver: 20 MiB goes up as 7 + 7 + 6 MiB
     * rather than 8 + 8 + 4.
     */
    static long partSize(long size, long minPartSize) {
        long target = Math.max(minPartSize, ceilDiv(size, 1_000));
        if (target > MAX_PART) { // only past 5 TB, more than S3 stores in one object
            target = ceilDiv(size, 10_000);
        }
        long count = Math.max(1, ceilDiv(size, target));
        return Math.max(MIN_PART, ceilDiv(ceilDiv(size, count), MIB) * MIB);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Uploads the file; the future completes with the object's ETag, or fails with the first failure. */
    CompletableFuture<String> start() {
        CreateMultipartUploadRequest create = CreateMultipartUploadRequest.builder().bucket(bucket).key(file.key())
                .contentType(file.contentType()).cacheControl(file.cacheControl())
                .metadata(Map.of(Manifest.SHA256_METADATA, file.sha256())).build();
        return limiter.submit(() -> s3.createMultipartUpload(create)).handle((c, e) -> {
            if (e != null) {
                throw new CompletionException(failed("CreateMultipartUpload", "'" + file.key() + "' in bucket "
                        + bucket, e));
            }
            return parts(c.uploadId());
        }).thenCompose(f -> f);
    }

    private CompletableFuture<String> parts(String uploadId) {
        int partCount = (int) ((file.size() + partSize - 1) / partSize);
        List<CompletableFuture<UploadPartResponse>> calls = new ArrayList<>(partCount);
        for (int i = 0; i < partCount; i++) {
            long offset = i * partSize;
            long length = Math.min(partSize, file.size() - offset);
            UploadPartRequest req = UploadPartRequest.builder().bucket(bucket).key(file.key()).uploadId(uploadId)
                    .partNumber(i + 1).contentLength(length).build();
            FileRequestBodyConfiguration body = FileRequestBodyConfiguration.builder().path(file.path())
                    .position(offset).numBytesToRead(length).chunkSizeInBytes(Transfers.FILE_CHUNK_BYTES).build();
            CompletableFuture<UploadPartResponse> call = limiter.submit(length,
                    () -> tracked(s3.uploadPart(req, AsyncRequestBody.fromFile(body))));
            calls.add(call);
            call.whenComplete((r, e) -> {
                if (e != null && !(unwrap(e) instanceof CancellationException)
                        && firstFailure.compareAndSet(null, unwrap(e))) {
                    cancelSiblings(calls);
                }
            });
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            if (firstFailure.get() == null && e == null) {
                return complete(uploadId, calls);
            }
            Throwable cause = firstFailure.get() != null ? firstFailure.get() : unwrap(e);
            return abort(uploadId, failed("UploadPart", "'" + file.key() + "' in bucket " + bucket, cause));
        }).thenCompose(f -> f);
    }

    /** Records an SDK request so that a sibling's failure can cancel it while it is in flight. */
    private <T> CompletableFuture<T> tracked(CompletableFuture<T> request) {
        requests.add(request);
        if (firstFailure.get() != null) {
            request.cancel(true);
        }
        return request;
    }

    private void cancelSiblings(List<CompletableFuture<UploadPartResponse>> calls) {
        // a local copy: parts are still being added while the first ones run
        for (CompletableFuture<UploadPartResponse> c : List.copyOf(calls)) {
            c.cancel(false);
        }
        for (CompletableFuture<?> r : requests) {
            r.cancel(true);
        }
    }

    private CompletableFuture<String> complete(String uploadId, List<CompletableFuture<UploadPartResponse>> calls) {
        List<CompletedPart> parts = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(calls.get(i).join().eTag()).build());
        }
        CompleteMultipartUploadRequest req = CompleteMultipartUploadRequest.builder().bucket(bucket).key(file.key())
                .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build();
        return limiter.submit(() -> s3.completeMultipartUpload(req)).handle((r, e) -> {
            if (e != null) {
                return abort(uploadId, failed("CompleteMultipartUpload", "'" + file.key() + "' in bucket " + bucket,
                        e));
            }
            return CompletableFuture.completedFuture(r.eTag());
        }).thenCompose(f -> f);
    }

    /** Aborts the upload and waits for it; fails with {@code failure}, which names a failed abort too. */
    private CompletableFuture<String> abort(String uploadId, OneclickException failure) {
        return limiter.submit(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(file.key()).uploadId(uploadId)))
                .handle((r, e) -> {
                    if (e == null) {
                        throw new CompletionException(failure);
                    }
                    OneclickException both = new OneclickException(failure.getMessage() + " The upload was not "
                            + "aborted either (AbortMultipartUpload of upload " + uploadId + " failed: "
                            + message(e) + "); its parts stay stored until the bucket's lifecycle rule "
                            + "removes incomplete uploads after a day.", failure);
                    both.addSuppressed(unwrap(e));
                    throw new CompletionException(both);
                });
    }
}
