package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import java.util.Optional;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. Finds who owns a GUID. */
public interface ProjectRegistry {
    Optional<ProjectOwner> findOwner(ProjectGuid guid);
}
