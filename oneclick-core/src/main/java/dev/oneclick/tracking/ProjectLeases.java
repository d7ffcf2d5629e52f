package dev.oneclick.tracking;

import dev.oneclick.errors.ConcurrentUpdateException;
import dev.oneclick.errors.ProjectBusyException;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.tracking.internal.Items;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The project lease of {@link DeploymentTracker}: one deploy or destroy of a project at a time, by conditional writes
 * of {@code leaseRunId}, {@code leaseHolder} and {@code leaseExpiresAt} in the project's record.
 */
final class ProjectLeases {
    private final DeploymentTracker tracker;
    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;

    ProjectLeases(DeploymentTracker tracker, DynamoDbClient client, String table, Clock clock) {
        this.tracker = tracker;
        this.client = client;
        this.table = table;
        this.clock = clock;
    }

    /**
     * Takes the project's lease for one run, by a conditional write: granted when no run holds it, when the holder's
     * lease has expired, or when {@code runId} already holds it. Creates the record (with only its key and the
     * lease) when there is none; {@link LeaseGrant#createdItem()} says so, so a run that ends before writing anything
     * else can remove it again with {@link #releaseLease}. The lease does not change {@code version} or
     * {@code updatedAt}.
     *
     * @throws ProjectBusyException when another run holds an unexpired lease
     */
    DeploymentTracker.LeaseGrant acquireLease(String userId, String projectId, String runId, String holder, Duration ttl) {
        String user = ResourceNames.checkUserId(userId);
        String project = DeploymentTracker.guid(projectId);
        for (int attempt = 0; attempt < DeploymentTracker.MERGE_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            long expires = now.plus(ttl).toEpochMilli();
            ItemUpdate take = tracker.update(user, project);
            String run = take.name(Items.LEASE_RUN_ID);
            String exp = take.name(Items.LEASE_EXPIRES_AT);
            String runValue = take.value(AttributeValue.fromS(runId));
            take.setRaw(run + " = " + runValue);
            take.set(Items.LEASE_HOLDER, AttributeValue.fromS(holder));
            take.set(Items.LEASE_EXPIRES_AT, AttributeValue.fromN(Long.toString(expires)));
            take.condition("attribute_exists(" + take.name(Items.USER_ID) + ") AND (attribute_not_exists(" + run
                    + ") OR " + exp + " <= " + take.value(AttributeValue.fromN(Long.toString(now.toEpochMilli())))
                    + " OR " + run + " = " + runValue + ")");
            try {
                return new DeploymentTracker.LeaseGrant(take.runOrThrowOnCondition("UpdateItem (acquireLease)"), false);
            } catch (ConditionalCheckFailedException e) {
                Optional<Map<String, AttributeValue>> item = tracker.rawGet(user, project);
                if (item.isPresent()) {
                    DeploymentRecord.Lease held = ItemReader.toRecord(item.get()).lease().orElse(null);
                    if (held != null && !held.runId().equals(runId) && !held.expiredAt(clock.instant())) {
                        throw busy(project, held);
                    }
                    continue;
                }
            }
            Map<String, AttributeValue> fresh = new LinkedHashMap<>(Items.key(user, project));
            fresh.put(Items.LEASE_RUN_ID, AttributeValue.fromS(runId));
            fresh.put(Items.LEASE_HOLDER, AttributeValue.fromS(holder));
            fresh.put(Items.LEASE_EXPIRES_AT, AttributeValue.fromN(Long.toString(expires)));
            try {
                client.putItem(r -> r.tableName(table).item(fresh)
                        .conditionExpression("attribute_not_exists(#u)").expressionAttributeNames(
                                Map.of("#u", Items.USER_ID)));
                return new DeploymentTracker.LeaseGrant(ItemReader.toRecord(fresh), true);
            } catch (ConditionalCheckFailedException e) {
                // created meanwhile: try the update again
            } catch (SdkException e) {
                throw tracker.failure("PutItem (acquireLease)", e);
            }
        }
        throw new ConcurrentUpdateException("Could not take the lease of project " + project + " in DynamoDB table '"
                + table + "' after " + DeploymentTracker.MERGE_ATTEMPTS + " attempts: other writers kept changing the record.");
    }

