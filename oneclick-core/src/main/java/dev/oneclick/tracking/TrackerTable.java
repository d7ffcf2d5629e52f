package dev.oneclick.tracking;

import dev.oneclick.errors.TableSchemaMismatchException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.tracking.internal.Items;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The deployments table's lifecycle for {@link DeploymentTracker#ensureTable()}: created when absent (keys, on-demand
 * billing, the {@code projectId-index}), waited for until ACTIVE, and checked when it exists (a table with another
 * schema is reported, never used).
 */
final class TrackerTable {
    private final DynamoDbClient client;
    private final String table;
    private final Duration tableWaitTimeout;
    private final Duration pollInterval;

    TrackerTable(DynamoDbClient client, String table, Duration tableWaitTimeout, Duration pollInterval) {
        this.client = client;
        this.table = table;
        this.tableWaitTimeout = tableWaitTimeout;
        this.pollInterval = pollInterval;
    }

    /**
     * Creates the table (keys, on-demand billing, {@code projectId-index} with projection ALL) when it is absent
     * and waits until it is ACTIVE. When it exists, checks its key schema and index and waits for them to be
     * active.
     *
     * @throws TableSchemaMismatchException if the existing table has other keys or lacks the index; it is never used
     * @throws TrackerException if DynamoDB fails or the table does not become active within the wait timeout
     */
    void ensure() {
        TableDescription description = describe();
        if (description == null) {
            create();
            description = waitUntilActive();
        } else if (description.tableStatus() == TableStatus.DELETING) {
            throw new TrackerException("DynamoDB table '" + table + "' is being deleted; wait until it is gone and "
                    + "call ensureTable() again, or use another table name.");
        } else if (description.tableStatus() != TableStatus.ACTIVE) {
            description = waitUntilActive();
        }
        checkSchema(description);
        waitForIndex(description);
    }

    private TableDescription describe() {
        try {
            return client.describeTable(r -> r.tableName(table)).table();
        } catch (ResourceNotFoundException e) {
            return null;
        } catch (SdkException e) {
            throw TrackerErrors.failure(table, "DescribeTable", e);
        }
    }

