package dev.oneclick.examples.backend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyEvent;
import dev.oneclick.notify.NotifySubscribers;
import dev.oneclick.notify.ProjectOwner;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.WriteCallback;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers accepted notify events to the WebSocket sessions of the project's owner, as JSON
 * {@code {"type","guid","message"|"data","at"}} ({@code at}: when the backend accepted it). Only sessions that passed the owner check are subscribed, and each
 * event goes only to sessions of the owner the receiver resolved. Sends are asynchronous, so a slow browser never
 * holds up {@code POST /notify}. Thread-safe.
 */
final class WebSocketHub implements NotifySubscribers {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHub.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Subscriber(String userId, WsContext ctx) {
    }

    private final Map<ProjectGuid, Set<Subscriber>> byProject = new ConcurrentHashMap<>();
    private final Clock clock;

    WebSocketHub(Clock clock) {
        this.clock = clock;
    }

    void subscribe(ProjectGuid guid, String userId, WsContext ctx) {
        byProject.computeIfAbsent(guid, g -> ConcurrentHashMap.newKeySet()).add(new Subscriber(userId, ctx));
    }

    void unsubscribe(WsContext ctx) {
        byProject.values().forEach(set -> set.removeIf(s -> s.ctx().sessionId().equals(ctx.sessionId())));
        byProject.values().removeIf(Set::isEmpty);
    }

    int subscriberCount(ProjectGuid guid) {
        Set<Subscriber> set = byProject.get(guid);
        return set == null ? 0 : set.size();
    }

    @Override
    public void publish(ProjectOwner owner, ProjectGuid guid, NotifyEvent event) {
        Set<Subscriber> set = byProject.get(guid);
        if (set == null || set.isEmpty()) {
            return;
        }
        String text = toJson(guid, event);
        for (Subscriber s : set) {
            if (s.userId().equals(owner.userId())) {
                send(s.ctx(), text);
            }
        }
    }

    /** Sends without blocking the caller (the notify request); a session that went away just misses it. */
    static void send(WsContext ctx, String text) {
        if (!ctx.session.isOpen()) {
            return;
        }
        try {
            ctx.session.getRemote().sendString(text, new WriteCallback() {
                @Override
                public void writeFailed(Throwable x) {
                    LOG.debug("a message to WebSocket session {} was not delivered", ctx.sessionId(), x);
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("dropping a message to the closed WebSocket session {}", ctx.sessionId(), e);
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
