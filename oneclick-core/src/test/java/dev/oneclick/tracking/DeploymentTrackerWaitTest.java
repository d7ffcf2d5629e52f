package dev.oneclick.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.TableSchemaMismatchException;
import dev.oneclick.errors.TrackerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Waiting for a table and its index to become ACTIVE. The local emulators make tables active at once, so this uses
 * an in-memory DynamoDB control plane that goes through CREATING the way DynamoDB does.
 */
class DeploymentTrackerWaitTest {

    /** DescribeTable/CreateTable of one table whose status and index status follow scripted lists. */
    private static class SlowControlPlane implements DynamoDbClient {
        private final List<TableStatus> tableStates;
        private final List<IndexStatus> indexStates;
        private final boolean exists;
        private final boolean createRace;
        final AtomicInteger describes = new AtomicInteger();
        final List<CreateTableRequest> creates = new ArrayList<>();
        private CreateTableRequest created;
        private int tableStep;
        private int indexStep;

        SlowControlPlane(boolean exists, boolean createRace, List<TableStatus> tableStates,
                List<IndexStatus> indexStates) {
            this.exists = exists;
            this.createRace = createRace;
            this.tableStates = tableStates;
            this.indexStates = indexStates;
        }

        @Override
        public synchronized CreateTableResponse createTable(CreateTableRequest request) {
            creates.add(request);
            created = request;
            if (createRace) {
                throw ResourceInUseException.builder().message("Table already exists: " + request.tableName()).build();
            }
            return CreateTableResponse.builder().tableDescription(description()).build();
        }

        @Override
        public synchronized DescribeTableResponse describeTable(DescribeTableRequest request) {
            describes.incrementAndGet();
            if (!exists && created == null) {
                throw ResourceNotFoundException.builder().message("Requested resource not found").build();
            }
            TableDescription d = description();
            tableStep = Math.min(tableStep + 1, tableStates.size() - 1);
            if (d.tableStatus() == TableStatus.ACTIVE) {
                indexStep = Math.min(indexStep + 1, indexStates.size() - 1);
            }
            return DescribeTableResponse.builder().table(d).build();
        }

        private TableDescription description() {
            return TableDescription.builder().tableName("t-wait").tableStatus(tableStates.get(tableStep))
                    .keySchema(k -> k.attributeName("userId").keyType("HASH"),
                            k -> k.attributeName("projectId").keyType("RANGE"))
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("userId").attributeType("S")
                                    .build(),
                            AttributeDefinition.builder().attributeName("projectId").attributeType("S").build())
                    .globalSecondaryIndexes(GlobalSecondaryIndexDescription.builder().indexName("projectId-index")
                            .keySchema(k -> k.attributeName("projectId").keyType("HASH"))
                            .projection(p -> p.projectionType("ALL"))
                            .indexStatus(indexStates.get(indexStep)).build())
                    .build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static DeploymentTracker tracker(DynamoDbClient client, Duration timeout) {
        return DeploymentTracker.builder().dynamoDbClient(client).tableName("t-wait")
                .pollInterval(Duration.ofMillis(5)).tableWaitTimeout(timeout).build();
    }

    @Test
    void ensureTable_whenNewTableIsCreatingForAWhile_waitsUntilTableAndIndexAreActive() {
        SlowControlPlane plane = new SlowControlPlane(false, false,
                List.of(TableStatus.CREATING, TableStatus.CREATING, TableStatus.CREATING, TableStatus.ACTIVE),
                List.of(IndexStatus.CREATING, IndexStatus.CREATING, IndexStatus.ACTIVE));
        tracker(plane, Duration.ofSeconds(10)).ensureTable();
        assertEquals(1, plane.creates.size());
        CreateTableRequest create = plane.creates.get(0);
        assertEquals("PAY_PER_REQUEST", create.billingModeAsString());
        assertEquals("projectId-index", create.globalSecondaryIndexes().get(0).indexName());
        assertEquals("ALL", create.globalSecondaryIndexes().get(0).projection().projectionTypeAsString());
        // 1 (absent) + 4 (waiter until ACTIVE) + index polls until ACTIVE
        assertTrue(plane.describes.get() >= 6, "describes: " + plane.describes.get());
    }

