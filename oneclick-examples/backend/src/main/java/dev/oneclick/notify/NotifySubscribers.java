package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. Receives accepted events. */
public interface NotifySubscribers {
    void publish(ProjectOwner owner, ProjectGuid guid, NotifyEvent event);
}
