package dev.oneclick.examples.backend;

import dev.oneclick.errors.TrackerException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyReceiver;
import dev.oneclick.notify.ReplayGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Processed notify event ids in a DynamoDB table of their own, so a replay is refused after a restart and by every
 * instance that shares the table. The table (default {@value #DEFAULT_TABLE}) has the partition key
 * {@code eventKey} (S), {@code <guid>/<event id>}, and the number attribute {@code expiresAt} (unix seconds), which
 * is the table's TTL attribute: DynamoDB deletes an entry some time after it expired (up to days later), and until
 * then an expired entry counts as absent. An entry is written with a conditional put that succeeds only when no
 * unexpired entry exists, so the id of an event stays remembered for {@code retention} (twice the signature window:
 * a signed timestamp may be that far from the receiving clock either way) and is never shortened by a later put.
 *
 * <p>A separate table, not the deployments table: its items would otherwise show up in the plan's Python client's
 * scans and in the {@code projectId-index}. Thread-safe. DynamoDB failures are thrown as {@link TrackerException};
 * the receiver then answers 503 and the sender retries.
 */
public final class DynamoDbReplayGuard implements ReplayGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbReplayGuard.class);
    public static final String DEFAULT_TABLE = "tmux-deployments-replay";
    static final String KEY = "eventKey";
    static final String EXPIRES = "expiresAt";
    private static final Duration TABLE_WAIT = Duration.ofSeconds(60);

    private final DynamoDbClient client;
    private final String table;
    private final Duration retention;

    /**
     * @param retention how long an id is remembered; at least twice the receiver's signature window
     */
    public DynamoDbReplayGuard(DynamoDbClient client, String table, Duration retention) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** A guard over {@code table} remembering ids for twice the receiver's default window (10 minutes). */
    public DynamoDbReplayGuard(DynamoDbClient client, String table) {
        this(client, table, NotifyReceiver.DEFAULT_WINDOW.multipliedBy(2));
    }

    public String tableName() {
        return table;
    }

    /** Creates the table when absent (on-demand billing), waits until it is active and turns TTL on. */
    public DynamoDbReplayGuard ensureTable() {
        try {
            try {
                client.describeTable(d -> d.tableName(table));
            } catch (ResourceNotFoundException e) {
                try {
                    client.createTable(c -> c.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(a -> a.attributeName(KEY).attributeType(ScalarAttributeType.S))
                            .keySchema(k -> k.attributeName(KEY).keyType(KeyType.HASH)));
                } catch (ResourceInUseException raced) {
                    // another instance created it meanwhile
                }
            }
            waitUntilActive();
            try {
                client.updateTimeToLive(u -> u.tableName(table)
                        .timeToLiveSpecification(t -> t.attributeName(EXPIRES).enabled(true)));
            } catch (SdkException e) {
                // already on, or a local DynamoDB without TTL: expired entries still count as absent
                LOG.info("TTL on {}.{} not changed: {}", table, EXPIRES, e.getMessage());
            }
        } catch (SdkException e) {
            throw new TrackerException("Could not create or check the replay table '" + table + "': "
                    + e.getMessage(), e);
        }
        return this;
    }

    private void waitUntilActive() {
        long deadline = System.nanoTime() + TABLE_WAIT.toNanos();
        while (client.describeTable(d -> d.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new TrackerException("The replay table '" + table + "' did not become active within "
                        + TABLE_WAIT.toSeconds() + " s.");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackerException("Interrupted while waiting for the replay table '" + table + "'.", e);
            }
        }
    }

    @Override
    public boolean isProcessed(ProjectGuid guid, String eventId, Instant now) {
        try {
            GetItemResponse r = client.getItem(g -> g.tableName(table).consistentRead(true)
                    .key(Map.of(KEY, AttributeValue.fromS(key(guid, eventId)))));
            if (!r.hasItem() || r.item().isEmpty() || r.item().get(EXPIRES) == null) {
                return false;
            }
            return Long.parseLong(r.item().get(EXPIRES).n()) > now.getEpochSecond();
        } catch (SdkException e) {
            throw new TrackerException("The replay table '" + table + "' cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void markProcessed(ProjectGuid guid, String eventId, Instant now) {
        long expires = now.plus(retention).getEpochSecond();
        try {
            client.putItem(p -> p.tableName(table)
                    .item(Map.of(KEY, AttributeValue.fromS(key(guid, eventId)),
                            EXPIRES, AttributeValue.fromN(Long.toString(expires))))
                    .conditionExpression("attribute_not_exists(#k) OR #e <= :now")
                    .expressionAttributeNames(Map.of("#k", KEY, "#e", EXPIRES))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))));
        } catch (ConditionalCheckFailedException e) {
            // another instance processed the same event at the same moment: it stays remembered either way
        } catch (SdkException e) {
            throw new TrackerException("The replay table '" + table + "' cannot be written: " + e.getMessage(), e);
        }
    }

    private static String key(ProjectGuid guid, String eventId) {
        return guid.value() + "/" + eventId;
    }
}
