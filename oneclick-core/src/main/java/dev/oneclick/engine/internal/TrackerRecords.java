package dev.oneclick.engine.internal;

import dev.oneclick.errors.TrackerException;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** {@link ProjectRecords} over a {@link DeploymentTracker}; the table is ensured once, on the first write. */
public final class TrackerRecords implements ProjectRecords {
    private final DeploymentTracker tracker;
    private volatile boolean ready;

    public TrackerRecords(DeploymentTracker tracker) {
        this.tracker = tracker;
    }

    public DeploymentTracker tracker() {
        return tracker;
    }

    @Override
    public void ensureReady() {
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    tracker.ensureTable();
                    ready = true;
                }
            }
        }
    }

    @Override
    public Optional<DeploymentRecord> get(String userId, String projectId) {
        return read(() -> tracker.get(userId, projectId), Optional.empty());
    }

    @Override
    public Optional<DeploymentRecord> findByProjectId(String projectId) {
        return read(() -> tracker.findByProjectId(projectId), Optional.empty());
    }

    @Override
    public List<DeploymentRecord> findAllByProjectId(String projectId) {
        return read(() -> tracker.findAllByProjectId(projectId), List.of());
    }

    /** A read; {@code none} while the table was never ensured and does not exist (a plan before the first deploy). */
    private <T> T read(java.util.function.Supplier<T> read, T none) {
        try {
            return read.get();
        } catch (TrackerException e) {
            if (!ready && causedByMissingTable(e)) {
                return none;
            }
            throw e;
        }
    }

    private static boolean causedByMissingTable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ResourceNotFoundException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public DeploymentRecord recordResources(String userId, String projectId, String projectName,
            AwsResources resources) {
        return tracker.recordOwnResources(userId, projectId, projectName, resources);
    }

    @Override
    public DeploymentRecord forgetResources(String userId, String projectId, Collection<String> keys) {
        return tracker.forgetOwnResources(userId, projectId, keys);
    }

    @Override
    public DeploymentTracker.LeaseGrant acquireLease(String userId, String projectId, String runId, String holder,
            Duration ttl) {
        return tracker.acquireLease(userId, projectId, runId, holder, ttl);
    }

    @Override
    public boolean renewLease(String userId, String projectId, String runId, Duration ttl) {
        return tracker.renewLease(userId, projectId, runId, ttl);
    }

    @Override
    public boolean releaseLease(String userId, String projectId, String runId, boolean removeBareItem) {
        return tracker.releaseLease(userId, projectId, runId, removeBareItem);
    }

    @Override
    public boolean releaseLease(String userId, String projectId, String runId, String projectName,
            DeploymentStatus status) {
        return tracker.releaseLease(userId, projectId, runId, projectName, status);
    }

    @Override
    public DeploymentRecord updateStatus(String userId, String projectId, String projectName,
            DeploymentStatus status, String error) {
        return tracker.updateStatus(userId, projectId, projectName, status, error);
    }
}
