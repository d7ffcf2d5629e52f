package dev.oneclick.internal;

import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import java.util.Optional;

/**
 * What the deploy engine needs from the deployment record store. The production implementation is
 * {@link TrackerRecords} over a {@link dev.oneclick.tracking.DeploymentTracker}; tests wrap it to inject failures.
 */
public interface ProjectRecords {
    /** Makes sure the store can be written (creates the table when absent). Called before the first write. */
    void ensureReady();

    /** The record, or empty when there is none (or the store does not exist yet). */
    Optional<DeploymentRecord> get(String userId, String projectId);

    /** The record of the GUID whoever owns it, or empty when there is none (or the store does not exist yet). */
    Optional<DeploymentRecord> findByProjectId(String projectId);

    /** Merges {@code resources} into the record's resources, creating the record when absent. */
    DeploymentRecord recordResources(String userId, String projectId, String projectName, AwsResources resources);

    /** Replaces the record's resources with {@code resources}. */
    DeploymentRecord replaceResources(String userId, String projectId, AwsResources resources);

    /** Sets the status and last error (null clears it), creating the record when absent. */
    DeploymentRecord updateStatus(String userId, String projectId, String projectName, DeploymentStatus status,
            String error);
}
