package dev.oneclick.examples.backend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyEvent;
import dev.oneclick.notify.NotifySubscribers;
import dev.oneclick.notify.ProjectOwner;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers accepted notify events to the WebSocket sessions of the project's owner, as JSON
 * {@code {"type","guid","message"|"data","at"}} ({@code at}: when the backend accepted it). Only sessions that passed
 * the owner check are subscribed, and each event goes only to sessions of the owner the receiver resolved. Sends are
 * asynchronous ({@link Session#send}), so a slow browser never holds up {@code POST /notify}. Thread-safe.
 *
 * <p>A project's set of sessions is created, added to, removed from and dropped when empty only inside
 * {@link ConcurrentHashMap#compute} of that project's key, so a subscribe that races with the last session's
 * unsubscribe never lands in a set that was just dropped from the map.
 */
final class WebSocketHub implements NotifySubscribers {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One subscribed connection: its id, and a send that never blocks nor throws. */
    interface Session {
        String id();

        void send(String text);
    }

    private record Subscriber(String userId, Session session) {
    }

    private final Map<ProjectGuid, Set<Subscriber>> byProject = new ConcurrentHashMap<>();
    /** session id to the project it follows, so unsubscribe touches only that project's key. */
    private final Map<String, ProjectGuid> projectOf = new ConcurrentHashMap<>();
    private final Clock clock;

    WebSocketHub(Clock clock) {
        this.clock = clock;
    }

    void subscribe(ProjectGuid guid, String userId, Session session) {
        projectOf.put(session.id(), guid);
        byProject.compute(guid, (g, set) -> {
            Set<Subscriber> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(new Subscriber(userId, session));
            return s;
        });
    }

    void unsubscribe(String sessionId) {
        ProjectGuid guid = projectOf.remove(sessionId);
        if (guid == null) {
            return;
        }
        byProject.computeIfPresent(guid, (g, set) -> {
            set.removeIf(s -> s.session().id().equals(sessionId));
            return set.isEmpty() ? null : set;
        });
    }

    int subscriberCount(ProjectGuid guid) {
        Set<Subscriber> set = byProject.get(guid);
        return set == null ? 0 : set.size();
    }

    /** Number of projects with at least one subscriber (for tests: empty sets are dropped). */
    int projectCount() {
        return byProject.size();
    }

    @Override
    public void publish(ProjectOwner owner, ProjectGuid guid, NotifyEvent event) {
        if (subscriberCount(guid) > 0) {
            deliver(guid, owner.userId(), toJson(guid, event));
        }
    }

    /** Sends an event already rendered ({@link #toJson}) to this instance's sessions of the project's owner. */
    void deliver(ProjectGuid guid, String ownerUserId, String text) {
        Set<Subscriber> set = byProject.get(guid);
        if (set == null) {
            return;
        }
        for (Subscriber s : set) {
            if (s.userId().equals(ownerUserId)) {
                s.session().send(text);
            }
        }
    }

    String toJson(ProjectGuid guid, NotifyEvent event) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", event.type().wireName());
        n.put("guid", guid.value());
        if (event.resources() != null) {
            n.set("data", JSON.valueToTree(event.resources().asMap()));
        } else {
            n.put("message", event.message());
        }
        n.put("at", clock.instant().toString());
        return n.toString();
    }
}
