package dev.oneclick.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.TrackerException;
import dev.oneclick.resources.AwsResources;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * STAND-IN shadowing the core skeleton until wip/tracker lands on main: delete then. Just enough for the backend.
 */
public final class DeploymentTracker {
    public static final String DEFAULT_TABLE = "tmux-deployments";
    public static final String PROJECT_INDEX = "projectId-index";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DynamoDbClient db;
    private final String table;

    private DeploymentTracker(Builder b) {
        this.db = b.client;
        this.table = b.table == null ? DEFAULT_TABLE : b.table;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String tableName() {
        return table;
    }

    public void ensureTable() {
        try {
            db.describeTable(r -> r.tableName(table));
            return;
        } catch (ResourceNotFoundException e) {
            // create below
        }
        db.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("userId").attributeType("S").build(),
                        AttributeDefinition.builder().attributeName("projectId").attributeType("S").build())
                .keySchema(KeySchemaElement.builder().attributeName("userId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("projectId").keyType(KeyType.RANGE).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(PROJECT_INDEX)
                        .keySchema(KeySchemaElement.builder().attributeName("projectId").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
        for (int i = 0; i < 600; i++) {
            if (db.describeTable(r -> r.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackerException("interrupted", e);
            }
        }
    }

    public DeploymentRecord save(String userId, String projectId, String projectName, AwsResources resources) {
        String now = Instant.now().toString();
        try {
            Map<String, AttributeValue> v = new LinkedHashMap<>();
            v.put(":n", AttributeValue.fromS(projectName));
            v.put(":r", AttributeValue.fromM(toMap(resources.asMap())));
            v.put(":t", AttributeValue.fromS(now));
            v.put(":one", AttributeValue.fromN("1"));
            UpdateItemResponse r = db.updateItem(b -> b.tableName(table)
                    .key(Map.of("userId", AttributeValue.fromS(userId), "projectId", AttributeValue.fromS(projectId)))
                    .updateExpression("SET projectName = :n, awsResources = :r, updatedAt = :t, "
                            + "createdAt = if_not_exists(createdAt, :t) ADD version :one")
                    .expressionAttributeValues(v).returnValues(ReturnValue.ALL_NEW));
            return fromItem(r.attributes());
        } catch (SdkException e) {
            throw new TrackerException("save failed: " + e.getMessage(), e);
        }
    }

    public Optional<DeploymentRecord> get(String userId, String projectId) {
        try {
            GetItemResponse r = db.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("userId", AttributeValue.fromS(userId), "projectId", AttributeValue.fromS(projectId))));
            return r.hasItem() && !r.item().isEmpty() ? Optional.of(fromItem(r.item())) : Optional.empty();
        } catch (SdkException e) {
            throw new TrackerException("get failed: " + e.getMessage(), e);
        }
    }

    public RecordPage listByUser(String userId, int limit, String cursor) {
        try {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).limit(limit)
                    .keyConditionExpression("userId = :u")
                    .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)));
            if (cursor != null) {
                String pid = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                q.exclusiveStartKey(Map.of("userId", AttributeValue.fromS(userId), "projectId", AttributeValue.fromS(pid)));
            }
            QueryResponse r = db.query(q.build());
            List<DeploymentRecord> items = new ArrayList<>();
            r.items().forEach(i -> items.add(fromItem(i)));
            String next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                    ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                            r.lastEvaluatedKey().get("projectId").s().getBytes(StandardCharsets.UTF_8))
                    : null;
            return new RecordPage(items, next);
        } catch (SdkException e) {
            throw new TrackerException("query failed: " + e.getMessage(), e);
        }
    }

    public Optional<DeploymentRecord> findByProjectId(String projectId) {
        try {
            QueryResponse r = db.query(b -> b.tableName(table).indexName(PROJECT_INDEX)
                    .keyConditionExpression("projectId = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(projectId))));
            return r.items().isEmpty() ? Optional.empty() : Optional.of(fromItem(r.items().get(0)));
        } catch (SdkException e) {
            throw new TrackerException("query failed: " + e.getMessage(), e);
        }
    }

    private static DeploymentRecord fromItem(Map<String, AttributeValue> i) {
        DeploymentRecord.Builder b = DeploymentRecord.builder().userId(i.get("userId").s())
                .projectId(i.get("projectId").s());
        if (i.containsKey("projectName")) {
            b.projectName(i.get("projectName").s());
        }
        if (i.containsKey("awsResources")) {
            b.awsResources(AwsResources.fromMap(fromMap(i.get("awsResources").m())));
        }
        if (i.containsKey("createdAt")) {
            b.createdAt(i.get("createdAt").s());
        }
        if (i.containsKey("updatedAt")) {
            b.updatedAt(i.get("updatedAt").s());
        }
        if (i.containsKey("status")) {
            b.status(DeploymentStatus.valueOf(i.get("status").s()));
        }
        if (i.containsKey("version")) {
            b.version(Long.parseLong(i.get("version").n()));
        }
        return b.build();
    }

    private static Map<String, AttributeValue> toMap(Map<String, Object> m) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, toAttr(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static AttributeValue toAttr(Object v) {
        if (v instanceof String s) {
            return AttributeValue.fromS(s);
        }
        if (v instanceof Number n) {
            return AttributeValue.fromN(n.toString());
        }
        if (v instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        if (v instanceof Map<?, ?> m) {
            return AttributeValue.fromM(toMap((Map<String, Object>) m));
        }
        if (v instanceof List<?> l) {
            List<AttributeValue> out = new ArrayList<>();
            l.forEach(o -> out.add(o == null ? AttributeValue.fromNul(true) : toAttr(o)));
            return AttributeValue.fromL(out);
        }
        return AttributeValue.fromNul(true);
    }

    private static Map<String, Object> fromMap(Map<String, AttributeValue> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, fromAttr(v)));
        return out;
    }

    private static Object fromAttr(AttributeValue v) {
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            return new java.math.BigDecimal(v.n());
        }
        if (v.bool() != null) {
            return v.bool();
        }
        if (v.hasM()) {
            return fromMap(v.m());
        }
        if (v.hasL()) {
            List<Object> out = new ArrayList<>();
            v.l().forEach(x -> out.add(fromAttr(x)));
            return out;
        }
        return null;
    }

    /** A page of records and the cursor of the next page (null when this is the last). */
    public record RecordPage(List<DeploymentRecord> items, String nextCursor) {
    }

    public static final class Builder {
        private DynamoDbClient client;
        private String table;

        public Builder dynamoDbClient(DynamoDbClient c) {
            client = c;
            return this;
        }

        public Builder tableName(String t) {
            table = t;
            return this;
        }

        public DeploymentTracker build() {
            return new DeploymentTracker(this);
        }
    }
}
