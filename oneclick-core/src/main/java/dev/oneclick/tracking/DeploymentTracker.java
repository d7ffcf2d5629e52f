package dev.oneclick.tracking;

import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SKELETON: signatures agreed between the tracker and the deploy engine; bodies are being written.
 *
 * <p>The record of what oneclick created, in the DynamoDB table {@code tmux-deployments}.
 */
public final class DeploymentTracker {
    public static final String DEFAULT_TABLE = "tmux-deployments";
    public static final String PROJECT_INDEX = "projectId-index";

    private DeploymentTracker() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public String tableName() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Creates the table (and GSI) when absent, waits until active; fails if an existing table has another schema. */
    public void ensureTable() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Creates or replaces the project's resources; keeps createdAt, sets updatedAt, bumps version. */
    public DeploymentRecord save(String userId, String projectId, String projectName, AwsResources resources) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Writes a record read earlier; throws ConcurrentUpdateException if its version is stale. */
    public DeploymentRecord save(DeploymentRecord record) {
        throw new UnsupportedOperationException("TODO");
    }

    public Optional<DeploymentRecord> get(String userId, String projectId) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Every item of the user, across all pages. */
    public List<DeploymentRecord> listByUser(String userId) {
        throw new UnsupportedOperationException("TODO");
    }

    /** One page; {@code cursor} null for the first page. */
    public RecordPage listByUser(String userId, int limit, String cursor) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The record of a project GUID through the projectId-index, whoever owns it. */
    public Optional<DeploymentRecord> findByProjectId(String projectId) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Replaces awsResources of an existing project; ProjectNotFoundException otherwise. */
    public DeploymentRecord updateResources(String userId, String projectId, AwsResources resources) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Merges the given keys into awsResources (other keys kept), creating the record if absent. Used by the deploy
     * engine to record each resource as soon as it exists.
     */
    public DeploymentRecord recordResources(String userId, String projectId, String projectName, AwsResources resources) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Sets status (and lastError, null clears it), creating the record if absent (projectName used then). */
    public DeploymentRecord updateStatus(String userId, String projectId, String projectName, DeploymentStatus status,
            String error) {
        throw new UnsupportedOperationException("TODO");
    }

    /** A page of records and the cursor of the next page (null when this is the last). */
    public record RecordPage(List<DeploymentRecord> items, String nextCursor) {
    }

    /** Builds a tracker. */
    public static final class Builder {
        private Builder() {
        }

        public Builder dynamoDbClient(DynamoDbClient client) {
            return this;
        }

        public Builder tableName(String tableName) {
            return this;
        }

        public DeploymentTracker build() {
            return new DeploymentTracker();
        }
    }
}
