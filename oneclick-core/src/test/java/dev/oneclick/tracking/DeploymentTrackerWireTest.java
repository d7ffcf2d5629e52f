package dev.oneclick.tracking;

import static dev.oneclick.tracking.TrackerTables.guid;
import static dev.oneclick.tracking.TrackerTables.rawItem;
import static dev.oneclick.tracking.TrackerTables.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.ConcurrentUpdateException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.ProjectNotFoundException;
import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.resources.AwsResources;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The tracker against a real local DynamoDB (dynalite, or LocalStack where Docker runs). */
@ExtendWith(LocalAwsExtension.class)
class DeploymentTrackerWireTest {
    private static final String TABLE = TrackerTables.uniqueTable("wire");
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.123456789Z");

    private static DynamoDbClient dynamo;
    private static MutableClock clock;
    private static DeploymentTracker tracker;

    @BeforeAll
    static void createTable(DynamoDbClient client) {
        dynamo = client;
        clock = new MutableClock(T0);
        tracker = DeploymentTracker.builder().dynamoDbClient(client).tableName(TABLE).clock(clock).build();
        tracker.ensureTable();
    }

    private static AwsResources site(String guid) {
        return AwsResources.builder().s3Bucket("tmux-builder-" + guid).cloudFrontId("E1234567890")
                .cloudFrontUrl("https://d123.cloudfront.net").region("us-east-1").build();
    }

    @Test
    void save_whenNew_writesExactlyThePlanAttributeNamesAndTypes() {
        String user = user();
        String guid = guid();
        AwsResources resources = site(guid).toBuilder()
                .ecrRepositories(List.of("tmux-" + guid + "-backend", "tmux-" + guid + "-frontend"))
                .put("deployCount", 3).put("ratio", new BigDecimal("0.25")).put("cdn", true)
                .put("extra", Map.of("nested", List.of("a", 1)))
                .build();
        String expectedTime = dev.oneclick.tracking.internal.Items.timestamp(clock.instant());
        tracker.save(user, guid, "My App", resources);

        Map<String, AttributeValue> item = rawItem(dynamo, TABLE, user, guid);
        assertEquals(new TreeSet<>(Set.of("userId", "projectId", "projectName", "awsResources", "createdAt",
                "updatedAt", "version")), new TreeSet<>(item.keySet()));
        assertEquals(user, item.get("userId").s());
        assertEquals(guid, item.get("projectId").s());
        assertEquals("My App", item.get("projectName").s());
        assertEquals(AttributeValue.Type.M, item.get("awsResources").type(), "awsResources is a map, not a string");
        assertTrue(expectedTime.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), expectedTime);
        assertEquals(expectedTime, item.get("createdAt").s());
        assertEquals(expectedTime, item.get("updatedAt").s());
        assertEquals("1", item.get("version").n());

