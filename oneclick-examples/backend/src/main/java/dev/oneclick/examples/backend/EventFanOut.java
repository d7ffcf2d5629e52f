package dev.oneclick.examples.backend;

import dev.oneclick.errors.TrackerException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyEvent;
import dev.oneclick.notify.NotifySubscribers;
import dev.oneclick.notify.ProjectOwner;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * WebSocket fan-out across backend instances over a DynamoDB table of recent events (DynamoDB Streams would fit, but
 * carries only what is stored, never {@code status} messages, and local DynamoDB emulators do not serve it). Each
 * accepted event goes at once to this instance's sessions and is written to the table; every instance queries the
 * table every {@code interval} and delivers the events other instances wrote to its own sessions of the project's
 * owner (the owner the receiver resolved is in the item).
 *
 * <p>The table has the partition key {@value #PARTITION} (S, always {@value #STREAM}) and the sort key {@value #SEQ}
 * (S): {@code <13-digit epoch millis>#<instance id>#<counter>}, so a query of one key range returns the events in
 * time order. A poll reads every event of the last {@code lookback} (default 3 s), not only the ones after the last
 * poll: an event whose put finished late, or whose writer's clock is a little behind, is still seen; ids already
 * delivered are remembered, so each event reaches each session once. The items carry {@value #EXPIRES} (unix
 * seconds, the table's TTL attribute) a minute ahead; nothing reads them later. A new instance first reads what is
 * there without delivering it, so it never replays older events. One partition key keeps the query simple and
 * bounds the rate to what one DynamoDB partition takes (about 1,000 writes a second); past that, or for sub-100 ms
 * delivery, a broker (Redis or Valkey pub/sub, NATS, SNS with an SQS queue per instance) is the better fit.
 * Thread-safe.
 */
final class EventFanOut implements NotifySubscribers, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanOut.class);
    static final String DEFAULT_TABLE = "tmux-deployments-events";
    static final String PARTITION = "stream";
    static final String STREAM = "events";
    static final String SEQ = "seq";
    static final String EXPIRES = "expiresAt";
    private static final String GUID = "guid";
    private static final String USER = "userId";
    private static final String TEXT = "message";
    private static final String ORIGIN = "origin";
    private static final Duration KEEP = Duration.ofMinutes(1);

    private final DynamoDbClient client;
    private final String table;
    private final WebSocketHub hub;
    private final Duration interval;
    private final Duration lookback;
    private final Clock clock;
    private final String instanceId = UUID.randomUUID().toString();
    private final AtomicLong counter = new AtomicLong();
    /** seq of each event seen in the last 2 lookbacks, with its time (millis), so none is delivered twice. */
    private final Map<String, Long> seen = new HashMap<>();
    private ScheduledExecutorService poller;

    EventFanOut(DynamoDbClient client, String table, WebSocketHub hub, Duration interval, Duration lookback,
            Clock clock) {
        this.client = client;
        this.table = table;
        this.hub = hub;
        this.interval = interval;
        this.lookback = lookback;
        this.clock = clock;
    }

    /** Creates the table when absent (on-demand billing) and turns TTL on where the DynamoDB serves it. */
    EventFanOut ensureTable() {
        try {
            client.describeTable(d -> d.tableName(table));
        } catch (ResourceNotFoundException e) {
            try {
                client.createTable(c -> c.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName(PARTITION).attributeType(ScalarAttributeType.S),
                                a -> a.attributeName(SEQ).attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName(PARTITION).keyType(KeyType.HASH),
                                k -> k.attributeName(SEQ).keyType(KeyType.RANGE)));
            } catch (ResourceInUseException raced) {
                // another instance created it meanwhile
            }
            client.waiter().waitUntilTableExists(d -> d.tableName(table));
            try {
                client.updateTimeToLive(u -> u.tableName(table)
                        .timeToLiveSpecification(t -> t.attributeName(EXPIRES).enabled(true)));
            } catch (SdkException ttl) {
                LOG.info("TTL on {}.{} not turned on: {}", table, EXPIRES, ttl.getMessage());
            }
        } catch (SdkException e) {
            throw new TrackerException("Could not create or check the events table '" + table + "': "
                    + e.getMessage(), e);
        }
        return this;
    }

    /** Reads what the table holds now without delivering it, then polls every {@code interval}. */
    synchronized EventFanOut start() {
        poll(false);
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oneclick-event-fan-out");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void publish(ProjectOwner owner, ProjectGuid guid, NotifyEvent event) {
        String text = hub.toJson(guid, event);
        hub.deliver(guid, owner.userId(), text);
        long now = clock.millis();
        String seq = String.format("%013d#%s#%010d", now, instanceId, counter.incrementAndGet());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PARTITION, AttributeValue.fromS(STREAM));
        item.put(SEQ, AttributeValue.fromS(seq));
        item.put(GUID, AttributeValue.fromS(guid.value()));
        item.put(USER, AttributeValue.fromS(owner.userId()));
        item.put(TEXT, AttributeValue.fromS(text));
        item.put(ORIGIN, AttributeValue.fromS(instanceId));
        item.put(EXPIRES, AttributeValue.fromN(Long.toString((now + KEEP.toMillis()) / 1000)));
        try {
            client.putItem(p -> p.tableName(table).item(item));
        } catch (SdkException e) {
            // the receiver answers {"status":"ok","published":false} and the endpoint logs this
            throw new TrackerException("The event reached this instance's sessions but not the events table '"
                    + table + "' (other instances will not show it): " + e.getMessage(), e);
        }
    }

    private void pollQuietly() {
        try {
            poll(true);
        } catch (RuntimeException e) {
            LOG.warn("reading the events table {} failed; retrying in {} ms", table, interval.toMillis(), e);
        }
    }

    /** Reads the events of the last lookback; delivers (when {@code deliver}) those of other instances not seen. */
    synchronized void poll(boolean deliver) {
        long now = clock.millis();
        String from = String.format("%013d", Math.max(0, now - lookback.toMillis()));
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse r;
            try {
                r = client.query(q -> q.tableName(table).consistentRead(true)
                        .keyConditionExpression("#p = :p AND #s >= :from")
                        .expressionAttributeNames(Map.of("#p", PARTITION, "#s", SEQ))
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(STREAM),
                                ":from", AttributeValue.fromS(from)))
                        .exclusiveStartKey(exclusiveStart));
            } catch (SdkException e) {
                throw new TrackerException("The events table '" + table + "' cannot be read: " + e.getMessage(), e);
            }
            for (Map<String, AttributeValue> item : r.items()) {
                String seq = item.get(SEQ).s();
                if (seen.putIfAbsent(seq, now) != null || !deliver || instanceId.equals(s(item, ORIGIN))) {
                    continue;
                }
                String guid = s(item, GUID);
                String user = s(item, USER);
                String text = s(item, TEXT);
                if (guid != null && user != null && text != null) {
                    hub.deliver(ProjectGuid.parse(guid), user, text);
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        long forget = now - 2 * lookback.toMillis();
        for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next() < forget) {
                it.remove();
            }
        }
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}