    private void create() {
        try {
            client.createTable(r -> r.tableName(table)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(Items.USER_ID)
                                    .attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(Items.PROJECT_ID)
                                    .attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(Items.USER_ID).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(Items.PROJECT_ID).keyType(KeyType.RANGE).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(DeploymentTracker.PROJECT_INDEX)
                            .keySchema(KeySchemaElement.builder().attributeName(Items.PROJECT_ID)
                                    .keyType(KeyType.HASH).build())
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build()));
        } catch (ResourceInUseException e) {
            // created meanwhile by another process: wait for it and check its schema like any existing table
        } catch (SdkException e) {
            throw TrackerErrors.failure(table, "CreateTable", e);
        }
    }

    private TableDescription waitUntilActive() {
        WaiterOverrideConfiguration config = WaiterOverrideConfiguration.builder()
                .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(pollInterval))
                .waitTimeout(tableWaitTimeout)
                .maxAttempts(Integer.MAX_VALUE)
                .build();
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(client).overrideConfiguration(config).build()) {
            var outcome = waiter.waitUntilTableExists(r -> r.tableName(table));
            TableDescription d = outcome.matched().response().map(r -> r.table()).orElseGet(this::describe);
            if (d == null) {
                throw new TrackerException("DynamoDB table '" + table + "' disappeared while waiting for it to "
                        + "become ACTIVE (operation DescribeTable).");
            }
            return d;
        } catch (SdkClientException e) {
            if (e.getCause() instanceof SdkException cause) {
                // the waiter stopped on a failed call (connection refused, ...), not on its time limit
                throw TrackerErrors.failure(table, "DescribeTable (waiting until ACTIVE)", cause);
            }
            throw new TrackerException("DynamoDB table '" + table + "' did not become ACTIVE within "
                    + tableWaitTimeout.toSeconds() + " s (operation DescribeTable): " + e.getMessage(), e);
        } catch (SdkException e) {
            throw TrackerErrors.failure(table, "DescribeTable (waiting until ACTIVE)", e);
        }
    }

    private void waitForIndex(TableDescription description) {
        long deadline = System.nanoTime() + tableWaitTimeout.toNanos();
        TableDescription current = description;
        while (true) {
            GlobalSecondaryIndexDescription index = findIndex(current);
            IndexStatus status = index == null ? null : index.indexStatus();
            if (status == null || status == IndexStatus.ACTIVE) {
                return;
            }
            if (status == IndexStatus.DELETING) {
                throw new TableSchemaMismatchException("The index '" + DeploymentTracker.PROJECT_INDEX + "' of DynamoDB table '" + table
                        + "' is being deleted; oneclick needs it to find a project by its GUID. " + addIndexHint());
            }
            if (System.nanoTime() > deadline) {
                throw new TrackerException("The index '" + DeploymentTracker.PROJECT_INDEX + "' of DynamoDB table '" + table
                        + "' did not become ACTIVE within " + tableWaitTimeout.toSeconds() + " s (operation "
                        + "DescribeTable); it is " + status + ".");
            }
            sleep();
            current = describe();
            if (current == null) {
                throw new TrackerException("DynamoDB table '" + table + "' disappeared while waiting for its index "
                        + "(operation DescribeTable).");
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackerException("Interrupted while waiting for DynamoDB table '" + table + "'.", e);
        }
    }

    private static GlobalSecondaryIndexDescription findIndex(TableDescription d) {
        if (!d.hasGlobalSecondaryIndexes()) {
            return null;
        }
        return d.globalSecondaryIndexes().stream().filter(i -> DeploymentTracker.PROJECT_INDEX.equals(i.indexName())).findFirst()
                .orElse(null);
    }

    private void checkSchema(TableDescription d) {
        List<String> problems = new ArrayList<>();
        Map<String, ScalarAttributeType> types = new LinkedHashMap<>();
        if (d.hasAttributeDefinitions()) {
            d.attributeDefinitions().forEach(a -> types.put(a.attributeName(), a.attributeType()));
        }
        String hash = keyOf(d.keySchema(), KeyType.HASH);
        String range = keyOf(d.keySchema(), KeyType.RANGE);
        checkKey(problems, "partition key", hash, Items.USER_ID, types);
        checkKey(problems, "sort key", range, Items.PROJECT_ID, types);
        GlobalSecondaryIndexDescription index = findIndex(d);
        boolean indexOnly = problems.isEmpty();
        if (index == null) {
            problems.add("the global secondary index '" + DeploymentTracker.PROJECT_INDEX + "' is missing");
        } else {
            String indexHash = keyOf(index.keySchema(), KeyType.HASH);
            String indexRange = keyOf(index.keySchema(), KeyType.RANGE);
            if (!Items.PROJECT_ID.equals(indexHash)) {
                problems.add("index '" + DeploymentTracker.PROJECT_INDEX + "' has partition key " + quote(indexHash) + ", expected '"
                        + Items.PROJECT_ID + "'");
                indexOnly = false;
            }
            if (indexRange != null) {
                problems.add("index '" + DeploymentTracker.PROJECT_INDEX + "' has sort key '" + indexRange + "', expected none");
                indexOnly = false;
            }
            ProjectionType projection = index.projection() == null ? null : index.projection().projectionType();
            if (projection != ProjectionType.ALL) {
                problems.add("index '" + DeploymentTracker.PROJECT_INDEX + "' projects " + projection + ", expected ALL");
                indexOnly = false;
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder("DynamoDB table '").append(table)
                .append("' does not have the schema oneclick needs: ").append(String.join("; ", problems))
                .append(". oneclick will not use it. Expected: partition key 'userId' (S), sort key 'projectId' (S),"
                        + " global secondary index 'projectId-index' on 'projectId' (S) with projection ALL. ");
        if (indexOnly) {
            msg.append(addIndexHint());
        } else {
            msg.append("Configure another table name (DeploymentTracker.builder().tableName(...)) and let "
                    + "ensureTable() create it, or delete and recreate this table with that schema.");
        }
        throw new TableSchemaMismatchException(msg.toString());
    }

    private String addIndexHint() {
        return "Add the index with: aws dynamodb update-table --table-name " + table
                + " --attribute-definitions AttributeName=projectId,AttributeType=S --global-secondary-index-updates"
                + " '[{\"Create\":{\"IndexName\":\"" + DeploymentTracker.PROJECT_INDEX + "\",\"KeySchema\":[{\"AttributeName\":"
                + "\"projectId\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}}]'"
                + " (add a ProvisionedThroughput if the table is not on-demand), or configure another table name.";
    }

    private static void checkKey(List<String> problems, String what, String actual, String expected,
            Map<String, ScalarAttributeType> types) {
        if (actual == null) {
            problems.add(what + " is missing, expected '" + expected + "' (S)");
        } else if (!expected.equals(actual)) {
            problems.add(what + " is '" + actual + "' (" + types.get(actual) + "), expected '" + expected + "' (S)");
        } else if (types.get(actual) != ScalarAttributeType.S) {
            problems.add(what + " '" + actual + "' has type " + types.get(actual) + ", expected S");
        }
    }

    private static String keyOf(List<KeySchemaElement> schema, KeyType type) {
        if (schema == null) {
            return null;
        }
        return schema.stream().filter(k -> k.keyType() == type).map(KeySchemaElement::attributeName).findFirst()
                .orElse(null);
    }

    private static String quote(String s) {
        return s == null ? "none" : "'" + s + "'";
    }
}
