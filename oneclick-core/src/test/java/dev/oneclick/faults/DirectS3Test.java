package dev.oneclick.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.faults.FaultProxy.Fault;
import dev.oneclick.internal.aws.DirectS3;
import dev.oneclick.internal.aws.ThrottleCounter;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link DirectS3}, the upload (and single delete) path without the SDK's pipeline, against real stores: moto as AWS
 * (the URL from the SDK's endpoint rules, the scan's SHA-256 sent as {@code x-amz-checksum-sha256}, which moto keeps
 * and returns) and s3proxy as an S3-compatible store (path style, no checksum header: s3proxy answers 501 to one),
 * each behind a {@link FaultProxy} for the failures: connection resets and 503 SlowDown are retried by the SDK's
 * retry strategy and counted, an answer that stays 503 fails after the strategy's attempts, an error that is not
 * retryable fails at once with the store's code.
 * That S3 refuses bytes whose SHA-256 is not the header's (400 BadDigest) is AWS's documented rule; neither moto nor
 * s3proxy enforces it, so it is not tested here.
 */
class DirectS3Test {
    /** Keys that need encoding in a URL path, as site files can be named. */
    private static final List<String> KEYS = List.of("index.html", "a b/c d.txt", "c++/a+b.html", "ü/naïve café.css",
            "x/~tilde*star(1)'q'.js", "eq=amp&dollar$at@comma,semi;colon:bang!.txt", "deep/er/still/file.json");
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static Moto moto;
    private static LocalAws local;
    private static FaultProxy motoProxy;
    private static FaultProxy s3proxyProxy;
    private static S3Client motoS3;
    private static S3Client s3proxyS3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        moto = Moto.start();
        local = LocalAws.builder().dynamoDb(false).start();
        motoProxy = new FaultProxy(moto.endpoint());
        s3proxyProxy = new FaultProxy(local.s3Endpoint());
        motoS3 = moto.s3Client();
        s3proxyS3 = local.s3Client();
    }

    @AfterAll
    static void stop() throws IOException {
        motoProxy.close();
        s3proxyProxy.close();
        moto.close();
        local.close();
    }

    @AfterEach
    void clearFaults() {
        motoProxy.faults(r -> Fault.NONE);
        s3proxyProxy.faults(r -> Fault.NONE);
        motoProxy.clearCounts();
        s3proxyProxy.clearCounts();
    }

    private static DirectS3 onMoto(ThrottleCounter throttles) {
        return new DirectS3(Region.US_EAST_1, motoProxy.endpoint(), false, moto.credentialsProvider(),
                NetworkFaultsTest.retryWithoutWaits(), throttles, 8);
    }

    private static DirectS3 onS3proxy(ThrottleCounter throttles) {
        return new DirectS3(local.region(), s3proxyProxy.endpoint(), true, local.credentialsProvider(),
                NetworkFaultsTest.retryWithoutWaits(), throttles, 8);
    }

    private static String bucket(S3Client s3) {
        String b = "direct-put-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path f = tmp.resolve(name.replace('/', '_'));
        Files.write(f, bytes);
        return f;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static PutObjectRequest request(String bucket, String key) {
        return PutObjectRequest.builder().bucket(bucket).key(key).contentType("text/css")
                .cacheControl("public, max-age=60").metadata(Map.of("sha256", "test")).build();
    }

    /** Uploads each key (small files from memory, one streamed from disk) and reads every object back. */
    private void putsEveryKeyAndReadsItBack(DirectS3 put, S3Client s3, boolean checksum) throws Exception {
        String bucket = bucket(s3);
        for (String key : KEYS) {
            byte[] bytes = ("bytes of " + key).getBytes(StandardCharsets.UTF_8);
            Path f = file(key, bytes);
            String etag = put.putObject(request(bucket, key), sha256(bytes), f, bytes.length, () -> bytes).join();
            GetObjectResponse got = s3.getObject(r -> r.bucket(bucket).key(key), ResponseTransformer.toBytes())
                    .response();
            byte[] back = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
            assertArrayEquals(bytes, back, key);
            assertEquals(got.eTag(), etag, key);
            assertEquals("text/css", got.contentType(), key);
            assertEquals("public, max-age=60", got.cacheControl(), key);
            assertEquals(Map.of("sha256", "test"), got.metadata(), key);
        }
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Path f = file("big.bin", big);
        put.putObject(request(bucket, "media/big.bin"), sha256(big), f, big.length, null).join();
        assertArrayEquals(big, s3.getObjectAsBytes(r -> r.bucket(bucket).key("media/big.bin")).asByteArray());
        if (checksum) {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("media/big.bin")
                    .checksumMode(ChecksumMode.ENABLED));
            assertEquals(java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(big))),
                    head.checksumSHA256(), "the store kept the SHA-256 it was sent");
        }
    }

    @Test
    void putObject_onMoto_storesBytesHeadersMetadataAndTheSha256ForEveryKey() throws Exception {
        try (DirectS3 put = onMoto(new ThrottleCounter())) {
            putsEveryKeyAndReadsItBack(put, motoS3, true);
        }
    }

    @Test
    void putObject_onS3proxy_storesBytesHeadersAndMetadataForEveryKey() throws Exception {
        try (DirectS3 put = onS3proxy(new ThrottleCounter())) {
            putsEveryKeyAndReadsItBack(put, s3proxyS3, false);
        }
    }

    @Test
    void putObject_whenConnectionsResetAndS3SlowsDown_retriesCountsTheThrottlingAndStoresTheFile()
            throws Exception {
        String bucket = bucket(s3proxyS3);
        AtomicInteger puts = new AtomicInteger();
        s3proxyProxy.faults(r -> {
            if (!r.method().equals("PUT")) {
                return Fault.NONE;
            }
            return switch (puts.incrementAndGet()) {
                case 1 -> Fault.RESET_REQUEST;
                case 2 -> Fault.S3_SLOW_DOWN;
                case 3 -> Fault.RESET_REQUEST;
                case 4 -> Fault.S3_SLOW_DOWN;
                default -> Fault.NONE;
            };
        });
        byte[] bytes = "after four failed attempts".getBytes(StandardCharsets.UTF_8);
        ThrottleCounter throttles = new ThrottleCounter();
        try (DirectS3 put = onS3proxy(throttles)) {
            put.putObject(request(bucket, "k.txt"), sha256(bytes), file("k.txt", bytes), bytes.length, () -> bytes)
                    .join();
        }
        assertEquals(5, puts.get(), "four failed attempts, then the one that stored it");
        assertEquals(2, throttles.count(), "each SlowDown counted");
        assertArrayEquals(bytes, s3proxyS3.getObjectAsBytes(r -> r.bucket(bucket).key("k.txt")).asByteArray());
    }

    @Test
    void putObject_whenS3AnswersSlowDownForever_failsWithTheCodeAfterTheStrategysAttempts() throws Exception {
        String bucket = bucket(s3proxyS3);
        s3proxyProxy.faults(r -> r.method().equals("PUT") ? Fault.S3_SLOW_DOWN : Fault.NONE);
        byte[] bytes = "never stored".getBytes(StandardCharsets.UTF_8);
        ThrottleCounter throttles = new ThrottleCounter();
        try (DirectS3 put = onS3proxy(throttles)) {
            CompletionException e = assertThrows(CompletionException.class, () -> put.putObject(request(bucket,
                    "k.txt"), sha256(bytes), file("k.txt", bytes), bytes.length, () -> bytes).join());
            S3Exception s3e = assertInstanceOf(S3Exception.class, e.getCause());
            assertEquals(503, s3e.statusCode());
            assertEquals("SlowDown", s3e.awsErrorDetails().errorCode());
            assertTrue(s3e.getMessage().contains("Please reduce your request rate."), s3e.getMessage());
        }
        assertEquals(8, throttles.count(), "8 attempts, each counted");
    }

    @Test
    void putObject_intoABucketThatDoesNotExist_failsAtOnceWithNoSuchBucket() throws Exception {
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        try (DirectS3 put = onS3proxy(new ThrottleCounter())) {
            CompletionException e = assertThrows(CompletionException.class, () -> put.putObject(request(
                    "direct-put-no-such-bucket", "k.txt"), sha256(bytes), file("k.txt", bytes), bytes.length,
                    () -> bytes).join());
            S3Exception s3e = assertInstanceOf(S3Exception.class, e.getCause());
            assertEquals(404, s3e.statusCode());
            assertEquals("NoSuchBucket", s3e.awsErrorDetails().errorCode());
        }
        assertEquals(Map.of("PUT /direct-put-no-such-bucket/k.txt", 1), s3proxyProxy.received(),
                "not retried");
    }

    @Test
    void putObject_whenAStreamedFileChangedSize_failsBeforeSending() throws Exception {
        String bucket = bucket(s3proxyS3);
        Path f = file("grown.bin", new byte[300_000]);
        try (DirectS3 put = onS3proxy(new ThrottleCounter())) {
            CompletionException e = assertThrows(CompletionException.class, () -> put.putObject(request(bucket,
                    "grown.bin"), sha256(new byte[1]), f, 299_999, null).join());
            SdkClientException c = assertInstanceOf(SdkClientException.class, e.getCause());
            assertTrue(c.getMessage().contains("300000 bytes now, 299999 when it was scanned"), c.getMessage());
        }
        assertEquals(Map.of(), s3proxyProxy.received());
    }

    @Test
    void deleteObject_whenS3SlowsDownOnce_retriesAndTheObjectIsGone() throws Exception {
        String bucket = bucket(s3proxyS3);
        s3proxyS3.putObject(r -> r.bucket(bucket).key("a b/c+d.txt"), software.amazon.awssdk.core.sync.RequestBody
                .fromString("x"));
        AtomicInteger deletes = new AtomicInteger();
        s3proxyProxy.faults(r -> r.method().equals("DELETE") && deletes.incrementAndGet() == 1 ? Fault.S3_SLOW_DOWN
                : Fault.NONE);
        ThrottleCounter throttles = new ThrottleCounter();
        try (DirectS3 direct = onS3proxy(throttles)) {
            direct.deleteObject(bucket, "a b/c+d.txt", null);
        }
        assertEquals(2, deletes.get());
        assertEquals(1, throttles.count());
        assertEquals(0, s3proxyS3.listObjectsV2(r -> r.bucket(bucket)).keyCount());
    }

    @Test
    void deleteObject_withAVersionId_deletesThatVersionOnly() throws Exception {
        String bucket = bucket(motoS3);
        motoS3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        String first = motoS3.putObject(r -> r.bucket(bucket).key("k.txt"), software.amazon.awssdk.core.sync
                .RequestBody.fromString("one")).versionId();
        String second = motoS3.putObject(r -> r.bucket(bucket).key("k.txt"), software.amazon.awssdk.core.sync
                .RequestBody.fromString("two")).versionId();
        try (DirectS3 direct = onMoto(new ThrottleCounter())) {
            direct.deleteObject(bucket, "k.txt", first);
        }
        List<String> left = motoS3.listObjectVersions(r -> r.bucket(bucket)).versions().stream()
                .map(v -> v.versionId()).toList();
        assertEquals(List.of(second), left);
    }

    @Test
    void listObjectsV2_whenTheConnectionResetsAndS3SlowsDown_retriesAndPagesThroughEveryKey() throws Exception {
        for (boolean onMoto : new boolean[] {true, false}) {
            S3Client s3 = onMoto ? motoS3 : s3proxyS3;
            FaultProxy proxy = onMoto ? motoProxy : s3proxyProxy;
            String bucket = bucket(s3);
            for (String k : KEYS) {
                s3.putObject(r -> r.bucket(bucket).key(k), software.amazon.awssdk.core.sync.RequestBody.fromString(k));
            }
            AtomicInteger lists = new AtomicInteger();
            proxy.faults(r -> !r.method().equals("GET") ? Fault.NONE : switch (lists.incrementAndGet()) {
                case 1 -> Fault.RESET_RESPONSE;
                case 3 -> Fault.S3_SLOW_DOWN;
                default -> Fault.NONE;
            });
            ThrottleCounter throttles = new ThrottleCounter();
            java.util.Set<String> seen = new java.util.TreeSet<>();
            try (DirectS3 direct = onMoto ? onMoto(throttles) : onS3proxy(throttles)) {
                String token = null;
                int pages = 0;
                do {
                    dev.oneclick.internal.aws.ListPage page = direct.listObjectsV2(bucket, null, token, 3).join();
                    page.contents().forEach(i -> seen.add(i.key()));
                    page.contents().forEach(i -> assertEquals(i.key().getBytes(StandardCharsets.UTF_8).length,
                            i.size(), i.key()));
                    token = page.nextContinuationToken();
                    pages++;
                } while (token != null && pages < 10);
                assertEquals(3, pages, onMoto ? "moto" : "s3proxy");
                // after a key, as a range of the ranged listing starts
                List<String> after = direct.listObjectsV2(bucket, "deep/er/still/file.json", null, 1000).join()
                        .contents().stream().map(dev.oneclick.internal.aws.ListPage.Item::key).toList();
                assertEquals(new java.util.TreeSet<>(KEYS).tailSet("deep/er/still/file.json", false).stream()
                        .toList(), after);
            }
            assertEquals(new java.util.TreeSet<>(KEYS), seen, onMoto ? "moto" : "s3proxy");
            assertEquals(1, throttles.count());
            proxy.faults(r -> Fault.NONE);
        }
        try (DirectS3 direct = onS3proxy(new ThrottleCounter())) {
            CompletionException e = assertThrows(CompletionException.class, () -> direct.listObjectsV2(
                    "no-such-bucket-" + BUCKETS.incrementAndGet(), null, null, 1000).join());
            S3Exception s3e = assertInstanceOf(S3Exception.class, e.getCause());
            assertEquals("NoSuchBucket", s3e.awsErrorDetails().errorCode());
        }
    }
}
