package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import java.time.Instant;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. An accepted event. */
public record NotifyEvent(String id, ProjectGuid guid, String type, String message, AwsResources data,
        Instant receivedAt) {
}
