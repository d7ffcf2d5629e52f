package dev.oneclick.examples.backend;

import static dev.oneclick.examples.backend.Answers.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The REST API and the panel's static files. A project the caller does not own answers 404, the same as a GUID
 * that does not exist, so the answer never tells which GUIDs exist. {@code /api/login} is rate limited per client
 * address (429 with {@code Retry-After}).
 */
final class RestApi {
    private static final String PANEL_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final int DEFAULT_LIMIT = 25;
    private static final int MAX_LIMIT = 100;

    private final DeploymentTracker tracker;
    private final Authenticator authenticator;
    private final HmacTokens devTokens;
    private final boolean devLogin;
    private final ClientLimits loginLimits;
    private final CursorSigner cursors;
    private final ProjectFactory projects;
    private final Supplier<String> publicUrl;
    private final ProjectKeys keys;
    private final java.time.Duration rotationWindow;
    private final java.time.Clock clock;
    private final Map<String, byte[]> panelFiles = new HashMap<>();

    RestApi(DeploymentTracker tracker, Authenticator authenticator, HmacTokens devTokens, boolean devLogin,
            ClientLimits loginLimits, CursorSigner cursors, ProjectFactory projects, Supplier<String> publicUrl,
            ProjectKeys keys, java.time.Duration rotationWindow, java.time.Clock clock) {
        this.tracker = tracker;
        this.authenticator = authenticator;
        this.devTokens = devTokens;
        this.devLogin = devLogin;
        this.loginLimits = loginLimits;
        this.cursors = cursors;
        this.projects = projects;
        this.publicUrl = publicUrl;
        this.keys = keys;
        this.rotationWindow = rotationWindow;
        this.clock = clock;
        for (String f : List.of("panel.html", "panel.js", "panel.css")) {
            panelFiles.put(f, resource("panel/" + f));
        }
    }

    void install(Javalin app) {
        app.post("/api/login", this::login);
        app.post("/api/projects", this::createProject);
        app.get("/api/projects/{guid}/resources", this::projectResources);
        app.get("/api/users/{userId}/deployments", this::userDeployments);
        app.post("/api/projects/{guid}/notify-key", this::rotateNotifyKey);
        app.get("/projects/{guid}", this::panelPage);
        app.get("/panel/panel.js", ctx -> staticFile(ctx, "panel.js", "text/javascript; charset=utf-8"));
        app.get("/panel/panel.css", ctx -> staticFile(ctx, "panel.css", "text/css; charset=utf-8"));
    }

    boolean isOwner(String user, ProjectGuid guid) {
        return tracker.get(user, guid.value()).isPresent();
    }

    private void login(Context ctx) {
        long wait = loginLimits.tryTake(ctx.req().getRemoteAddr());
        if (wait > 0) {
            throw new ApiError(429, "Too many sign-ins from your address; retry in " + wait + " s.", wait);
        }
        if (!devLogin) {
            throw new ApiError(404, "Sign-in by user id is off; this backend uses another sign-in.");
        }
        String userId = ResourceNames.checkUserId(bodyJson(ctx).path("userId").asText(null));
        ObjectNode n = JSON.createObjectNode();
        n.put("token", devTokens.issue(userId));
        n.put("userId", userId);
        n.put("expiresAt", devTokens.expiryOfNewToken().toString());
        Answers.json(ctx, 200, n);
    }

    private void createProject(Context ctx) {
        String user = requireUser(ctx);
        JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : bodyJson(ctx);
        JsonNode name = body.get("name");
        if (name != null && !name.isTextual()) {
            throw new InvalidInputException("name", "The project name must be a string.");
        }
        ProjectFactory.CreatedProject p =
                projects.create(user, name == null ? "Untitled project" : name.asText(), publicUrl.get());
        ObjectNode n = JSON.createObjectNode();
        n.put("guid", p.guid().value());
        n.put("projectName", p.projectName());
        n.put("folder", p.folder().toString());
        n.put("panelUrl", "/projects/" + p.guid().value());
        Answers.json(ctx, 201, n);
    }

    private void projectResources(Context ctx) {
        String user = requireUser(ctx);
        ProjectGuid guid = guidParam(ctx.pathParam("guid"));
        Optional<DeploymentRecord> own = tracker.get(user, guid.value());
        if (own.isEmpty()) {
            // the same answer for another user's project and an unknown GUID: nothing tells which GUIDs exist
            throw new ApiError(404, "You have no project " + guid.value() + ".");
        }
        ObjectNode n = JSON.createObjectNode();
        n.set("resources", recordJson(own.get()));
        Answers.json(ctx, 200, n);
    }

