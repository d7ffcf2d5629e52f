package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.internal.aws.DirectS3;
import dev.oneclick.internal.aws.ThrottleCounter;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link BucketLister} lists every key of a bucket, whatever the keys it was told to expect, through the SDK and
 * through {@link DirectS3}, against moto (S3's order: UTF-8 bytes) and s3proxy (an S3-compatible store). Pages of 5
 * keys make a 50-key bucket a 10-page listing. Among the keys are some that UTF-8 and UTF-16 order differently
 * ({@code U+1F600} is a surrogate pair in UTF-16, which sorts before {@code U+E000} and {@code U+FF01} there).
 */
class BucketListerTest {
    private static final int PAGE = 5;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static Moto moto;
    private static LocalAws local;
    private static DirectS3 motoDirect;
    private static DirectS3 s3proxyDirect;

    @BeforeAll
    static void start() {
        moto = Moto.start();
        local = LocalAws.builder().dynamoDb(false).start();
        motoDirect = new DirectS3(Region.US_EAST_1, moto.endpoint(), false, moto.credentialsProvider(),
                AwsRetryStrategy.standardRetryStrategy(), new ThrottleCounter(), 8);
        s3proxyDirect = new DirectS3(local.region(), local.s3Endpoint(), true, local.credentialsProvider(),
                AwsRetryStrategy.standardRetryStrategy(), new ThrottleCounter(), 8);
    }

    @AfterAll
    static void stop() throws IOException {
        motoDirect.close();
        s3proxyDirect.close();
        moto.close();
        local.close();
    }

    /** One store, and the two ways of sending its pages. */
    private record Store(String name, S3Client sync, S3AsyncClient async, DirectS3 direct) {
    }

    private static List<Store> stores() {
        return List.of(new Store("moto", moto.s3Client(), moto.s3AsyncClient(), motoDirect),
                new Store("s3proxy", local.s3Client(), local.s3AsyncClient(), s3proxyDirect));
    }

    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(String.format("assets/file-%03d.js", i));
        }
        keys.addAll(List.of("index.html", "a b/c d.txt", "c++/a+b.html", "\u00fc/na\u00efve caf\u00e9.css",
                "z/\ud83d\ude00.txt", "z/\ue000.txt", "z/\uff01.txt", "z/\uff01\ud83d\ude00.txt", "eq=amp&.txt"));
        return keys;
    }

    private static String bucketWith(Store store, List<String> keys) {
        String bucket = "lister-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        store.sync.createBucket(b -> b.bucket(bucket));
        for (String k : keys) {
            store.sync.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString("body of " + k));
        }
        return bucket;
    }

    /** What the SDK's own paginator lists: the reference. */
    private static Map<String, RemoteState.Listed> reference(Store store, String bucket) {
        Map<String, RemoteState.Listed> all = new HashMap<>();
        store.sync.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> all.put(o.key(),
                new RemoteState.Listed(S3Calls.normEtag(o.eTag()), o.size())));
        return all;
    }

    private static BucketLister.Counted list(Store store, boolean direct, String bucket, Set<String> expected) {
        Supplier<DirectS3> d = direct ? () -> store.direct : null;
        return BucketLister.listCounted(store.async, d, bucket, CompletableFuture.completedFuture(expected), PAGE)
                .join();
    }

    @Test
    void listsEveryKeyWhenTheManifestIsRight() {
        for (Store store : stores()) {
            List<String> keys = keys(41);
            String bucket = bucketWith(store, keys);
            Map<String, RemoteState.Listed> all = reference(store, bucket);
            assertEquals(keys.size(), all.size(), store.name);
            for (boolean direct : new boolean[] {false, true}) {
                BucketLister.Counted c = list(store, direct, bucket, new TreeSet<>(keys));
                assertEquals(all, c.listing(), store.name + (direct ? " direct" : " sdk"));
                // 10 pages' worth, one range each, plus what the orders' disagreement on the z/ keys costs
                assertTrue(c.requests() <= keys.size() / PAGE + 4, store.name + ": " + c.requests() + " requests");
            }
        }
    }

    @Test
    void listsEveryKeyWhenTheManifestIsStaleWrongOrEmpty() {
        for (Store store : stores()) {
            List<String> keys = keys(41);
            String bucket = bucketWith(store, keys);
            // Removed since the manifest: every 5th key in order (cut points among them); added: keys it never saw.
            List<String> sorted = new ArrayList<>(new TreeSet<>(keys));
            for (int i = 4; i < sorted.size(); i += 5) {
                String k = sorted.get(i);
                store.sync.deleteObject(b -> b.bucket(bucket).key(k));
            }
            for (int i = 0; i < 12; i++) {
                String k = String.format("assets/file-%03d-new.js", i * 3);
                store.sync.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString(k));
            }
            store.sync.putObject(b -> b.bucket(bucket).key("zz/\ud83d\ude01.txt"), RequestBody.fromString("x"));
            Map<String, RemoteState.Listed> all = reference(store, bucket);
            Set<String> wrong = new TreeSet<>();
            for (int i = 0; i < 60; i++) {
                wrong.add("nothing/" + i + ".txt");
            }
            for (boolean direct : new boolean[] {false, true}) {
                String how = store.name + (direct ? " direct" : " sdk");
                assertEquals(all, list(store, direct, bucket, new TreeSet<>(keys)).listing(), how + ", stale");
                assertEquals(all, list(store, direct, bucket, wrong).listing(), how + ", wrong");
                BucketLister.Counted none = list(store, direct, bucket, Set.of());
                assertEquals(all, none.listing(), how + ", no manifest");
                assertEquals((all.size() + PAGE - 1) / PAGE, none.requests(), how + ": page after page");
            }
        }
    }

    /**
     * On moto (UTF-8 order) a range that ends at {@code z/U+1F600} passes keys with {@code U+E000} and {@code U+FF01}
     * first, which UTF-16 order puts after its end: they must not end it, or the keys between would be lost.
     */
    @Test
    void aKeyTheTwoOrdersDisagreeOnDoesNotEndARange() {
        Store store = stores().get(0);
        List<String> keys = new ArrayList<>(List.of("a1", "a2", "a3", "a4", "a5"));
        for (int i = 0; i < PAGE; i++) {
            keys.add("z/\ue000-" + i);
        }
        keys.addAll(List.of("z/\uff01.txt", "z/\uff01\ud83d\ude00.txt", "z/\ud83d\ude00.txt", "zz.txt"));
        String bucket = bucketWith(store, keys);
        // The manifest's keys after the first page, in UTF-16 order: b1..b4, then z/U+1F600 as the 5th: a cut point.
        Set<String> expected = new TreeSet<>(List.of("a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4",
                "z/\ud83d\ude00.txt", "zz.txt", "zzz"));
        assertEquals(List.of("z/\ud83d\ude00.txt"), BucketLister.cuts(expected, "a5", PAGE));
        for (boolean direct : new boolean[] {false, true}) {
            assertEquals(reference(store, bucket), list(store, direct, bucket, expected).listing(),
                    direct ? "direct" : "sdk");
        }
    }

    @Test
    void anEmptyBucketIsOneRequest() {
        for (Store store : stores()) {
            String bucket = bucketWith(store, List.of());
            for (boolean direct : new boolean[] {false, true}) {
                BucketLister.Counted c = list(store, direct, bucket, Set.of("index.html"));
                assertEquals(Map.of(), c.listing());
                assertEquals(1, c.requests());
            }
        }
    }
}
