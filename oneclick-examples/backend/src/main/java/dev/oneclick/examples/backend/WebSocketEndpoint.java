package dev.oneclick.examples.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.naming.ProjectGuid;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/projects/{guid}}: the token comes only in the first message, {@code {"type":"auth","token":"..."}}, never
 * in the URL (where it would land in access logs and browser history), so an upgrade that carries {@code ?token=}
 * is refused with 400. A connection that sends no valid owner token within 10 seconds, or anything else first, is
 * closed with 1008 (policy violation); the owner's connection is subscribed to the project's events.
 */
final class WebSocketEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/ws/projects/{guid}";
    /** WebSocket close code 1008: the endpoint refuses a message that violates its policy. */
    static final int POLICY_VIOLATION = 1008;
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);
    private static final String ATTR_USER = "oneclick.user";

    private final Authenticator authenticator;
    private final BiPredicate<String, ProjectGuid> isOwner;
    private final WebSocketHub hub;
    private final ScheduledExecutorService timers;

    WebSocketEndpoint(Authenticator authenticator, BiPredicate<String, ProjectGuid> isOwner, WebSocketHub hub,
            ScheduledExecutorService timers) {
        this.authenticator = authenticator;
        this.isOwner = isOwner;
        this.hub = hub;
        this.timers = timers;
    }

    void install(Javalin app) {
        app.wsBeforeUpgrade(PATH, ctx -> {
            guid(ctx.pathParam("guid"));
            if (ctx.queryParam("token") != null) {
                throw new ApiError(400, "Send the token in the first WebSocket message, "
                        + "{\"type\":\"auth\",\"token\":\"...\"}, not in the URL.");
            }
        });
        app.ws(PATH, ws -> {
            ws.onConnect(ctx -> timers.schedule(() -> {
                if (ctx.attribute(ATTR_USER) == null && ctx.session.isOpen()) {
                    ctx.closeSession(POLICY_VIOLATION, "no token");
                }
            }, AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            ws.onMessage(ctx -> {
                if (ctx.attribute(ATTR_USER) != null) {
                    return; // subscribed sessions only listen
                }
                ProjectGuid guid = ProjectGuid.parse(ctx.pathParam("guid"));
                Optional<String> user = token(ctx.message()).flatMap(authenticator::authenticate);
                if (user.isEmpty()) {
                    ctx.closeSession(POLICY_VIOLATION, "invalid token");
                } else if (!ownerQuietly(user.get(), guid)) {
                    ctx.closeSession(POLICY_VIOLATION, "not the project's owner");
                } else {
                    ctx.attribute(ATTR_USER, user.get());
                    hub.subscribe(guid, user.get(), session(ctx));
                    send(ctx, JSON.createObjectNode().put("type", "subscribed").put("guid", guid.value())
                            .toString());
                }
            });
            ws.onClose(ctx -> hub.unsubscribe(ctx.sessionId()));
            ws.onError(ctx -> hub.unsubscribe(ctx.sessionId()));
        });
    }

    private static Optional<String> token(String message) {
        try {
            JsonNode msg = JSON.readTree(message);
            if (msg != null && "auth".equals(msg.path("type").asText()) && msg.path("token").isTextual()) {
                return Optional.of(msg.get("token").asText());
            }
        } catch (IOException e) {
            // not JSON: no token
        }
        return Optional.empty();
    }

    private boolean ownerQuietly(String user, ProjectGuid guid) {
        try {
            return isOwner.test(user, guid);
        } catch (RuntimeException e) {
            LOG.warn("cannot check the owner of {}", guid, e);
            return false;
        }
    }

    private static ProjectGuid guid(String text) {
        try {
            return ProjectGuid.parse(text);
        } catch (InvalidGuidException e) {
            throw new ApiError(404, "Not found.");
        }
    }

    private static WebSocketHub.Session session(WsContext ctx) {
        String id = ctx.sessionId();
        return new WebSocketHub.Session() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public void send(String text) {
                WebSocketEndpoint.send(ctx, text);
            }
        };
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
}
