package dev.oneclick.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.ConcurrentUpdateException;
import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.resources.AwsResources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Eight threads updating one project at once lose no update. */
@ExtendWith(LocalAwsExtension.class)
class DeploymentTrackerConcurrencyTest {
    private static final String TABLE = TrackerTables.uniqueTable("concurrency");
    private static final int THREADS = 8;
    private static DeploymentTracker tracker;
    private static ExecutorService pool;

    @BeforeAll
    static void createTable(DynamoDbClient client) {
        tracker = DeploymentTracker.builder().dynamoDbClient(client).tableName(TABLE).build();
        tracker.ensureTable();
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Runs the task on every thread, all released at once, and returns their results. */
    private static <T> List<T> together(java.util.function.IntFunction<Callable<T>> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Callable<T> c = task.apply(i);
            futures.add(pool.submit(() -> {
                start.await();
                return c.call();
            }));
        }
        start.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void recordResources_whenEightThreadsAddTheirOwnKeysToANewProject_loseNoKey() throws Exception {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        int rounds = 5;
        together(i -> () -> {
            for (int r = 0; r < rounds; r++) {
                tracker.recordResources(user, guid, "App",
                        AwsResources.builder().put("thread" + i + "round" + r, "value-" + i + "-" + r).build());
            }
            return null;
        });
        DeploymentRecord record = tracker.get(user, guid).orElseThrow();
        Map<String, Object> expected = new HashMap<>();
        for (int i = 0; i < THREADS; i++) {
            for (int r = 0; r < rounds; r++) {
                expected.put("thread" + i + "round" + r, "value-" + i + "-" + r);
            }
        }
        assertEquals(expected, new HashMap<>(record.awsResources().asMap()));
        assertEquals(THREADS * rounds, record.version(), "every merge bumped the version once");
    }

    @Test
    void saveRecord_whenEightThreadsReadModifyWriteWithRetry_loseNoUpdate() throws Exception {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        tracker.save(user, guid, "App", AwsResources.builder().put("counter", 0).build());
        int increments = 5;
        AtomicInteger conflicts = new AtomicInteger();
        together(i -> () -> {
            for (int n = 0; n < increments; n++) {
                while (true) {
                    DeploymentRecord read = tracker.get(user, guid).orElseThrow();
                    long counter = ((Number) read.awsResources().get("counter").orElseThrow()).longValue();
                    AwsResources changed = read.awsResources().toBuilder().put("counter", counter + 1)
                            .put("thread" + i, n + 1).build();
                    try {
                        tracker.save(read.toBuilder().awsResources(changed).build());
                        break;
                    } catch (ConcurrentUpdateException e) {
                        conflicts.incrementAndGet();
                    }
                }
            }
            return null;
        });
        DeploymentRecord record = tracker.get(user, guid).orElseThrow();
        assertEquals((long) THREADS * increments, record.awsResources().get("counter").orElseThrow());
        for (int i = 0; i < THREADS; i++) {
            assertEquals((long) increments, record.awsResources().get("thread" + i).orElseThrow());
        }
        assertEquals(1 + THREADS * increments, record.version());
        // eight threads racing on one item: some writes must have been refused and retried
        assertTrue(conflicts.get() > 0, "conflicts seen: " + conflicts.get());
    }
}
