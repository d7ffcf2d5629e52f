package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;

/**
 * Receives every accepted event, for example to forward it over a WebSocket to the owner's open sessions. Called
 * once per event id, after a {@code resources} event was stored. Must be thread-safe and should not block; an
 * exception it throws does not undo the event (the receiver answers {@code {"status":"ok","published":false}}).
 */
@FunctionalInterface
public interface NotifySubscribers {
    void publish(ProjectOwner owner, ProjectGuid guid, NotifyEvent event);
}