    private ProjectBusyException busy(String project, DeploymentRecord.Lease held) {
        return new ProjectBusyException(held.holder(), held.expiresAt(), "Project " + project + " is being "
                + "deployed or destroyed by another run (" + held.holder() + ", run " + held.runId() + "); its lease "
                + "expires at " + held.expiresAt() + " unless that run renews it. Wait for it to finish, or give a "
                + "lock wait (lockWait, -Doneclick.lockWait=PT10M) so this run waits for it.");
    }

    /**
     * Extends the lease of {@code runId} to now + {@code ttl}.
     *
     * @return false when {@code runId} no longer holds the lease (it expired and another run took it)
     */
    boolean renewLease(String userId, String projectId, String runId, Duration ttl) {
        String user = ResourceNames.checkUserId(userId);
        String project = DeploymentTracker.guid(projectId);
        ItemUpdate renew = tracker.update(user, project);
        renew.set(Items.LEASE_EXPIRES_AT, AttributeValue.fromN(Long.toString(clock.instant().plus(ttl)
                .toEpochMilli())));
        renew.condition(renew.name(Items.LEASE_RUN_ID) + " = " + renew.value(AttributeValue.fromS(runId)));
        try {
            renew.runOrThrowOnCondition("UpdateItem (renewLease)");
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Gives the lease of {@code runId} back. With {@code removeBareItem}, a record that holds nothing but its key and
     * this lease (the lease created it and the run wrote nothing else) is deleted instead.
     *
     * @return false when {@code runId} did not hold the lease any more
     */
    boolean releaseLease(String userId, String projectId, String runId, boolean removeBareItem) {
        return releaseLease(userId, projectId, runId, removeBareItem, null);
    }

    /**
     * As {@link #releaseLease(String, String, String, boolean)}; with {@code status} (an {@link ItemUpdate} that
     * sets the run's final status), that is written in the same conditional write as the release.
     */
    boolean releaseLease(String userId, String projectId, String runId, boolean removeBareItem,
            java.util.function.Consumer<ItemUpdate> status) {
        String user = ResourceNames.checkUserId(userId);
        String project = DeploymentTracker.guid(projectId);
        if (removeBareItem) {
            Map<String, String> n = Map.of("#r", Items.LEASE_RUN_ID, "#s", Items.STATUS, "#a", Items.AWS_RESOURCES,
                    "#o", Items.ONECLICK_RESOURCES, "#p", Items.PROJECT_NAME);
            try {
                client.deleteItem(r -> r.tableName(table).key(Items.key(user, project))
                        .conditionExpression("#r = :r AND attribute_not_exists(#s) AND attribute_not_exists(#a) AND "
                                + "attribute_not_exists(#o) AND attribute_not_exists(#p)")
                        .expressionAttributeNames(n).expressionAttributeValues(Map.of(":r",
                                AttributeValue.fromS(runId))));
                return true;
            } catch (ConditionalCheckFailedException e) {
                // something else was written: keep the record, release the lease below
            } catch (SdkException e) {
                throw tracker.failure("DeleteItem (releaseLease)", e);
            }
        }
        ItemUpdate release = tracker.update(user, project);
        if (status != null) {
            status.accept(release);
        }
        release.remove(Items.LEASE_RUN_ID);
        release.remove(Items.LEASE_HOLDER);
        release.remove(Items.LEASE_EXPIRES_AT);
        release.condition(release.name(Items.LEASE_RUN_ID) + " = " + release.value(AttributeValue.fromS(runId)));
        try {
            release.runOrThrowOnCondition("UpdateItem (releaseLease)");
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
