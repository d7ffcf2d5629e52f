package dev.oneclick.local.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.oneclick.local.Backend;
import dev.oneclick.local.LocalAws;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(LocalAwsExtension.class)
class LocalAwsExtensionTest {

    static LocalAws seenByConstructor;

    private final LocalAws aws;

    LocalAwsExtensionTest(LocalAws aws) {
        this.aws = aws;
        if (seenByConstructor == null) {
            seenByConstructor = aws;
        }
    }

    @Test
    void resolveParameter_whenClientTypes_givesTheSharedLocalAwsClients(LocalAws local, DynamoDbClient dynamoDb,
            S3Client s3, S3AsyncClient s3Async) {
        assertSame(aws, local);
        assertSame(seenByConstructor, local, "one LocalAws per test run");
        assertSame(local.dynamoDbClient(), dynamoDb);
        assertSame(local.s3Client(), s3);
        assertSame(local.s3AsyncClient(), s3Async);
        assertEquals(Backend.EMULATORS, local.backend(), "no Docker engine runs here, so auto picks the emulators");

        s3.createBucket(b -> b.bucket("extension-bucket"));
        s3Async.putObject(b -> b.bucket("extension-bucket").key("k"), AsyncRequestBody.fromString("v")).join();
        s3.putObject(b -> b.bucket("extension-bucket").key("k2"), RequestBody.fromString("v2"));
        assertEquals(2, s3.listObjectsV2(b -> b.bucket("extension-bucket")).keyCount());
    }

    @Test
    void query_whenTableHasGsi_findsItemByProjectId(DynamoDbClient dynamoDb) {
        String table = "tmux-deployments-extension";
        dynamoDb.createTable(b -> b.tableName(table)
                .keySchema(k -> k.attributeName("userId").keyType("HASH"),
                        k -> k.attributeName("projectId").keyType("RANGE"))
                .attributeDefinitions(a -> a.attributeName("userId").attributeType("S"),
                        a -> a.attributeName("projectId").attributeType("S"))
                .billingMode("PAY_PER_REQUEST")
                .globalSecondaryIndexes(g -> g.indexName("projectId-index")
                        .keySchema(k -> k.attributeName("projectId").keyType("HASH"))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        for (String[] row : List.of(new String[] {"alice", "p-1"}, new String[] {"alice", "p-2"},
                new String[] {"bob", "p-3"})) {
            dynamoDb.putItem(b -> b.tableName(table).item(Map.of(
                    "userId", AttributeValue.fromS(row[0]),
                    "projectId", AttributeValue.fromS(row[1]),
                    "awsResources", AttributeValue.fromM(Map.of("s3Bucket", AttributeValue.fromS("tmux-builder-"
                            + row[1]))))));
        }

        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(Map.of(
                "userId", AttributeValue.fromS("alice"), "projectId", AttributeValue.fromS("p-2")))).item();
        QueryResponse byUser = dynamoDb.query(b -> b.tableName(table).keyConditionExpression("userId = :u")
                .expressionAttributeValues(Map.of(":u", AttributeValue.fromS("alice"))));
        QueryResponse byProject = dynamoDb.query(b -> b.tableName(table).indexName("projectId-index")
                .keyConditionExpression("projectId = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p-3"))));

        assertEquals("tmux-builder-p-2", item.get("awsResources").m().get("s3Bucket").s());
        assertEquals(2, byUser.count());
        assertEquals(1, byProject.count());
        assertEquals("bob", byProject.items().get(0).get("userId").s());
    }

    @Test
    void updateItem_whenVersionIsStale_failsConditionAndKeepsCreatedAt(DynamoDbClient dynamoDb) {
        String table = "versioned-extension";
        dynamoDb.createTable(b -> b.tableName(table)
                .keySchema(k -> k.attributeName("userId").keyType("HASH"),
                        k -> k.attributeName("projectId").keyType("RANGE"))
                .attributeDefinitions(a -> a.attributeName("userId").attributeType("S"),
                        a -> a.attributeName("projectId").attributeType("S"))
                .billingMode("PAY_PER_REQUEST"));
        Map<String, AttributeValue> key = Map.of("userId", AttributeValue.fromS("alice"),
                "projectId", AttributeValue.fromS("p-1"));
        java.util.function.BiConsumer<String, Long> save = (now, expectedVersion) -> dynamoDb.updateItem(b -> b
                .tableName(table).key(key)
                .updateExpression("SET createdAt = if_not_exists(createdAt, :now), updatedAt = :now ADD version :one")
                .conditionExpression("attribute_not_exists(version) OR version = :expected")
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now),
                        ":one", AttributeValue.fromN("1"),
                        ":expected", AttributeValue.fromN(Long.toString(expectedVersion)))));

        save.accept("2026-01-01T00:00:00Z", 0L);
        save.accept("2026-01-02T00:00:00Z", 1L);
        org.junit.jupiter.api.Assertions.assertThrows(
                software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.class,
                () -> save.accept("2026-01-03T00:00:00Z", 1L));

        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true))
                .item();
        assertEquals("2026-01-01T00:00:00Z", item.get("createdAt").s());
        assertEquals("2026-01-02T00:00:00Z", item.get("updatedAt").s());
        assertEquals("2", item.get("version").n());
    }
}
