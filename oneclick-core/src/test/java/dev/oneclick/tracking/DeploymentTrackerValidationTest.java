package dev.oneclick.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.resources.AwsResources;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Bad input is refused before anything is written: after every test here the table is still empty. */
@ExtendWith(LocalAwsExtension.class)
class DeploymentTrackerValidationTest {
    private static final String TABLE = TrackerTables.uniqueTable("validation");
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";
    private static DynamoDbClient dynamo;
    private static DeploymentTracker tracker;

    @BeforeAll
    static void createTable(DynamoDbClient client) {
        dynamo = client;
        tracker = DeploymentTracker.builder().dynamoDbClient(client).tableName(TABLE).build();
        tracker.ensureTable();
    }

    @AfterEach
    void tableStaysEmpty() {
        assertEquals(0, TrackerTables.count(dynamo, TABLE), "nothing may be written for bad input");
    }

    /** Every write operation, with the given user, GUID and resources. */
    private static List<Consumer<Void>> writes(String user, String guid, AwsResources res) {
        List<Consumer<Void>> all = new ArrayList<>();
        all.add(v -> tracker.save(user, guid, "App", res));
        all.add(v -> tracker.save(DeploymentRecord.builder().userId(user == null ? "" : user)
                .projectId(guid == null ? "" : guid).awsResources(res).build()));
        all.add(v -> tracker.recordResources(user, guid, "App", res));
        all.add(v -> tracker.updateResources(user, guid, res));
        all.add(v -> tracker.updateStatus(user, guid, "App", DeploymentStatus.DEPLOYING, null));
        return all;
    }

    /** The write operations that take resources. */
    private static List<Consumer<Void>> resourceWrites(String user, String guid, AwsResources res) {
        List<Consumer<Void>> all = writes(user, guid, res);
        all.remove(all.size() - 1);
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "user one", "x'; DROP TABLE t; --", "$(id)", "a\nb"})
    void writes_whenUserIdBlankOrBad_throwInvalidInputForUserIdBeforeWriting(String user) {
        for (Consumer<Void> write : writes(user, GUID, AwsResources.empty())) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> write.accept(null));
            assertEquals("userId", e.field(), e.getMessage());
        }
    }

    @Test
    void writes_whenUserIdNull_throwInvalidInputForUserId() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> tracker.save(null, GUID, "App", AwsResources.empty()));
        assertEquals("userId", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-guid", "../3f2b8c1e-9d4a-4e6b-8a7c-1234567890", "３f2b8c1e-9d4a-4e6b-8a7c-1234567890ab",
        "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab\n", "3f2b8c1e'; DROP TABLE x;--"})
    void writes_whenProjectIdNotAGuid_throwInvalidGuidBeforeWriting(String guid) {
        for (Consumer<Void> write : writes("user-1", guid, AwsResources.empty())) {
            InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> write.accept(null));
            assertEquals("guid", e.field());
        }
    }

    @Test
    void writes_whenResourcesOver350KB_throwInvalidInputForAwsResourcesBeforeWriting() {
        AwsResources.Builder b = AwsResources.builder();
        for (int i = 0; i < 50; i++) {
            b.put("blob" + i, "x".repeat(7_500)); // 50 x 7.5 KB: within the schema's bounds, over 350 KB in all
        }
        AwsResources big = b.build();
        assertTrue(big.toJson().length() > DeploymentTracker.MAX_RESOURCES_BYTES);
        for (Consumer<Void> write : resourceWrites("user-1", GUID, big)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> write.accept(null));
            assertEquals("awsResources", e.field());
            assertTrue(e.getMessage().contains("358400 (350 KB)"), e.getMessage());
        }
    }

    @Test
    void writes_whenResourcesBreakTheSchema_throwInvalidInputNamingThePath() {
        AwsResources bad = AwsResources.builder().s3Bucket("Not_A_Bucket").build();
        for (Consumer<Void> write : resourceWrites("user-1", GUID, bad)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> write.accept(null));
            assertEquals("awsResources", e.field());
            assertTrue(e.getMessage().contains("$.s3Bucket"), e.getMessage());
        }
    }

    @Test
    void writes_whenNumberTooPreciseForDynamoDb_throwInvalidInputBeforeWriting() {
        AwsResources bad = AwsResources.builder().put("n", new java.math.BigDecimal("1." + "1".repeat(40))).build();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> tracker.save("user-1", GUID, "App", bad));
        assertEquals("awsResources", e.field());
        assertTrue(e.getMessage().contains("$.n"), e.getMessage());
    }

    @Test
    void writes_whenProjectNameTooLongOrMultiLine_throwInvalidInputForProjectName() {
        assertEquals("projectName", assertThrows(InvalidInputException.class,
                () -> tracker.save("user-1", GUID, "n".repeat(257), AwsResources.empty())).field());
        assertEquals("projectName", assertThrows(InvalidInputException.class,
                () -> tracker.recordResources("user-1", GUID, "line\nbreak", AwsResources.empty())).field());
    }

    @Test
    void saveRecord_whenNegativeVersion_throwsInvalidInput() {
        DeploymentRecord r = DeploymentRecord.builder().userId("user-1").projectId(GUID).version(-1).build();
        assertEquals("version", assertThrows(InvalidInputException.class, () -> tracker.save(r)).field());
    }
}
