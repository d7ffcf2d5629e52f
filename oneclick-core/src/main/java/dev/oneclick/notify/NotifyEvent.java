package dev.oneclick.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One accepted notify event.
 *
 * @param id the sender's event id (the same across retries)
 * @param guid the project
 * @param type the event type
 * @param message the text of a message event; null for {@link Type#RESOURCES}
 * @param resources the reported resources of a {@link Type#RESOURCES} event; null otherwise
 * @param sentAt the signed timestamp
 */
public record NotifyEvent(String id, ProjectGuid guid, Type type, String message, AwsResources resources,
        Instant sentAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Event types, as {@code notify.sh} names them. */
    public enum Type {
        ACK, STATUS, ERROR, DONE, SUMMARY, DEPLOYED, RESOURCES;

        /** The name on the wire: {@code ack}, {@code status}, ..., {@code resources}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type of a wire name, if it is one. */
        public static Optional<Type> fromWireName(String name) {
            for (Type t : values()) {
                if (t.wireName().equals(name)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    public NotifyEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sentAt, "sentAt");
        if ((type == Type.RESOURCES) != (resources != null) || (type == Type.RESOURCES) == (message != null)) {
            throw new IllegalArgumentException("a resources event has resources and no message; others a message");
        }
    }

    /** The event as JSON, in the wire form: {@code {"id","guid","type","message"}} or with {@code "data"}. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("guid", guid.value());
        node.put("type", type.wireName());
        if (type == Type.RESOURCES) {
            node.set("data", JSON.valueToTree(resources.asMap()));
        } else {
            node.put("message", message);
        }
        return node.toString();
    }
}
