package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;

/**
 * Stores the resources a project reported, for example with {@code DeploymentTracker.save} (first report) or
 * {@code updateResources}. Must be thread-safe. A failure must be thrown (any {@link dev.oneclick.OneclickException},
 * such as a {@code TrackerException}): the receiver then answers 503 without marking the event processed, so the
 * sender's retry stores it exactly once.
 */
@FunctionalInterface
public interface ResourcesStore {
    void saveResources(ProjectOwner owner, ProjectGuid guid, AwsResources resources);
}
