package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.tracking.DeploymentTracker;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the owner of a project GUID, so an event that carries only the GUID reaches the right user. A backend
 * implements it with its own project table, or with {@code DeploymentTracker.findByProjectId}. Must be
 * thread-safe; may throw a {@link dev.oneclick.errors.OneclickException} when its store is unreachable (the receiver then
 * answers 503 and the sender retries).
 */
@FunctionalInterface
public interface ProjectRegistry {
    /** The owner of the project, or empty when no such project exists. */
    Optional<ProjectOwner> findOwner(ProjectGuid guid);

    /**
     * A registry over the deployment tracker: the owner of the project's record, found through the
     * {@code projectId-index} ({@link DeploymentTracker#findByProjectId(String)}). A project is known once it has a
     * record (the deploy writes one as soon as it creates a resource; a backend should write one when it creates the
     * project, for example with {@code DeploymentTracker.save}). When several users hold a record of the GUID (a
     * deploy run under another user id writes its own), the <em>first</em> record created is the owner: a later
     * writer of the table cannot take over a project's events by updating a record of its own.
     */
    static ProjectRegistry tracker(DeploymentTracker tracker) {
        Objects.requireNonNull(tracker, "tracker");
        return guid -> tracker.findByProjectId(guid.value())
                .map(r -> new ProjectOwner(r.userId(), r.projectName() == null || r.projectName().isBlank()
                        ? guid.value() : r.projectName()));
    }
}
