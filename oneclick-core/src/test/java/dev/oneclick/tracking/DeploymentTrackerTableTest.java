package dev.oneclick.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.TableSchemaMismatchException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** ensureTable against a real local DynamoDB: creation, idempotence, and refusing tables of another schema. */
@ExtendWith(LocalAwsExtension.class)
class DeploymentTrackerTableTest {

    private static DeploymentTracker tracker(DynamoDbClient dynamo, String table) {
        return DeploymentTracker.builder().dynamoDbClient(dynamo).tableName(table).build();
    }

    private static AttributeDefinition attr(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    @Test
    void ensureTable_whenAbsent_createsKeysOnDemandBillingAndIndex(DynamoDbClient dynamo) {
        String table = TrackerTables.uniqueTable("create");
        tracker(dynamo, table).ensureTable();

        TableDescription d = dynamo.describeTable(r -> r.tableName(table)).table();
        assertEquals(TableStatus.ACTIVE, d.tableStatus());
        assertEquals(List.of(key("userId", KeyType.HASH), key("projectId", KeyType.RANGE)), d.keySchema());
        assertTrue(d.attributeDefinitions().contains(attr("userId", ScalarAttributeType.S)));
        assertTrue(d.attributeDefinitions().contains(attr("projectId", ScalarAttributeType.S)));
        assertEquals(BillingMode.PAY_PER_REQUEST, d.billingModeSummary().billingMode());
        GlobalSecondaryIndexDescription gsi = d.globalSecondaryIndexes().get(0);
        assertEquals("projectId-index", gsi.indexName());
        assertEquals(List.of(key("projectId", KeyType.HASH)), gsi.keySchema());
        assertEquals(ProjectionType.ALL, gsi.projection().projectionType());
    }

    @Test
    void ensureTable_whenAlreadyThere_isIdempotentAndKeepsData(DynamoDbClient dynamo) {
        String table = TrackerTables.uniqueTable("again");
        DeploymentTracker tracker = tracker(dynamo, table);
        tracker.ensureTable();
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        tracker.save(user, guid, "App", AwsResources.empty());
        tracker.ensureTable();
        DeploymentTracker other = tracker(dynamo, table);
        other.ensureTable();
        assertTrue(other.get(user, guid).isPresent());
    }

    @Test
    void ensureTable_whenWrongKeySchema_throwsMismatchNamingTheKeysAndWritesNothing(DynamoDbClient dynamo) {
        String table = TrackerTables.uniqueTable("wrongkeys");
        dynamo.createTable(r -> r.tableName(table)
                .attributeDefinitions(attr("id", ScalarAttributeType.S))
                .keySchema(key("id", KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));

        TableSchemaMismatchException e = assertThrows(TableSchemaMismatchException.class,
                () -> tracker(dynamo, table).ensureTable());
        String m = e.getMessage();
        assertTrue(m.contains(table), m);
        assertTrue(m.contains("partition key is 'id' (S), expected 'userId' (S)"), m);
        assertTrue(m.contains("sort key is missing, expected 'projectId' (S)"), m);
        assertTrue(m.contains("index 'projectId-index' is missing"), m);
        assertTrue(m.contains("will not use it"), m);
        assertTrue(m.contains("tableName("), "says what to do: " + m);
        assertEquals(0, TrackerTables.count(dynamo, table));
        // the table is left as it was
        assertEquals(List.of(key("id", KeyType.HASH)), dynamo.describeTable(r -> r.tableName(table)).table()
                .keySchema());
    }

    @Test
    void ensureTable_whenKeyTypeNumber_throwsMismatchNamingTheType(DynamoDbClient dynamo) {
        String table = TrackerTables.uniqueTable("numkey");
        dynamo.createTable(r -> r.tableName(table)
                .attributeDefinitions(attr("userId", ScalarAttributeType.N), attr("projectId", ScalarAttributeType.S))
                .keySchema(key("userId", KeyType.HASH), key("projectId", KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("projectId-index")
                        .keySchema(key("projectId", KeyType.HASH))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
        TableSchemaMismatchException e = assertThrows(TableSchemaMismatchException.class,
                () -> tracker(dynamo, table).ensureTable());
        assertTrue(e.getMessage().contains("partition key 'userId' has type N, expected S"), e.getMessage());
    }

    @Test
    void ensureTable_whenPlanTableWithoutIndex_throwsMismatchWithTheUpdateTableCommand(DynamoDbClient dynamo) {
        String table = TrackerTables.uniqueTable("planonly");
        // exactly the plan's create-table command
        dynamo.createTable(r -> r.tableName(table)
                .attributeDefinitions(attr("userId", ScalarAttributeType.S), attr("projectId", ScalarAttributeType.S))
                .keySchema(key("userId", KeyType.HASH), key("projectId", KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
        TableSchemaMismatchException e = assertThrows(TableSchemaMismatchException.class,
                () -> tracker(dynamo, table).ensureTable());
        String m = e.getMessage();
        assertTrue(m.contains("the global secondary index 'projectId-index' is missing"), m);
        assertTrue(m.contains("aws dynamodb update-table --table-name " + table), m);
        assertFalse(m.contains("partition key is"), m);
    }

    @Test
    void ensureTable_whenIndexProjectsKeysOnly_throwsMismatch(DynamoDbClient dynamo) {
        String table = TrackerTables.uniqueTable("keysonly");
        dynamo.createTable(r -> r.tableName(table)
                .attributeDefinitions(attr("userId", ScalarAttributeType.S), attr("projectId", ScalarAttributeType.S))
                .keySchema(key("userId", KeyType.HASH), key("projectId", KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("projectId-index")
                        .keySchema(key("projectId", KeyType.HASH))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build()));
        TableSchemaMismatchException e = assertThrows(TableSchemaMismatchException.class,
                () -> tracker(dynamo, table).ensureTable());
        assertTrue(e.getMessage().contains("projects KEYS_ONLY, expected ALL"), e.getMessage());
    }

    @Test
    void operations_whenTableMissing_throwTrackerExceptionNamingTableAndOperation(DynamoDbClient dynamo) {
        String table = TrackerTables.uniqueTable("missing");
        DeploymentTracker tracker = tracker(dynamo, table);
        String user = TrackerTables.user();
        String guid = TrackerTables.guid();
        TrackerException get = assertThrows(TrackerException.class, () -> tracker.get(user, guid));
        assertTrue(get.getMessage().contains(table) && get.getMessage().contains("GetItem"), get.getMessage());
        assertTrue(get.getMessage().contains("ensureTable()"), get.getMessage());
        TrackerException save = assertThrows(TrackerException.class,
                () -> tracker.save(user, guid, "App", AwsResources.empty()));
        assertTrue(save.getMessage().contains("UpdateItem"), save.getMessage());
        TrackerException list = assertThrows(TrackerException.class, () -> tracker.listByUser(user));
        assertTrue(list.getMessage().contains("Query"), list.getMessage());
    }
}
