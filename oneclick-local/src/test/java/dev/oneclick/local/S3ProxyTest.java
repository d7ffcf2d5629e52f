package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** s3proxy against the SDK's sync (Apache) and async (Netty) clients as {@link LocalAws} configures them. */
class S3ProxyTest {

    private static S3Proxy proxy;
    private static S3Client s3;
    private static S3AsyncClient s3Async;

    @BeforeAll
    static void startProxy() {
        proxy = S3Proxy.start();
        s3 = Clients.s3(proxy.endpoint(), Clients.REGION, Clients.CREDENTIALS).build();
        s3Async = Clients.s3Async(proxy.endpoint(), Clients.REGION, Clients.CREDENTIALS).build();
    }

    @AfterAll
    static void stopProxy() {
        s3.close();
        s3Async.close();
        proxy.close();
    }

    @Test
    void putObject_whenSyncClient_getReturnsBytesAndHeaders() {
        s3.createBucket(b -> b.bucket("sync-put-get"));
        s3.putObject(b -> b.bucket("sync-put-get").key("dir/index.html").contentType("text/html")
                .cacheControl("no-cache").metadata(Map.of("sha256", "abc")), RequestBody.fromString("<p>hi</p>"));

        var object = s3.getObjectAsBytes(b -> b.bucket("sync-put-get").key("dir/index.html"));
        assertEquals("<p>hi</p>", object.asUtf8String());
        assertEquals("text/html", object.response().contentType());
        assertEquals("no-cache", object.response().cacheControl());
        assertEquals(Map.of("sha256", "abc"), object.response().metadata());
    }

    /**
     * A quirk to know when comparing headers to decide whether to re-apply them: s3proxy (Jetty) answers
     * {@code text/html;charset=utf-8} for a stored {@code text/html; charset=utf-8}, where S3 returns it verbatim.
     */
    @Test
    void putObject_whenContentTypeHasCharset_readsBackWithoutTheBlank() {
        s3.createBucket(b -> b.bucket("charset"));
        s3.putObject(b -> b.bucket("charset").key("index.html").contentType("text/html; charset=utf-8"),
                RequestBody.fromString("<p>é</p>"));

        assertEquals("text/html;charset=utf-8", s3.headObject(b -> b.bucket("charset").key("index.html"))
                .contentType());
    }

    @Test
    void getObject_whenKeyMissing_throwsNoSuchKey() {
        s3.createBucket(b -> b.bucket("missing-key"));
        assertThrows(NoSuchKeyException.class, () -> s3.getObject(b -> b.bucket("missing-key").key("nope")));
    }

