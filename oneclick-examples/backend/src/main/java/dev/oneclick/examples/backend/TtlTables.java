package dev.oneclick.examples.backend;

import dev.oneclick.errors.TrackerException;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The backend's own DynamoDB tables (replay ids, fan-out events): created when absent, with a TTL attribute. */
final class TtlTables {
    private static final Logger LOG = LoggerFactory.getLogger(TtlTables.class);
    private static final Duration TABLE_WAIT = Duration.ofSeconds(60);

    private TtlTables() {
    }

    /**
     * Creates {@code table} when absent (on-demand billing, the key schema {@code keys} sets), waits until it is
     * active (60 s at most) and turns TTL on for {@code ttlAttribute} where the DynamoDB serves it.
     *
     * @param what the table's role, for messages ("replay", "events")
     * @throws TrackerException when DynamoDB fails or the table does not become active
     */
    static void ensure(DynamoDbClient client, String table, Consumer<CreateTableRequest.Builder> keys,
            String ttlAttribute, String what) {
        try {
            try {
                client.describeTable(d -> d.tableName(table));
            } catch (ResourceNotFoundException e) {
                try {
                    client.createTable(c -> keys.accept(c.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)));
                } catch (ResourceInUseException raced) {
                    // another instance created it meanwhile
                }
            }
            waitUntilActive(client, table, what);
            try {
                client.updateTimeToLive(u -> u.tableName(table)
                        .timeToLiveSpecification(t -> t.attributeName(ttlAttribute).enabled(true)));
            } catch (SdkException e) {
                // already on, or a local DynamoDB without TTL: readers treat expired items as absent
                LOG.info("TTL on {}.{} not changed: {}", table, ttlAttribute, e.getMessage());
            }
        } catch (SdkException e) {
            throw new TrackerException("Could not create or check the " + what + " table '" + table + "': "
                    + e.getMessage(), e);
        }
    }

    private static void waitUntilActive(DynamoDbClient client, String table, String what) {
        long deadline = System.nanoTime() + TABLE_WAIT.toNanos();
        while (client.describeTable(d -> d.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new TrackerException("The " + what + " table '" + table + "' did not become active within "
                        + TABLE_WAIT.toSeconds() + " s.");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrackerException("Interrupted while waiting for the " + what + " table '" + table + "'.",
                        e);
            }
        }
    }
}
