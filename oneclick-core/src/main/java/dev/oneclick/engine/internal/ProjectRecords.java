package dev.oneclick.engine.internal;

import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the step engine needs from the deployment record store. The production implementation is
 * {@link TrackerRecords} over a {@link dev.oneclick.tracking.DeploymentTracker}; tests wrap it to inject failures.
 */
public interface ProjectRecords {
    /** Makes sure the store can be written (creates the table when absent). Called before the first write. */
    void ensureReady();

    /** The record, or empty when there is none (or the store does not exist yet). */
    Optional<DeploymentRecord> get(String userId, String projectId);

    /**
     * The owner's record of the GUID (the record created first, {@link DeploymentTracker#OWNER_FIRST}), or empty when
     * there is none (or the store does not exist yet).
     */
    Optional<DeploymentRecord> findByProjectId(String projectId);

    /** Every record of the GUID, the owner's first; empty when there is none (or the store does not exist yet). */
    default List<DeploymentRecord> findAllByProjectId(String projectId) {
        return findByProjectId(projectId).stream().toList();
    }

    /**
     * Records resources the engine created: merged into both the shown {@code awsResources} and the engine's own
     * {@code oneclickResources}, creating the record when absent.
     */
    DeploymentRecord recordResources(String userId, String projectId, String projectName, AwsResources resources);

    /** Removes keys of resources the engine deleted from both maps. */
    DeploymentRecord forgetResources(String userId, String projectId, Collection<String> keys);

    /** Sets the status and last error (null clears it), creating the record when absent. */
    DeploymentRecord updateStatus(String userId, String projectId, String projectName, DeploymentStatus status,
            String error);

    /** Takes the project's lease; see {@link DeploymentTracker#acquireLease}. */
    DeploymentTracker.LeaseGrant acquireLease(String userId, String projectId, String runId, String holder,
            Duration ttl);

    /** Extends the lease; false when {@code runId} lost it. */
    boolean renewLease(String userId, String projectId, String runId, Duration ttl);

    /**
     * Sets the run's final status (clearing the last error) and gives the lease back; see
     * {@link DeploymentTracker#releaseLease(String, String, String, String, DeploymentStatus)}. By default two writes
     * (the status, then the release); the tracker's does both in one.
     */
    default boolean releaseLease(String userId, String projectId, String runId, String projectName,
            DeploymentStatus status) {
        updateStatus(userId, projectId, projectName, status, null);
        return releaseLease(userId, projectId, runId, false);
    }

    /** Gives the lease back; see {@link DeploymentTracker#releaseLease}. */
    boolean releaseLease(String userId, String projectId, String runId, boolean removeBareItem);
}