    @Test
    void ensureTable_whenAnotherProcessCreatesItFirst_waitsAndChecksIt() {
        SlowControlPlane plane = new SlowControlPlane(false, true,
                List.of(TableStatus.CREATING, TableStatus.ACTIVE), List.of(IndexStatus.ACTIVE));
        tracker(plane, Duration.ofSeconds(10)).ensureTable();
        assertEquals(1, plane.creates.size());
    }

    @Test
    void ensureTable_whenTableNeverBecomesActive_throwsTrackerExceptionAfterTheTimeout() {
        SlowControlPlane plane = new SlowControlPlane(false, false, List.of(TableStatus.CREATING),
                List.of(IndexStatus.CREATING));
        TrackerException e = assertThrows(TrackerException.class,
                () -> tracker(plane, Duration.ofMillis(300)).ensureTable());
        assertTrue(e.getMessage().contains("did not become ACTIVE"), e.getMessage());
        assertTrue(e.getMessage().contains("t-wait"), e.getMessage());
    }

    @Test
    void ensureTable_whenEndpointFailsWhileWaiting_reportsTheFailureNotATimeout() {
        SlowControlPlane plane = new SlowControlPlane(false, false, List.of(TableStatus.CREATING),
                List.of(IndexStatus.CREATING)) {
            @Override
            public synchronized DescribeTableResponse describeTable(DescribeTableRequest request) {
                if (describes.get() >= 2) {
                    describes.incrementAndGet();
                    throw software.amazon.awssdk.core.exception.SdkClientException.create(
                            "Unable to execute HTTP request: Connection refused");
                }
                return super.describeTable(request);
            }
        };
        TrackerException e = assertThrows(TrackerException.class,
                () -> tracker(plane, Duration.ofSeconds(30)).ensureTable());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertTrue(!e.getMessage().contains("did not become ACTIVE"), e.getMessage());
    }

    @Test
    void ensureTable_whenExistingIndexStillBackfilling_waitsForIt() {
        SlowControlPlane plane = new SlowControlPlane(true, false, List.of(TableStatus.ACTIVE),
                List.of(IndexStatus.CREATING, IndexStatus.CREATING, IndexStatus.CREATING, IndexStatus.ACTIVE));
        tracker(plane, Duration.ofSeconds(10)).ensureTable();
        assertEquals(0, plane.creates.size());
        assertTrue(plane.describes.get() >= 4, "describes: " + plane.describes.get());
    }

    @Test
    void ensureTable_whenIndexNeverBecomesActive_throwsTrackerException() {
        SlowControlPlane plane = new SlowControlPlane(true, false, List.of(TableStatus.ACTIVE),
                List.of(IndexStatus.CREATING));
        TrackerException e = assertThrows(TrackerException.class,
                () -> tracker(plane, Duration.ofMillis(200)).ensureTable());
        assertTrue(e.getMessage().contains("index 'projectId-index'"), e.getMessage());
    }

    @Test
    void ensureTable_whenIndexBeingDeleted_throwsMismatch() {
        SlowControlPlane plane = new SlowControlPlane(true, false, List.of(TableStatus.ACTIVE),
                List.of(IndexStatus.DELETING));
        assertThrows(TableSchemaMismatchException.class, () -> tracker(plane, Duration.ofSeconds(1)).ensureTable());
    }

    @Test
    void ensureTable_whenTableBeingDeleted_throwsTrackerException() {
        SlowControlPlane plane = new SlowControlPlane(true, false, List.of(TableStatus.DELETING),
                List.of(IndexStatus.ACTIVE));
        TrackerException e = assertThrows(TrackerException.class,
                () -> tracker(plane, Duration.ofSeconds(1)).ensureTable());
        assertTrue(e.getMessage().contains("is being deleted"), e.getMessage());
    }
}
