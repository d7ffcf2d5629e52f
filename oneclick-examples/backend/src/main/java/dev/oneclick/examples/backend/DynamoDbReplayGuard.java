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
 * then an expired entry counts as absent. The id of an event stays remembered for {@code retention} (twice the
 * signature window: a signed timestamp may be that far from the receiving clock either way).
 *
 * <p>Several instances may receive the same event at the same moment (an attacker replaying a captured event to all
 * of them at once). So {@link #isProcessed} <em>claims</em> the id with a conditional put ({@code state} =
 * {@code claimed}, {@code claimedBy} this guard, {@code claimUntil} now + {@code claim}) that succeeds only when no
 * unexpired entry exists, the claim is this guard's own (a retry after a failed store; the receiver never runs one
 * id twice at once in one instance), or another claim ran out (its instance died mid-event). Whoever wins processes
 * the event; an id already {@code done} is a duplicate; an id another instance is processing right now is thrown as
 * a {@link TrackerException}, which the receiver answers 503 with {@code Retry-After}, and the sender's retry then
 * gets the duplicate answer. {@link #markProcessed} turns the claim into {@code done}.
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
    static final String STATE = "state";
    static final String CLAIMED_BY = "claimedBy";
    static final String CLAIM_UNTIL = "claimUntil";
    private static final String CLAIMED = "claimed";
    private static final String DONE = "done";
    /** How long a claim holds off other instances: longer than storing an event takes (DynamoDB calls time out at 10 s). */
    static final Duration CLAIM = Duration.ofSeconds(15);
    private static final Duration TABLE_WAIT = Duration.ofSeconds(60);

    private final DynamoDbClient client;
    private final String table;
    private final Duration retention;
    private final String guardId = java.util.UUID.randomUUID().toString();

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

    /**
     * Claims the event for this instance when nobody processed it: false (process it), true (a duplicate), or a
     * {@link TrackerException} while another instance processes it.
     */
    @Override
    public boolean isProcessed(ProjectGuid guid, String eventId, Instant now) {
        String key = key(guid, eventId);
        String nowS = Long.toString(now.getEpochSecond());
        try {
            client.putItem(p -> p.tableName(table)
                    .item(Map.of(KEY, AttributeValue.fromS(key), STATE, AttributeValue.fromS(CLAIMED),
                            CLAIMED_BY, AttributeValue.fromS(guardId),
                            CLAIM_UNTIL, AttributeValue.fromN(Long.toString(now.plus(CLAIM).getEpochSecond())),
                            EXPIRES, AttributeValue.fromN(Long.toString(now.plus(retention).getEpochSecond()))))
                    .conditionExpression("attribute_not_exists(#k) OR #e <= :now OR (#s = :claimed AND "
                            + "(#b = :me OR #u <= :now))")
                    .expressionAttributeNames(Map.of("#k", KEY, "#e", EXPIRES, "#s", STATE, "#b", CLAIMED_BY,
                            "#u", CLAIM_UNTIL))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(nowS),
                            ":claimed", AttributeValue.fromS(CLAIMED), ":me", AttributeValue.fromS(guardId))));
            return false;
        } catch (ConditionalCheckFailedException e) {
            AttributeValue state = read(key).get(STATE);
            if (state != null && CLAIMED.equals(state.s())) {
                throw new TrackerException("Event " + eventId + " of project " + guid.value() + " is being "
                        + "processed by another instance; the retry gets the duplicate answer.", e);
            }
            return true; // done (or written by an earlier version, which wrote processed ids only)
        } catch (SdkException e) {
            throw new TrackerException("The replay table '" + table + "' cannot be written: " + e.getMessage(), e);
        }
    }

    private Map<String, AttributeValue> read(String key) {
        try {
            GetItemResponse r = client.getItem(g -> g.tableName(table).consistentRead(true)
                    .key(Map.of(KEY, AttributeValue.fromS(key))));
            return r.hasItem() ? r.item() : Map.of();
        } catch (SdkException e) {
            throw new TrackerException("The replay table '" + table + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** Turns this instance's claim into {@code done}, remembered for the retention from now. */
    @Override
    public void markProcessed(ProjectGuid guid, String eventId, Instant now) {
        long expires = now.plus(retention).getEpochSecond();
        try {
            client.putItem(p -> p.tableName(table)
                    .item(Map.of(KEY, AttributeValue.fromS(key(guid, eventId)), STATE, AttributeValue.fromS(DONE),
                            EXPIRES, AttributeValue.fromN(Long.toString(expires)))));
        } catch (SdkException e) {
            throw new TrackerException("The replay table '" + table + "' cannot be written: " + e.getMessage(), e);
        }
    }

    private static String key(ProjectGuid guid, String eventId) {
        return guid.value() + "/" + eventId;
    }
}
