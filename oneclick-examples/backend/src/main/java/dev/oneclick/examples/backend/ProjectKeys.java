package dev.oneclick.examples.backend;

import dev.oneclick.errors.ConcurrentUpdateException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The notify key ids of each project, for rotating one project's secret: the current key id, and the previous one
 * with the time until which it is still accepted. Kept in a DynamoDB table whose partition key is {@code eventKey}
 * (S), as item {@code keys/<guid>} (the replay table serves: its event items are {@code <guid>/<event id>}), so every
 * instance agrees. A project without an item has key id 1 only. Thread-safe.
 */
final class ProjectKeys implements NotifyKeys {
    private static final String CURRENT = "currentKeyId";
    private static final String PREVIOUS = "previousKeyId";
    private static final String PREVIOUS_UNTIL = "previousUntil";

    /** A project's key ids now. */
    record State(int current, int previous, Instant previousUntil) {
    }

    private final DynamoDbClient client;
    private final String table;

    ProjectKeys(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public boolean accepts(ProjectGuid guid, int keyId, Instant now) {
        Optional<State> s = state(guid);
        if (s.isEmpty()) {
            return keyId == 1;
        }
        return keyId == s.get().current() || (keyId == s.get().previous() && now.isBefore(s.get().previousUntil()));
    }

    Optional<State> state(ProjectGuid guid) {
        try {
            GetItemResponse r = client.getItem(g -> g.tableName(table).consistentRead(true).key(key(guid)));
            if (!r.hasItem() || r.item().isEmpty()) {
                return Optional.empty();
            }
            Map<String, AttributeValue> i = r.item();
            return Optional.of(new State(Integer.parseInt(i.get(CURRENT).n()), Integer.parseInt(i.get(PREVIOUS).n()),
                    Instant.ofEpochSecond(Long.parseLong(i.get(PREVIOUS_UNTIL).n()))));
        } catch (SdkException e) {
            throw new TrackerException("The notify keys in table '" + table + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** Makes the next key id current; the one current until now stays accepted for {@code window}. */
    State rotate(ProjectGuid guid, Duration window, Instant now) {
        int old = state(guid).map(State::current).orElse(1);
        State next = new State(old + 1, old, now.plus(window));
        Map<String, AttributeValue> item = new HashMap<>(key(guid));
        item.put(CURRENT, AttributeValue.fromN(Integer.toString(next.current())));
        item.put(PREVIOUS, AttributeValue.fromN(Integer.toString(next.previous())));
        item.put(PREVIOUS_UNTIL, AttributeValue.fromN(Long.toString(next.previousUntil().getEpochSecond())));
        try {
            client.putItem(p -> p.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#c) OR #c = :old")
                    .expressionAttributeNames(Map.of("#c", CURRENT))
                    .expressionAttributeValues(Map.of(":old", AttributeValue.fromN(Integer.toString(old)))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException("The notify key of project " + guid.value() + " was rotated at the "
                    + "same moment by another request; read it again.", e);
        } catch (SdkException e) {
            throw new TrackerException("The notify keys in table '" + table + "' cannot be written: "
                    + e.getMessage(), e);
        }
        return next;
    }

    private static Map<String, AttributeValue> key(ProjectGuid guid) {
        return Map.of(DynamoDbReplayGuard.KEY, AttributeValue.fromS("keys/" + guid.value()));
    }
}