        Map<String, AttributeValue> res = item.get("awsResources").m();
        assertEquals("tmux-builder-" + guid, res.get("s3Bucket").s());
        assertEquals("E1234567890", res.get("cloudFrontId").s());
        assertEquals("https://d123.cloudfront.net", res.get("cloudFrontUrl").s());
        assertEquals("us-east-1", res.get("region").s());
        assertEquals(AttributeValue.Type.L, res.get("ecrRepositories").type());
        assertEquals("tmux-" + guid + "-backend", res.get("ecrRepositories").l().get(0).s());
        assertEquals("3", res.get("deployCount").n());
        assertEquals(0, new BigDecimal("0.25").compareTo(new BigDecimal(res.get("ratio").n())));
        assertEquals(true, res.get("cdn").bool());
        assertEquals(AttributeValue.Type.M, res.get("extra").type());
        assertEquals("1", res.get("extra").m().get("nested").l().get(1).n());
    }

    @Test
    void save_whenResourcesHaveNulls_dropsMapNullsAndKeepsListPositions() {
        String user = user();
        String guid = guid();
        Map<String, Object> nested = new HashMap<>();
        nested.put("keep", "x");
        nested.put("gone", null);
        List<Object> list = new ArrayList<>(Arrays.asList("a", null, "b"));
        tracker.save(user, guid, "n", AwsResources.builder().put("nested", nested).put("list", list).build());
        Map<String, AttributeValue> res = rawItem(dynamo, TABLE, user, guid).get("awsResources").m();
        assertEquals(Set.of("keep"), res.get("nested").m().keySet());
        assertEquals(3, res.get("list").l().size());
        assertEquals(AttributeValue.Type.NUL, res.get("list").l().get(1).type(), "stored as boto3 stores None");
        DeploymentRecord r = tracker.get(user, guid).orElseThrow();
        assertEquals(Arrays.asList("a", null, "b"), r.awsResources().get("list").orElseThrow());
        assertEquals(AwsResources.builder().put("nested", nested).put("list", list).build(), r.awsResources(),
                "the record reads back equal to what was saved");
    }

    @Test
    void save_whenSavedTwice_keepsCreatedAtAndMovesUpdatedAt() {
        String user = user();
        String guid = guid();
        DeploymentRecord first = tracker.save(user, guid, "App", site(guid));
        clock.advance(Duration.ofMinutes(5));
        DeploymentRecord second = tracker.save(user, guid, "App renamed",
                site(guid).toBuilder().siteUrl("https://d123.cloudfront.net/").build());

        assertEquals(first.createdAt(), second.createdAt());
        assertNotEquals(first.updatedAt(), second.updatedAt());
        assertTrue(second.updatedInstant().orElseThrow().isAfter(first.updatedInstant().orElseThrow()));
        assertEquals(1, first.version());
        assertEquals(2, second.version());
        assertEquals("App renamed", second.projectName());
        Map<String, AttributeValue> item = rawItem(dynamo, TABLE, user, guid);
        assertEquals(first.createdAt(), item.get("createdAt").s());
        assertEquals(second.updatedAt(), item.get("updatedAt").s());
    }

    @Test
    void save_whenGuidUppercase_storesLowercase() {
        String user = user();
        String guid = guid();
        tracker.save(user, guid.toUpperCase(), "App", site(guid));
        assertFalse(rawItem(dynamo, TABLE, user, guid).isEmpty());
        assertEquals(guid, tracker.get(user, guid.toUpperCase()).orElseThrow().projectId());
    }

    @Test
    void save_whenNameNull_storesUnnamedProjectAndLaterKeepsTheName() {
        String user = user();
        String guid = guid();
        assertEquals("Unnamed Project", tracker.save(user, guid, null, site(guid)).projectName());
        tracker.save(user, guid, "Named", site(guid));
        assertEquals("Named", tracker.save(user, guid, null, site(guid)).projectName());
    }

    @Test
    void get_whenAbsent_isEmpty() {
        assertTrue(tracker.get(user(), guid()).isEmpty());
    }

    @Test
    void get_whenSaved_readsTheRecordBack() {
        String user = user();
        String guid = guid();
        DeploymentRecord saved = tracker.save(user, guid, "App", site(guid));
        DeploymentRecord read = tracker.get(user, guid).orElseThrow();
        assertEquals(saved, read);
        assertEquals(site(guid), read.awsResources());
        assertTrue(read.status().isEmpty());
    }

    @Test
    void saveRecord_whenVersionCurrent_writesAndBumpsVersion() {
        String user = user();
        String guid = guid();
        DeploymentRecord v1 = tracker.save(user, guid, "App", site(guid));
        DeploymentRecord v2 = tracker.save(v1.toBuilder().status(DeploymentStatus.DEPLOYED).build());
        assertEquals(2, v2.version());
        assertEquals(DeploymentStatus.DEPLOYED, v2.status().orElseThrow());
        assertEquals(v1.createdAt(), v2.createdAt());
    }

    @Test
    void saveRecord_whenVersionIsStale_throwsConcurrentUpdateAndKeepsTheNewerWrite() {
        String user = user();
        String guid = guid();
        DeploymentRecord v1 = tracker.save(user, guid, "App", site(guid));
        tracker.save(v1.toBuilder().projectName("first writer").build());
        ConcurrentUpdateException e = assertThrows(ConcurrentUpdateException.class,
                () -> tracker.save(v1.toBuilder().projectName("second writer").build()));
        assertTrue(e.getMessage().contains(TABLE), e.getMessage());
        assertTrue(e.getMessage().contains("version 1 expected"), e.getMessage());
        assertEquals("first writer", tracker.get(user, guid).orElseThrow().projectName());
    }

    @Test
    void saveRecord_whenNewWithVersionZero_createsIt_andSecondCreateIsStale() {
        String user = user();
        String guid = guid();
        DeploymentRecord fresh = DeploymentRecord.builder().userId(user).projectId(guid).projectName("New")
                .awsResources(site(guid)).build();
        DeploymentRecord stored = tracker.save(fresh);
        assertEquals(1, stored.version());
        assertThrows(ConcurrentUpdateException.class, () -> tracker.save(fresh));
    }

    @Test
    void saveRecord_whenStatusAndErrorCleared_removesThem() {
        String user = user();
        String guid = guid();
        DeploymentRecord failed = tracker.updateStatus(user, guid, "App", DeploymentStatus.FAILED, "boom");
        DeploymentRecord cleared = tracker.save(failed.toBuilder().status(null).lastError(null).build());
        assertTrue(cleared.status().isEmpty());
        assertTrue(cleared.lastError().isEmpty());
        Map<String, AttributeValue> item = rawItem(dynamo, TABLE, user, guid);
        assertFalse(item.containsKey("status"));
        assertFalse(item.containsKey("lastError"));
    }

    @Test
    void updateResources_whenAbsent_throwsProjectNotFoundAndCreatesNothing() {
        String user = user();
        String guid = guid();
        ProjectNotFoundException e = assertThrows(ProjectNotFoundException.class,
                () -> tracker.updateResources(user, guid, site(guid)));
        assertTrue(e.getMessage().contains(TABLE) && e.getMessage().contains(guid), e.getMessage());
        assertTrue(rawItem(dynamo, TABLE, user, guid).isEmpty());
    }

    @Test
    void updateResources_whenPresent_replacesTheMap() {
        String user = user();
        String guid = guid();
        tracker.save(user, guid, "App", site(guid).toBuilder().put("old", "x").build());
        clock.advance(Duration.ofSeconds(1));
        DeploymentRecord r = tracker.updateResources(user, guid, AwsResources.builder().region("eu-west-1").build());
        assertEquals(Map.of("region", "eu-west-1"), r.awsResources().asMap());
        assertEquals(2, r.version());
        assertEquals("App", r.projectName());
    }

    @Test
    void recordResources_whenAbsent_createsTheRecord() {
        String user = user();
        String guid = guid();
        DeploymentRecord r = tracker.recordResources(user, guid, "App",
                AwsResources.builder().s3Bucket("tmux-builder-" + guid).build());
        assertEquals("App", r.projectName());
        assertEquals(1, r.version());
        assertEquals("tmux-builder-" + guid, r.awsResources().s3Bucket().orElseThrow());
        assertEquals(r.createdAt(), r.updatedAt());
    }

    @Test
    void recordResources_whenPresent_mergesKeysAndKeepsTheOthers() {
        String user = user();
        String guid = guid();
        tracker.save(user, guid, "App", AwsResources.builder().s3Bucket("tmux-builder-" + guid).put("keep", 1).build());
        DeploymentRecord r = tracker.recordResources(user, guid, "ignored",
                AwsResources.builder().cloudFrontId("E2ABC").put("keep2", "y").build());
        assertEquals(Map.of("s3Bucket", "tmux-builder-" + guid, "keep", 1L, "cloudFrontId", "E2ABC", "keep2", "y"),
                r.awsResources().asMap());
        assertEquals("App", r.projectName());
        assertEquals(2, r.version());
    }

    @Test
    void recordResources_whenRecordHasNoResourcesMap_createsIt() {
        String user = user();
        String guid = guid();
        dynamo.putItem(p -> p.tableName(TABLE).item(Map.of("userId", AttributeValue.fromS(user),
                "projectId", AttributeValue.fromS(guid), "projectName", AttributeValue.fromS("Bare"))));
        DeploymentRecord r = tracker.recordResources(user, guid, null, AwsResources.builder().region("us-east-1")
                .build());
        assertEquals("Bare", r.projectName());
        assertEquals(Map.of("region", "us-east-1"), r.awsResources().asMap());
    }

    @Test
    void recordResources_whenResourcesStoredAsString_throwsTrackerExceptionNamingTheType() {
        String user = user();
        String guid = guid();
        dynamo.putItem(p -> p.tableName(TABLE).item(Map.of("userId", AttributeValue.fromS(user),
                "projectId", AttributeValue.fromS(guid), "awsResources", AttributeValue.fromS("{\"a\":1}"))));
        dev.oneclick.errors.TrackerException e = assertThrows(dev.oneclick.errors.TrackerException.class,
                () -> tracker.recordResources(user, guid, null, AwsResources.builder().region("us-east-1").build()));
        assertTrue(e.getMessage().contains("of type S, not a map"), e.getMessage());
    }

    @Test
    void recordResources_whenMergedItemWouldExceed400KB_throwsInvalidInputAndKeepsTheRecord() {
        String user = user();
        String guid = guid();
        AwsResources.Builder first = AwsResources.builder();
        AwsResources.Builder second = AwsResources.builder();
        for (int i = 0; i < 40; i++) {
            first.put("first" + i, "a".repeat(8_000));
            second.put("second" + i, "b".repeat(8_000));
        }
        DeploymentRecord stored = tracker.recordResources(user, guid, "Big", first.build());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> tracker.recordResources(user, guid, "Big", second.build()));
        assertEquals("awsResources", e.field());
        assertTrue(e.getMessage().contains("400 KB"), e.getMessage());
        assertEquals(stored, tracker.get(user, guid).orElseThrow());
    }

    @Test
    void updateStatus_whenAbsent_createsRecordWithStatusAndError() {
        String user = user();
        String guid = guid();
        DeploymentRecord r = tracker.updateStatus(user, guid, "App", DeploymentStatus.FAILED, "bucket denied");
        assertEquals(DeploymentStatus.FAILED, r.status().orElseThrow());
        assertEquals("bucket denied", r.lastError().orElseThrow());
        assertEquals("App", r.projectName());
        Map<String, AttributeValue> item = rawItem(dynamo, TABLE, user, guid);
        assertEquals("FAILED", item.get("status").s());
        assertEquals(AttributeValue.Type.M, item.get("awsResources").type());
    }

    @Test
    void updateStatus_whenErrorNull_clearsLastErrorAndKeepsResources() {
        String user = user();
        String guid = guid();
        tracker.save(user, guid, "App", site(guid));
        tracker.updateStatus(user, guid, null, DeploymentStatus.FAILED, "x".repeat(20_000));
        DeploymentRecord failed = tracker.get(user, guid).orElseThrow();
        assertEquals(DeploymentTracker.MAX_ERROR_CHARS, failed.lastError().orElseThrow().length());
        DeploymentRecord ok = tracker.updateStatus(user, guid, null, DeploymentStatus.DEPLOYED, null);
        assertTrue(ok.lastError().isEmpty());
        assertEquals(site(guid), ok.awsResources());
        assertEquals("App", ok.projectName());
        assertEquals(3, ok.version());
    }

    @ParameterizedTest
    @EnumSource(DeploymentStatus.class)
    void updateStatus_whenEachStatus_storesItsNameAndReadsItBack(DeploymentStatus status) {
        String user = user();
        String guid = guid();
        tracker.save(user, guid, "App", site(guid));
        DeploymentRecord r = tracker.updateStatus(user, guid, null, status, null);
        assertEquals(status, r.status().orElseThrow());
        assertEquals(status.name(), rawItem(dynamo, TABLE, user, guid).get("status").s());
        assertEquals(status, tracker.get(user, guid).orElseThrow().status().orElseThrow());
        assertEquals(status, tracker.listByUser(user).get(0).status().orElseThrow());
    }

    @Test
    void updateStatus_whenStatusNull_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> tracker.updateStatus(user(), guid(), "App", null, null));
        assertEquals("status", e.field());
    }

    @Test
    void findByProjectId_whenSaved_findsTheOwnerThroughTheIndex() {
        String user = user();
        String guid = guid();
        tracker.save(user, guid, "App", site(guid));
        DeploymentRecord found = tracker.findByProjectId(guid.toUpperCase()).orElseThrow();
        assertEquals(user, found.userId());
        assertEquals(guid, found.projectId());
    }

    @Test
    void findByProjectId_whenTwoUsersHoldTheGuid_returnsTheFirstCreatedEvenAfterTheOtherIsUpdated() {
        String guid = guid();
        String older = "zz-" + user(); // sorts after the newer one: creation time decides, not the user id
        String newer = "aa-" + user();
        tracker.save(older, guid, "App", site(guid));
        clock.advance(Duration.ofSeconds(3));
        tracker.save(newer, guid, "App", site(guid));
        clock.advance(Duration.ofSeconds(3));
        tracker.save(newer, guid, "App v2", site(guid));

        assertEquals(older, tracker.findByProjectId(guid).orElseThrow().userId());
        assertEquals(List.of(older, newer), tracker.findAllByProjectId(guid).stream().map(DeploymentRecord::userId)
                .toList());
    }

    @Test
    void findByProjectId_whenUnknown_isEmpty() {
        assertTrue(tracker.findByProjectId(guid()).isEmpty());
    }

    @Test
    void listByUser_whenSeveralProjects_returnsOnlyThatUsersInProjectIdOrder() {
        String user = user();
        List<String> guids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String g = guid();
            guids.add(g);
            tracker.save(user, g, "App " + i, site(g));
        }
        tracker.save(user(), guid(), "someone else", AwsResources.empty());
        List<DeploymentRecord> all = tracker.listByUser(user);
        guids.sort(null);
        assertEquals(guids, all.stream().map(DeploymentRecord::projectId).toList());
    }

    @Test
    void listByUser_whenNoRecords_isEmpty() {
        assertEquals(List.of(), tracker.listByUser(user()));
        DeploymentTracker.RecordPage page = tracker.listByUser(user(), 10, null);
        assertEquals(List.of(), page.items());
        assertEquals(null, page.nextCursor());
    }

    @Test
    void listByUserPage_whenCursorMalformed_throwsInvalidInputForCursor() {
        String user = user();
        for (String bad : List.of("!!!", "bm90IGpzb24", "e30", "", "W10")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> tracker.listByUser(user, 10, bad), bad);
            assertEquals("cursor", e.field(), bad);
        }
    }

    @Test
    void listByUserPage_whenCursorOfAnotherUser_throwsInvalidInputForCursor() {
        String user = user();
        tracker.save(user, guid(), "a", AwsResources.empty());
        tracker.save(user, guid(), "b", AwsResources.empty());
        String cursor = tracker.listByUser(user, 1, null).nextCursor();
        assertTrue(cursor != null && cursor.matches("[A-Za-z0-9_-]+"), cursor);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> tracker.listByUser(user(), 1, cursor));
        assertEquals("cursor", e.field());
        assertTrue(e.getMessage().contains("another user"), e.getMessage());
    }

    @Test
    void listByUserPage_whenLimitOutOfRange_throwsInvalidInputForLimit() {
        assertEquals("limit", assertThrows(InvalidInputException.class,
                () -> tracker.listByUser(user(), 0, null)).field());
        assertEquals("limit", assertThrows(InvalidInputException.class,
                () -> tracker.listByUser(user(), 1001, null)).field());
    }

    @Test
    void tableName_whenBuilt_isTheConfiguredOne() {
        assertEquals(TABLE, tracker.tableName());
    }
}
