package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import java.util.Optional;

/**
 * Finds the owner of a project GUID, so an event that carries only the GUID reaches the right user. A backend
 * implements it with its own project table, or with {@code DeploymentTracker.findByProjectId}. Must be
 * thread-safe; may throw a {@link dev.oneclick.OneclickException} when its store is unreachable (the receiver then
 * answers 503 and the sender retries).
 */
@FunctionalInterface
public interface ProjectRegistry {
    /** The owner of the project, or empty when no such project exists. */
    Optional<ProjectOwner> findOwner(ProjectGuid guid);
}