    /**
     * Rotates the project's notify secret: the next key id becomes current, the previous one stays accepted for the
     * rotation window, and the project's {@code notify.sh} is rendered again with the new secret (when its folder
     * is on this instance).
     */
    private void rotateNotifyKey(Context ctx) {
        String user = requireUser(ctx);
        ProjectGuid guid = guidParam(ctx.pathParam("guid"));
        if (tracker.get(user, guid.value()).isEmpty()) {
            throw new ApiError(404, "You have no project " + guid.value() + ".");
        }
        if (keys == null) {
            throw new ApiError(404, "This backend keeps no notify keys table, so secrets cannot be rotated.");
        }
        ProjectKeys.State s = keys.rotate(guid, rotationWindow, clock.instant());
        ObjectNode n = JSON.createObjectNode();
        n.put("keyId", s.current());
        n.put("previousKeyId", s.previous());
        n.put("previousAcceptedUntil", s.previousUntil().toString());
        n.put("notifyShRewritten", projects.renderNotifySh(guid, s.current(), publicUrl.get()).isPresent());
        Answers.json(ctx, 200, n);
    }

    private void userDeployments(Context ctx) {
        String user = requireUser(ctx);
        String userId = ctx.pathParam("userId");
        if (!user.equals(userId)) {
            throw new ApiError(403, "You can list only your own deployments.");
        }
        int limit = DEFAULT_LIMIT;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidInputException("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
            }
        }
        String cursor = null;
        String cursorText = ctx.queryParam("cursor");
        if (cursorText != null && !cursorText.isEmpty()) {
            cursor = cursors.verify(userId, cursorText).orElseThrow(() -> new InvalidInputException("cursor",
                    "The cursor is not one this server issued to you; start again without a cursor."));
        }
        DeploymentTracker.RecordPage page = tracker.listByUser(userId, limit, cursor);
        ObjectNode n = JSON.createObjectNode();
        ArrayNode items = n.putArray("projects");
        page.items().forEach(r -> items.add(recordJson(r)));
        if (page.nextCursor() == null) {
            n.putNull("nextCursor");
        } else {
            n.put("nextCursor", cursors.sign(userId, page.nextCursor()));
        }
        Answers.json(ctx, 200, n);
    }

    private void panelPage(Context ctx) {
        guidParam(ctx.pathParam("guid"));
        ctx.header("Content-Security-Policy", PANEL_CSP);
        ctx.contentType("text/html; charset=utf-8").result(panelFiles.get("panel.html"));
    }

    private void staticFile(Context ctx, String name, String type) {
        ctx.header("Content-Security-Policy", PANEL_CSP);
        ctx.contentType(type).result(panelFiles.get(name));
    }

    private String requireUser(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiError(401, "Sign in first: send Authorization: Bearer <token>.");
        }
        return authenticator.authenticate(h.substring(7).trim()).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new ApiError(401, "The token is invalid or expired; sign in again.");
        });
    }

    private static ProjectGuid guidParam(String text) {
        try {
            return ProjectGuid.parse(text);
        } catch (InvalidGuidException e) {
            throw new InvalidInputException("guid", e.getMessage(), e);
        }
    }

    private static JsonNode bodyJson(Context ctx) {
        try {
            JsonNode n = JSON.readTree(ctx.bodyAsBytes());
            if (n == null || !n.isObject()) {
                throw new InvalidInputException("body", "The request body must be a JSON object.");
            }
            return n;
        } catch (IOException e) {
            throw new InvalidInputException("body", "The request body is not valid JSON.");
        }
    }

    static ObjectNode recordJson(DeploymentRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("userId", r.userId());
        n.put("projectId", r.projectId());
        n.put("projectName", r.projectName());
        n.set("awsResources", JSON.valueToTree(r.awsResources().asMap()));
        n.put("createdAt", r.createdAt());
        n.put("updatedAt", r.updatedAt());
        if (r.status().isPresent()) {
            n.put("status", r.status().get().name());
        } else {
            n.putNull("status");
        }
        if (r.lastError().isPresent()) {
            n.put("lastError", r.lastError().get());
        } else {
            n.putNull("lastError");
        }
        return n;
    }

    private static byte[] resource(String name) {
        try (InputStream in = RestApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
