package dev.oneclick.tracking;

import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** Helpers for the wire tests: unique table names, raw reads. */
final class TrackerTables {
    private TrackerTables() {
    }

    /** A table name no other test uses. */
    static String uniqueTable(String what) {
        return "oneclick-test-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String guid() {
        return UUID.randomUUID().toString();
    }

    static String user() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The number of items in the table, by a full scan over every page. */
    static int count(DynamoDbClient dynamo, String table) {
        int n = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var r = dynamo.scan(s -> s.tableName(table).select(Select.COUNT).exclusiveStartKey(from));
            n += r.count();
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return n;
    }

    /** The item as stored, read raw with GetItem. */
    static Map<String, AttributeValue> rawItem(DynamoDbClient dynamo, String table, String user, String guid) {
        return dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of("userId", AttributeValue.fromS(user), "projectId", AttributeValue.fromS(guid)))).item();
    }
}
