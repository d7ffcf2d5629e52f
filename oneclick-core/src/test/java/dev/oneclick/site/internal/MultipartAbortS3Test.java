package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.junit.LocalAwsExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * A multipart upload whose part fails on the wire (s3proxy answers 400 BadDigest for a part with a wrong
 * Content-MD5): its siblings are cancelled, the upload is aborted and the abort awaited, and a failed abort is reported.
 */
@ExtendWith(LocalAwsExtension.class)
class MultipartAbortS3Test {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    /** Six parts of {@link Transfers#PART_SIZE}. */
    private static final long SIZE = 5 * Transfers.PART_SIZE + 1024;

    /** Gives part 2 a wrong Content-MD5, and (when asked) the abort an upload id that does not exist. */
    static final class Misroute implements ExecutionInterceptor {
        volatile boolean abortToo;

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            boolean part2 = context.request() instanceof UploadPartRequest p && p.partNumber() == 2;
            boolean abort = abortToo && context.request() instanceof AbortMultipartUploadRequest;
            if (!part2 && !abort) {
                return context.httpRequest();
            }
            SdkHttpRequest r = context.httpRequest();
            if (part2) {
                // the MD5 of no bytes: the store answers 400 BadDigest
                return r.toBuilder().putHeader("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==").build();
            }
            return r.toBuilder().putRawQueryParameter("uploadId", "no-such-upload-oneclick").build();
        }
    }

    private static final TestS3.Counter counter = new TestS3.Counter();
    private static final Misroute misroute = new Misroute();
    private static S3AsyncClient s3;

    @TempDir
    Path tmp;
    private String bucket;
    private Path site;

    @BeforeAll
    static void client(LocalAws aws) {
        s3 = aws.s3AsyncClientBuilder().httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(16))
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter).addExecutionInterceptor(misroute))
                .build();
    }

    @AfterAll
    static void closeClient() {
        s3.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        bucket = "multipart-abort-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket)).join();
        site = Files.createDirectory(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<!doctype html><video src=media/video.mp4></video>");
        Path big = site.resolve("media/video.mp4");
        Files.createDirectories(big.getParent());
        byte[] chunk = new byte[1024 * 1024];
        new Random(7).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long written = 0; written < SIZE; written += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, SIZE - written));
            }
        }
        counter.reset();
    }

    private OneclickException deployFails() {
        SiteSync sync = new SiteSync(s3, 1, DeployListener.NONE, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site, null), true, 1000, true);
        return assertThrows(OneclickException.class, () -> sync.apply(bucket, plan));
    }

    private int openUploads() {
        return s3.listMultipartUploads(b -> b.bucket(bucket)).join().uploads().size();
    }

    @Test
    void aFailedPartCancelsItsSiblingsAndTheUploadIsAborted() {
        misroute.abortToo = false;
        OneclickException e = deployFails();

        assertTrue(e.getMessage().contains("UploadPart") && e.getMessage().contains("media/video.mp4"),
                e.getMessage());
        assertEquals(1, counter.get("CreateMultipartUpload"));
        // one request at a time: part 1, then part 2 fails and parts 3-6, still waiting, never start
        assertEquals(2, counter.get("UploadPart"), "parts waiting when part 2 failed were not cancelled: " + counter);
        assertEquals(1, counter.get("AbortMultipartUpload"), counter.toString());
        assertEquals(0, counter.get("CompleteMultipartUpload"));
        assertEquals(0, openUploads(), "the upload was aborted");
    }

    @Test
    void aFailedAbortIsReportedNotLost() {
        misroute.abortToo = true;
        try {
            OneclickException e = deployFails();

            assertTrue(e.getMessage().contains("UploadPart"), e.getMessage());
            assertTrue(e.getMessage().contains("AbortMultipartUpload") && e.getMessage().contains("lifecycle rule"),
                    e.getMessage());
            assertEquals(1, e.getSuppressed().length, "the abort's failure is kept");
            assertEquals(1, openUploads(), "the failed abort left the upload open");
        } finally {
            misroute.abortToo = false;
        }
    }
}
