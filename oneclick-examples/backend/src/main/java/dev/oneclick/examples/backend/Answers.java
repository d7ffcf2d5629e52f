package dev.oneclick.examples.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.TooLargeException;
import dev.oneclick.errors.TrackerException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the backend answers: JSON bodies under a strict Content-Security-Policy, a request id on every request
 * ({@code X-Request-Id}), and errors mapped to statuses. A 5xx never shows an exception's text: it answers a generic
 * message with the request id, and the cause is logged with that id. Every 5xx is logged.
 */
final class Answers {
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";
    static final String REQUEST_ID = "X-Request-Id";
    private static final String ATTR_REQUEST_ID = "oneclick.requestId";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Answers() {
    }

    static void install(Javalin app) {
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Cache-Control", "no-store");
            byte[] id = new byte[8];
            RANDOM.nextBytes(id);
            String requestId = HexFormat.of().formatHex(id);
            ctx.attribute(ATTR_REQUEST_ID, requestId);
            ctx.header(REQUEST_ID, requestId);
        });
        app.exception(ApiError.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            if (e.status() >= 500) {
                LOG.warn("{} {} answered {} (request id {}): {}", ctx.method(), ctx.path(), e.status(),
                        requestId(ctx), e.getMessage());
            }
            error(ctx, e.status(), e.getMessage());
        });
        app.exception(TooLargeException.class, (e, ctx) -> invalid(ctx, 413, e));
        app.exception(InvalidInputException.class, (e, ctx) -> invalid(ctx, 400, e));
        app.exception(TrackerException.class, (e, ctx) -> {
            ctx.header("Retry-After", "5");
            serverError(ctx, 503, "The deployments table is unavailable; retry shortly.", e);
        });
        app.exception(Exception.class, (e, ctx) -> serverError(ctx, 500, "Internal error.", e));
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, 404, "Not found.");
            }
        });
        app.error(500, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                serverError(ctx, 500, "Internal error.", null);
            }
        });
    }

    private static void invalid(Context ctx, int status, InvalidInputException e) {
        ObjectNode n = JSON.createObjectNode().put("error", e.getMessage());
        if (e.field() != null) {
            n.put("field", e.field());
        }
        json(ctx, status, n);
    }

    static String requestId(Context ctx) {
        String id = ctx.attribute(ATTR_REQUEST_ID);
        return id == null ? "-" : id;
    }

    /** A 5xx answer: the generic message and the request id; the cause goes to the log under that id. */
    static void serverError(Context ctx, int status, String message, Throwable cause) {
        String id = requestId(ctx);
        LOG.error("{} {} answered {} (request id {}): {}", ctx.method(), ctx.path(), status, id, message, cause);
        json(ctx, status, JSON.createObjectNode().put("error", message + " Quote request id " + id
                + " when you report it.").put("requestId", id));
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.header("Content-Security-Policy", API_CSP);
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    static void error(Context ctx, int status, String message) {
        json(ctx, status, JSON.createObjectNode().put("error", message));
    }
}
