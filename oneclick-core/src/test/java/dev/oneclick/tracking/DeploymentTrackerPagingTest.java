package dev.oneclick.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.resources.AwsResources;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A user with 1,200 records of about 2.5 KB each (3 MB, three times DynamoDB's 1 MB query page). */
@ExtendWith(LocalAwsExtension.class)
class DeploymentTrackerPagingTest {
    private static final String TABLE = TrackerTables.uniqueTable("paging");
    private static final int ITEMS = 1200;
    private static final String USER = TrackerTables.user();
    private static final Set<String> GUIDS = new TreeSet<>();
    private static DeploymentTracker tracker;
    private static long totalBytes;

    @BeforeAll
    static void fill(DynamoDbClient client) throws Exception {
        tracker = DeploymentTracker.builder().dynamoDbClient(client).tableName(TABLE).build();
        tracker.ensureTable();
        for (int i = 0; i < ITEMS; i++) {
            GUIDS.add(TrackerTables.guid());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (String guid : GUIDS) {
                futures.add(pool.submit(() -> {
                    AwsResources r = AwsResources.builder().s3Bucket("tmux-builder-" + guid)
                            .region("us-east-1").put("notes", "n".repeat(2_400)).build();
                    tracker.save(USER, guid, "Project " + guid, r);
                    return r.toJson().getBytes(StandardCharsets.UTF_8).length;
                }));
            }
            for (Future<Integer> f : futures) {
                totalBytes += f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        tracker.save(TrackerTables.user(), TrackerTables.guid(), "another user's", AwsResources.empty());
    }

    @Test
    void listByUser_when1200ItemsOverOneMegabyte_returnsEveryOne() {
        assertTrue(totalBytes > 2 * 1024 * 1024, "resources alone take " + totalBytes + " bytes");
        List<DeploymentRecord> all = tracker.listByUser(USER);
        assertEquals(ITEMS, all.size());
        assertEquals(GUIDS, new TreeSet<>(all.stream().map(DeploymentRecord::projectId).toList()));
        assertTrue(all.stream().allMatch(r -> r.awsResources().getString("notes").orElseThrow().length() == 2_400));
    }

    @Test
    void listByUserPage_whenFollowingTheCursor_visitsEveryItemOnce() {
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            DeploymentTracker.RecordPage page = tracker.listByUser(USER, 100, cursor);
            assertTrue(page.items().size() <= 100);
            for (DeploymentRecord r : page.items()) {
                assertTrue(seen.add(r.projectId()), "seen twice: " + r.projectId());
                order.add(r.projectId());
            }
            cursor = page.nextCursor();
            pages++;
            assertTrue(pages <= 20, "too many pages");
        } while (cursor != null);
        assertEquals(GUIDS, seen);
        assertEquals(new ArrayList<>(GUIDS), order, "pages come in projectId order");
        assertTrue(pages >= 12, "pages: " + pages);
    }

    @Test
    void listByUserPage_whenLimitLargerThanOneMegabyte_stillEndsWithACursor() {
        // 1000 items of ~2.5 KB exceed the 1 MB a query returns: the page is cut short and a cursor follows
        DeploymentTracker.RecordPage first = tracker.listByUser(USER, 1000, null);
        assertTrue(first.items().size() < 1000, "page size " + first.items().size());
        assertTrue(first.nextCursor() != null);
        int total = first.items().size();
        String cursor = first.nextCursor();
        while (cursor != null) {
            DeploymentTracker.RecordPage page = tracker.listByUser(USER, 1000, cursor);
            total += page.items().size();
            cursor = page.nextCursor();
        }
        assertEquals(ITEMS, total);
    }

    @Test
    void listByUserPage_whenLastPage_hasNoCursor() {
        DeploymentTracker.RecordPage only = tracker.listByUser(TrackerTables.user(), 5, null);
        assertNull(only.nextCursor());
    }
}
