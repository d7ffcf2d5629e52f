package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentTracker;
import java.util.Objects;

/**
 * Stores the resources a project reported, for example with {@code DeploymentTracker.save} (first report) or
 * {@code updateResources}. Must be thread-safe. A failure must be thrown (any {@link dev.oneclick.OneclickException},
 * such as a {@code TrackerException}): the receiver then answers 503 without marking the event processed, so the
 * sender's retry stores it exactly once.
 */
@FunctionalInterface
public interface ResourcesStore {
    void saveResources(ProjectOwner owner, ProjectGuid guid, AwsResources resources);

    /**
     * A store over the deployment tracker: {@link DeploymentTracker#save(String, String, String, AwsResources)}
     * with the owner's user id and project name, which replaces the project's {@code awsResources} (keeping
     * {@code createdAt}) or creates the record.
     */
    static ResourcesStore tracker(DeploymentTracker tracker) {
        Objects.requireNonNull(tracker, "tracker");
        return (owner, guid, resources) -> tracker.save(owner.userId(), guid.value(), owner.projectName(), resources);
    }
}
