package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.util.Objects;

/**
 * Stores what a project reported: the resources of a {@code resources} event and, optionally, the outcome of a
 * {@code deployed} or {@code error} event. Must be thread-safe. A failure must be thrown (any
 * {@link dev.oneclick.errors.OneclickException}, such as a {@code TrackerException}): the receiver then answers 503 without
 * marking the event processed, so the sender's retry stores it exactly once. Input the store can never keep (the
 * merged record would be too large or break the schema) is thrown as an
 * {@link dev.oneclick.errors.InvalidInputException}, which the receiver answers with 400 (413 for a
 * {@link dev.oneclick.errors.TooLargeException}), so the sender does not retry it. Both methods must be idempotent (a
 * retry may repeat a write whose answer was lost).
 */
@FunctionalInterface
public interface ResourcesStore {
    void saveResources(ProjectOwner owner, ProjectGuid guid, AwsResources resources);

    /**
     * Records the outcome a {@code deployed} or {@code error} event reports, so the stored status matches what the
     * owner saw live. Called only for those two types, before the event is published. The default stores nothing.
     *
     * @param event the event, of type {@link NotifyEvent.Type#DEPLOYED} or {@link NotifyEvent.Type#ERROR}
     */
    default void saveOutcome(ProjectOwner owner, ProjectGuid guid, NotifyEvent event) {
    }

    /**
     * A store over the deployment tracker. Resources are <em>merged</em> into the record with
     * {@link DeploymentTracker#mergeResources(String, String, String, AwsResources)}, which checks the merged record
     * like a single report (at most 100 keys, 350 KB) and refuses a merge past a bound, leaving the record as it
     * was (an {@link dev.oneclick.errors.InvalidInputException}, which the receiver answers with 400, or 413 for
     * {@link dev.oneclick.errors.TooLargeException}): the reported keys are set,
     * every other stored key is kept (so a report that names only {@code s3Bucket} and {@code cloudFrontUrl} does
     * not erase the {@code cloudFrontId} or other ids the deploy engine recorded, which {@code destroy} needs); a
     * record without resources gets the reported map. A {@code deployed} event sets status
     * {@link DeploymentStatus#DEPLOYED} and clears the last error; an {@code error} event sets
     * {@link DeploymentStatus#FAILED} with the message as the last error.
     */
    static ResourcesStore tracker(DeploymentTracker tracker) {
        Objects.requireNonNull(tracker, "tracker");
        return new ResourcesStore() {
            @Override
            public void saveResources(ProjectOwner owner, ProjectGuid guid, AwsResources resources) {
                tracker.mergeResources(owner.userId(), guid.value(), owner.projectName(), resources);
            }

            @Override
            public void saveOutcome(ProjectOwner owner, ProjectGuid guid, NotifyEvent event) {
                switch (event.type()) {
                    case DEPLOYED -> tracker.updateStatus(owner.userId(), guid.value(), owner.projectName(),
                            DeploymentStatus.DEPLOYED, null);
                    case ERROR -> tracker.updateStatus(owner.userId(), guid.value(), owner.projectName(),
                            DeploymentStatus.FAILED, event.message() == null || event.message().isBlank()
                                    ? "The project reported an error without a message." : event.message());
                    default -> {
                        // other types carry no outcome
                    }
                }
            }
        };
    }
}
