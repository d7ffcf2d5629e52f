package dev.oneclick.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.resources.AwsResources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Items written by the plan's Python client ({@code boto3} {@code Table.put_item} with
 * {@code datetime.utcnow().isoformat()} timestamps, no version, no status, numbers as N) read back and update;
 * what oneclick writes reads the way that client reads it.
 */
@ExtendWith(LocalAwsExtension.class)
class DeploymentTrackerPythonItemTest {
    private static final String TABLE = TrackerTables.uniqueTable("python");
    private static final String CREATED = "2025-01-02T03:04:05.123456";
    private static DynamoDbClient dynamo;
    private static DeploymentTracker tracker;

    @BeforeAll
    static void createTable(DynamoDbClient client) {
        dynamo = client;
        tracker = DeploymentTracker.builder().dynamoDbClient(client).tableName(TABLE).build();
        tracker.ensureTable();
    }

    /** The item exactly as boto3's resource layer sends it for the plan's save_project_resources. */
    private static void putLikeBoto3(String user, String guid) {
        dynamo.putItem(p -> p.tableName(TABLE).item(Map.of(
                "userId", AttributeValue.fromS(user),
                "projectId", AttributeValue.fromS(guid),
                "projectName", AttributeValue.fromS("Unnamed Project"),
                "awsResources", AttributeValue.fromM(Map.of(
                        "s3Bucket", AttributeValue.fromS("tmux-builder-" + guid),
                        "cloudFrontId", AttributeValue.fromS("E1234567890"),
                        "cloudFrontUrl", AttributeValue.fromS("https://d123.cloudfront.net"),
                        "region", AttributeValue.fromS("us-east-1"),
                        "port", AttributeValue.fromN("8080"),
                        "weight", AttributeValue.fromN("0.5"),
                        "public", AttributeValue.fromBool(false),
                        "tags", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromN("2"),
                                AttributeValue.fromNul(true))))),
                "createdAt", AttributeValue.fromS(CREATED),
                "updatedAt", AttributeValue.fromS(CREATED))));
    }

    /** The plan's update_resources: UpdateExpression 'SET awsResources = :res, updatedAt = :upd', no version. */
    private static void updateLikeBoto3(String user, String guid, String updatedAt) {
        dynamo.updateItem(u -> u.tableName(TABLE)
                .key(Map.of("userId", AttributeValue.fromS(user), "projectId", AttributeValue.fromS(guid)))
                .updateExpression("SET awsResources = :res, updatedAt = :upd")
                .expressionAttributeValues(Map.of(
                        ":res", AttributeValue.fromM(Map.of(
                                "s3Bucket", AttributeValue.fromS("tmux-builder-" + guid),
                                "ecsCluster", AttributeValue.fromS("from-python"))),
                        ":upd", AttributeValue.fromS(updatedAt))));
    }

    @Test
    void get_whenItemWrittenByThePythonClient_readsBackWithVersionZeroAndNoStatus() {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        putLikeBoto3(user, guid);

        DeploymentRecord r = tracker.get(user, guid).orElseThrow();
        assertEquals(0, r.version());
        assertTrue(r.status().isEmpty());
        assertTrue(r.lastError().isEmpty());
        assertEquals("Unnamed Project", r.projectName());
        assertEquals(CREATED, r.createdAt());
        assertEquals(Instant.parse("2025-01-02T03:04:05.123456Z"), r.createdInstant().orElseThrow());
        assertEquals("tmux-builder-" + guid, r.awsResources().s3Bucket().orElseThrow());
        assertEquals(8080L, r.awsResources().get("port").orElseThrow());
        assertEquals(new java.math.BigDecimal("0.5"), r.awsResources().get("weight").orElseThrow());
        assertEquals(false, r.awsResources().get("public").orElseThrow());
        assertEquals(java.util.Arrays.asList("a", 2L, null), r.awsResources().get("tags").orElseThrow(),
                "boto3 stores None in a list as NULL; its position is kept");
        assertEquals(1, tracker.listByUser(user).size());
        assertEquals(user, tracker.findByProjectId(guid).orElseThrow().userId());
    }

    @Test
    void saveRecord_whenItemWrittenByThePythonClient_updatesWithVersionZeroAndKeepsCreatedAt() {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        putLikeBoto3(user, guid);
        DeploymentRecord read = tracker.get(user, guid).orElseThrow();

        DeploymentRecord saved = tracker.save(read.toBuilder().projectName("Renamed")
                .status(DeploymentStatus.DEPLOYED).build());
        assertEquals(1, saved.version());
        assertEquals(CREATED, saved.createdAt(), "the Python createdAt is kept as written");
        assertTrue(saved.updatedAt().endsWith("Z"));
        assertEquals(read.awsResources(), saved.awsResources());
        Map<String, AttributeValue> raw = TrackerTables.rawItem(dynamo, TABLE, user, guid);
        assertEquals("8080", raw.get("awsResources").m().get("port").n());
        assertEquals(AttributeValue.Type.BOOL, raw.get("awsResources").m().get("public").type());
        assertEquals(AttributeValue.Type.NUL, raw.get("awsResources").m().get("tags").l().get(2).type());
    }

    @Test
    void updateOperations_whenItemWrittenByThePythonClient_work() {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        putLikeBoto3(user, guid);
        DeploymentRecord merged = tracker.recordResources(user, guid, null,
                AwsResources.builder().siteUrl("https://d123.cloudfront.net/").build());
        assertEquals(1, merged.version());
        assertEquals("tmux-builder-" + guid, merged.awsResources().s3Bucket().orElseThrow());
        assertEquals("https://d123.cloudfront.net/", merged.awsResources().siteUrl().orElseThrow());

        DeploymentRecord status = tracker.updateStatus(user, guid, "ignored", DeploymentStatus.DEPLOYED, null);
        assertEquals(2, status.version());
        assertEquals("Unnamed Project", status.projectName());
        assertEquals(CREATED, status.createdAt());

        DeploymentRecord replaced = tracker.updateResources(user, guid, AwsResources.builder().region("us-east-1")
                .build());
        assertEquals(3, replaced.version());
        assertEquals(Map.of("region", "us-east-1"), replaced.awsResources().asMap());
    }

    @Test
    void saveRecord_whenPythonClientOverwroteTheItemMeanwhile_throwsConcurrentUpdate() {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        DeploymentRecord ours = tracker.save(user, guid, "App", AwsResources.empty());
        tracker.save(ours); // version 2 now
        // the Python client's put_item replaces the whole item: the version attribute is gone
        putLikeBoto3(user, guid);
        // a record read at version 2 must not silently overwrite what the Python client wrote
        org.junit.jupiter.api.Assertions.assertThrows(dev.oneclick.errors.ConcurrentUpdateException.class,
                () -> tracker.save(ours.toBuilder().version(2).build()));
    }

    @Test
    void get_whenPythonClientUpdatedAOneclickItem_readsItsResourcesAndZonelessTimeAndSavesOn() {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        DeploymentRecord ours = tracker.save(user, guid, "App", AwsResources.builder().region("us-east-1").build());
        tracker.updateStatus(user, guid, null, DeploymentStatus.DEPLOYED, null);
        updateLikeBoto3(user, guid, "2099-01-02T03:04:05.654321");

        DeploymentRecord read = tracker.get(user, guid).orElseThrow();
        assertEquals(Map.of("s3Bucket", "tmux-builder-" + guid, "ecsCluster", "from-python"),
                read.awsResources().asMap());
        assertEquals("2099-01-02T03:04:05.654321", read.updatedAt());
        assertEquals(Instant.parse("2099-01-02T03:04:05.654321Z"), read.updatedInstant().orElseThrow());
        assertEquals(ours.createdAt(), read.createdAt());
        assertEquals(DeploymentStatus.DEPLOYED, read.status().orElseThrow(), "oneclick's own attributes survive");
        assertEquals(2, read.version(), "update_item leaves the version as it was");
        assertEquals(user, tracker.findByProjectId(guid).orElseThrow().userId());

        DeploymentRecord saved = tracker.save(read.toBuilder().projectName("Renamed").build());
        assertEquals(3, saved.version());
        assertEquals("from-python", saved.awsResources().getString("ecsCluster").orElseThrow());
    }

    @Test
    void saveRecord_whenPythonClientUpdatedTheItemAfterTheRead_throwsConcurrentUpdateAndKeepsItsWrite() {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        tracker.save(user, guid, "App", AwsResources.builder().region("us-east-1").build());
        DeploymentRecord stale = tracker.get(user, guid).orElseThrow();
        // the Python client moves updatedAt but not the version
        updateLikeBoto3(user, guid, "2099-01-02T03:04:05.000001");

        org.junit.jupiter.api.Assertions.assertThrows(dev.oneclick.errors.ConcurrentUpdateException.class,
                () -> tracker.save(stale.toBuilder().awsResources(AwsResources.empty()).build()));
        assertEquals("from-python", tracker.get(user, guid).orElseThrow().awsResources().getString("ecsCluster")
                .orElseThrow(), "the Python client's write is not overwritten");
    }

    @Test
    void saveRecord_whenPythonItemRereadAfterAnotherPythonUpdate_throwsForTheStaleReadOnly() {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        putLikeBoto3(user, guid);
        DeploymentRecord stale = tracker.get(user, guid).orElseThrow();
        updateLikeBoto3(user, guid, "2099-01-02T03:04:05.000002");

        org.junit.jupiter.api.Assertions.assertThrows(dev.oneclick.errors.ConcurrentUpdateException.class,
                () -> tracker.save(stale));
        DeploymentRecord fresh = tracker.get(user, guid).orElseThrow();
        assertEquals(1, tracker.save(fresh).version());
    }

    @Test
    void save_whenWrittenByOneclick_hasOnlyTypesThePythonClientReads() {
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        tracker.save(user, guid, "App", AwsResources.builder().s3Bucket("tmux-builder-" + guid).put("n", 7).build());
        tracker.updateStatus(user, guid, null, DeploymentStatus.DEPLOYED, null);
        Map<String, AttributeValue> raw = TrackerTables.rawItem(dynamo, TABLE, user, guid);
        // plan attributes keep their names and types; oneclick's own are extra attributes
        assertEquals(AttributeValue.Type.S, raw.get("userId").type());
        assertEquals(AttributeValue.Type.S, raw.get("projectId").type());
        assertEquals(AttributeValue.Type.S, raw.get("projectName").type());
        assertEquals(AttributeValue.Type.M, raw.get("awsResources").type());
        assertEquals(AttributeValue.Type.S, raw.get("createdAt").type());
        assertEquals(AttributeValue.Type.S, raw.get("updatedAt").type());
        assertEquals(AttributeValue.Type.S, raw.get("status").type());
        assertEquals(AttributeValue.Type.N, raw.get("version").type());
        // Python's datetime.fromisoformat reads this form (3.11+); it is also plain ISO-8601
        assertTrue(raw.get("createdAt").s().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
    }
}
