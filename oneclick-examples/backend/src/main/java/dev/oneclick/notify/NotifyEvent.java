package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import java.time.Instant;
import java.util.Locale;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. An accepted event. */
public record NotifyEvent(String id, ProjectGuid guid, Type type, String message, AwsResources resources,
        Instant sentAt) {
    public enum Type {
        ACK, STATUS, ERROR, DONE, SUMMARY, DEPLOYED, RESOURCES;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
