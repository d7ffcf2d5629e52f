package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Emptying a bucket: DeleteObjects batches of at most 1,000, several in flight; single deletes without it. */
class BucketManagerEmptyTest {

    /** An in-memory unversioned bucket behind an S3Client (list pages of 1,000, DeleteObjects, DeleteObject). */
    static final class Store {
        final ConcurrentSkipListSet<String> keys = new ConcurrentSkipListSet<>();
        final List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger singles = new AtomicInteger();
        final Map<String, Integer> calls = new ConcurrentHashMap<>();
        boolean deleteObjectsImplemented = true;
        /** How many calls must overlap before a delete returns (up to a bound), to observe concurrency. */
        int awaitOverlap = 1;
        volatile boolean gaveUp;

        S3Client client() {
            return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                    (proxy, m, args) -> {
                        calls.merge(m.getName(), 1, Integer::sum);
                        switch (m.getName()) {
                            case "listObjectsV2":
                                return list(build(args[0], ListObjectsV2Request::builder));
                            case "deleteObjects":
                                return deleteObjects(build(args[0], DeleteObjectsRequest::builder));
                            case "deleteObject":
                                return deleteObject(build(args[0], DeleteObjectRequest::builder));
                            case "deleteBucket":
                                return null;
                            case "close":
                                return null;
                            default:
                                throw new UnsupportedOperationException(m.getName());
                        }
                    });
        }

        @SuppressWarnings("unchecked")
        private static <R, B extends software.amazon.awssdk.utils.builder.SdkBuilder<B, R>> R build(Object arg,
                java.util.function.Supplier<B> builder) {
            if (arg instanceof Consumer<?> c) {
                B b = builder.get();
                ((Consumer<B>) c).accept(b);
                return b.build();
            }
            return (R) arg;
        }

        private ListObjectsV2Response list(ListObjectsV2Request r) {
            String after = r.continuationToken();
            TreeSet<String> rest = new TreeSet<>(after == null ? keys : keys.tailSet(after, false));
            List<S3Object> page = rest.stream().limit(1000).map(k -> S3Object.builder().key(k).size(1L).build())
                    .toList();
            boolean more = rest.size() > 1000;
            return ListObjectsV2Response.builder().contents(page).isTruncated(more)
                    .nextContinuationToken(more ? page.get(page.size() - 1).key() : null).build();
        }

        private void overlap() throws InterruptedException {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (maxInFlight.get() < awaitOverlap && !gaveUp && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            if (maxInFlight.get() < awaitOverlap) {
                gaveUp = true; // no overlap came: stop waiting (the assertion on maxInFlight reports it)
            }
        }

        private DeleteObjectsResponse deleteObjects(DeleteObjectsRequest r) throws InterruptedException {
            if (!deleteObjectsImplemented) {
                throw S3Exception.builder().statusCode(501).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("NotImplemented").errorMessage("not implemented").build()).build();
            }
            overlap();
            try {
                batchSizes.add(r.delete().objects().size());
                r.delete().objects().forEach(o -> keys.remove(o.key()));
                return DeleteObjectsResponse.builder().build();
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private DeleteObjectResponse deleteObject(DeleteObjectRequest r) throws InterruptedException {
            overlap();
            try {
                singles.incrementAndGet();
                keys.remove(r.key());
                return DeleteObjectResponse.builder().build();
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private static BucketManager manager(Store store) {
        return new BucketManager(store.client(), AwsCall.standard(d -> { }), true, DeployListener.NONE,
                "0b5e1c2a-0000-4000-8000-000000000001");
    }

    @Test
    void deletesInBatchesOfAtMostOneThousandWithSeveralInFlight() {
        Store store = new Store();
        for (int i = 0; i < 5857; i++) {
            store.keys.add(String.format("assets/%05d.js", i));
        }
        store.awaitOverlap = 2;

        int deleted = manager(store).emptyAndDelete("b");

        assertEquals(5857, deleted);
        assertTrue(store.keys.isEmpty());
        assertTrue(store.batchSizes.stream().allMatch(n -> n <= 1000), store.batchSizes.toString());
        assertEquals(6, store.batchSizes.size(), store.batchSizes.toString());
        assertTrue(store.maxInFlight.get() >= 2, "batches in flight at once: " + store.maxInFlight.get());
        assertTrue(store.maxInFlight.get() <= BulkDeletes.BATCHES_IN_FLIGHT, "at most "
                + BulkDeletes.BATCHES_IN_FLIGHT + " batches at once, saw " + store.maxInFlight.get());
        assertEquals(1, store.calls.get("deleteBucket"));
    }

    @Test
    void withoutDeleteObjectsDeletesOneByOneInParallel() {
        Store store = new Store();
        store.deleteObjectsImplemented = false;
        for (int i = 0; i < 2500; i++) {
            store.keys.add(String.format("k/%05d", i));
        }
        store.awaitOverlap = 4;

        int deleted = manager(store).emptyAndDelete("b");

        assertEquals(2500, deleted);
        assertTrue(store.keys.isEmpty());
        assertEquals(2500, store.singles.get());
        assertTrue(store.maxInFlight.get() >= 4, "single deletes in flight at once: " + store.maxInFlight.get());
        assertTrue(store.maxInFlight.get() <= BulkDeletes.DELETE_THREADS);
    }

    @Test
    void anEmptyBucketIsJustDeleted() {
        Store store = new Store();
        assertEquals(0, manager(store).emptyAndDelete("b"));
        assertEquals(1, store.calls.get("deleteBucket"));
    }
}