    @Test
    void listObjectsV2_whenMoreThan1000Keys_paginatesOverEveryKey() {
        String bucket = "many-keys";
        s3.createBucket(b -> b.bucket(bucket));
        int count = 1_150;
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = String.format("files/%05d.txt", i);
            inFlight.acquireUninterruptibly();
            puts.add(s3Async.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromString(key))
                    .whenComplete((r, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();

        List<ListObjectsV2Response> pages = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("files/"))
                .stream().toList();
        List<String> keys = pages.stream().flatMap(p -> p.contents().stream()).map(S3Object::key).toList();

        assertEquals(count, keys.size());
        assertEquals(count, keys.stream().distinct().count());
        assertTrue(pages.size() >= 2, "expected several pages, got " + pages.size());
        assertTrue(pages.get(0).isTruncated());
        assertEquals(1000, pages.get(0).contents().size());
        assertEquals("files/00000.txt", keys.get(0));
        assertEquals(String.format("files/%05d.txt", count - 1), keys.get(count - 1));
    }

    @Test
    void uploadPart_whenAsyncMultipartOf20MB_objectReadsBackIdentical() {
        String bucket = "multipart";
        s3.createBucket(b -> b.bucket(bucket));
        byte[] data = new byte[20 * 1024 * 1024 + 123];
        new Random(42).nextBytes(data);
        int partSize = 5 * 1024 * 1024;

        String uploadId = s3Async.createMultipartUpload(b -> b.bucket(bucket).key("big.bin")
                .contentType("application/octet-stream")).join().uploadId();
        List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
        for (int offset = 0, number = 1; offset < data.length; offset += partSize, number++) {
            int partNumber = number;
            int length = Math.min(partSize, data.length - offset);
            parts.add(s3Async.uploadPart(b -> b.bucket(bucket).key("big.bin").uploadId(uploadId)
                            .partNumber(partNumber).contentLength((long) length),
                            AsyncRequestBody.fromBytes(java.util.Arrays.copyOfRange(data, offset, offset + length)))
                    .thenApply(r -> CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).build()));
        }
        List<CompletedPart> completed = parts.stream().map(CompletableFuture::join).toList();
        s3Async.completeMultipartUpload(b -> b.bucket(bucket).key("big.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed))).join();

        byte[] read = s3Async.getObject(b -> b.bucket(bucket).key("big.bin"), AsyncResponseTransformer.toBytes())
                .join().asByteArray();
        assertEquals(5, completed.size());
        assertArrayEquals(data, read);
        assertEquals(data.length, s3.headObject(b -> b.bucket(bucket).key("big.bin")).contentLength());
    }

    @Test
    void copyObject_whenMetadataDirectiveReplace_replacesHeadersWithoutReupload() {
        String bucket = "copy-replace";
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("app.js").contentType("text/plain").cacheControl("no-cache")
                .metadata(Map.of("sha256", "old")), RequestBody.fromString("let a = 1;"));

        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("app.js").destinationBucket(bucket)
                .destinationKey("app.js").metadataDirective(MetadataDirective.REPLACE)
                .contentType("text/javascript").cacheControl("public, max-age=31536000, immutable")
                .metadata(Map.of("sha256", "new")));

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("app.js"));
        assertEquals("text/javascript", head.contentType());
        assertEquals("public, max-age=31536000, immutable", head.cacheControl());
        assertEquals(Map.of("sha256", "new"), head.metadata());
        assertEquals("let a = 1;", s3.getObjectAsBytes(b -> b.bucket(bucket).key("app.js")).asUtf8String());
    }

    @Test
    void deleteObjects_whenBatch_removesEveryKey() {
        String bucket = "batch-delete";
        s3.createBucket(b -> b.bucket(bucket));
        for (String key : List.of("a", "b", "c")) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(o -> o.key("a"), o -> o.key("b"))));

        assertEquals(List.of("c"), s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .toList());
    }

    @Test
    void start_whenDirectoryGiven_storesObjectsInThatFolder(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("store");
        try (S3Proxy onDisk = S3Proxy.start(base);
                S3Client client = Clients.s3(onDisk.endpoint(), Clients.REGION, Clients.CREDENTIALS).build()) {
            client.createBucket(b -> b.bucket("on-disk"));
            client.putObject(b -> b.bucket("on-disk").key("site/index.html").contentType("text/html"),
                    RequestBody.fromString("<h1>disk</h1>"));

            assertEquals("<h1>disk</h1>",
                    Files.readString(base.resolve("on-disk/site/index.html"), StandardCharsets.UTF_8));
            var read = client.getObjectAsBytes(b -> b.bucket("on-disk").key("site/index.html"));
            assertEquals("<h1>disk</h1>", read.asUtf8String());
            assertEquals("text/html", read.response().contentType());

            client.copyObject(b -> b.sourceBucket("on-disk").sourceKey("site/index.html")
                    .destinationBucket("on-disk").destinationKey("site/index.html")
                    .metadataDirective(MetadataDirective.REPLACE).contentType("text/html; charset=utf-8")
                    .cacheControl("no-cache"));
            HeadObjectResponse head = client.headObject(b -> b.bucket("on-disk").key("site/index.html"));
            assertEquals("text/html;charset=utf-8", head.contentType(), "s3proxy drops the blank before charset");
            assertEquals("no-cache", head.cacheControl());
        }
    }

    @Test
    void start_whenRestartedOnSameDirectory_bucketAndObjectsRemain(@TempDir Path dir) {
        Path base = dir.resolve("store");
        try (S3Proxy first = S3Proxy.start(base);
                S3Client client = Clients.s3(first.endpoint(), Clients.REGION, Clients.CREDENTIALS).build()) {
            client.createBucket(b -> b.bucket("kept"));
            client.putObject(b -> b.bucket("kept").key("assets/app.js").contentType("text/javascript")
                    .cacheControl("max-age=60"), RequestBody.fromString("console.log(1)"));
        }

        try (S3Proxy second = S3Proxy.start(base);
                S3Client client = Clients.s3(second.endpoint(), Clients.REGION, Clients.CREDENTIALS).build()) {
            assertTrue(client.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("kept")));
            var read = client.getObjectAsBytes(b -> b.bucket("kept").key("assets/app.js"));
            assertEquals("console.log(1)", read.asUtf8String());
            assertEquals("text/javascript", read.response().contentType());
            assertEquals("max-age=60", read.response().cacheControl());
            List<String> keys = client.listObjectsV2(b -> b.bucket("kept")).contents().stream().map(S3Object::key)
                    .filter(k -> !k.endsWith("/")) // the filesystem store lists folders as zero-byte "x/" keys
                    .toList();
            assertEquals(List.of("assets/app.js"), keys);
        }
    }

    @Test
    void close_whenRunning_portStopsAnswering() {
        S3Proxy other = S3Proxy.start();
        int port = other.endpoint().getPort();
        assertTrue(answers(port));

        other.close();
        other.close();

        assertFalse(answers(port));
    }

    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
