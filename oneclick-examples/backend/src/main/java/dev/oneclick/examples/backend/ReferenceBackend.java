package dev.oneclick.examples.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.notify.NotifyReceiver;
import dev.oneclick.notify.NotifyResponse;
import dev.oneclick.notify.NotifySecrets;
import dev.oneclick.notify.ProjectRegistry;
import dev.oneclick.notify.ResourcesStore;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * A reference backend embedding oneclick-core, in the shape of the plan's tmux-builder backend: it creates projects
 * (a GUID, a folder with {@code notify.sh}, the deploy skill and the system prompt), receives their signed events on
 * {@code POST /notify}, stores {@code resources} in the deployments table, pushes events live to the owner's
 * WebSocket and serves the REST API and the resources panel. It binds to 127.0.0.1 only.
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code POST /api/login} {@code {"userId"}} (dev sign-in only) → {@code {"token","userId","expiresAt"}}</li>
 *   <li>{@code POST /api/projects} {@code {"name"}} → 201 {@code {"guid","projectName","folder","panelUrl"}}</li>
 *   <li>{@code GET /api/projects/{guid}/resources} → {@code {"resources": record}} (owner only)</li>
 *   <li>{@code GET /api/users/{userId}/deployments?limit=&cursor=} → {@code {"projects":[...],"nextCursor"}}</li>
 *   <li>{@code POST /notify} → the core's notify receiver</li>
 *   <li>WebSocket {@code /ws/projects/{guid}}: token as {@code ?token=} or in a first message
 *       {@code {"type":"auth","token"}}; only the owner is subscribed</li>
 *   <li>{@code GET /projects/{guid}} → the resources panel (static HTML and JS, strict Content-Security-Policy)</li>
 * </ul>
 *
 * <p>Embed it with {@link #builder()} then {@link #start(int)}; stop it with {@link #close()}. Run it alone with
 * {@link #main(String[])}.
 */
public final class ReferenceBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceBackend.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PANEL_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";
    private static final int MAX_REQUEST = 1024 * 1024;
    private static final int DEFAULT_LIMIT = 25;
    private static final int MAX_LIMIT = 100;
    private static final Duration WS_AUTH_TIMEOUT = Duration.ofSeconds(10);
    /** WebSocket close code 1008: the endpoint refuses a message that violates its policy. */
    static final int POLICY_VIOLATION = 1008;
    private static final String ATTR_USER = "oneclick.user";

    private final DeploymentTracker tracker;
    private final byte[] masterKey;
    private final Path projectsRoot;
    private final Authenticator authenticator;
    private final HmacTokens devTokens;
    private final boolean devLogin;
    private final String configuredPublicUrl;
    private final boolean createTable;
    private final CursorSigner cursors;
    private final WebSocketHub hub;
    private final Map<String, byte[]> panelFiles = new HashMap<>();
    private final Clock clock;
    private NotifyReceiver receiver;
    private ProjectFactory projects;
    private Javalin app;
    private String publicUrl;
    private ScheduledExecutorService timers;

    private ReferenceBackend(Builder b) {
        this.tracker = DeploymentTracker.builder().dynamoDbClient(Objects.requireNonNull(b.dynamoDbClient,
                "dynamoDbClient")).tableName(b.tableName).build();
        this.masterKey = NotifySecrets.checkMasterKey(b.masterKey);
        this.projectsRoot = Objects.requireNonNull(b.projectsRoot, "projectsRoot").toAbsolutePath().normalize();
        this.clock = b.clock;
        this.hub = new WebSocketHub(clock);
        this.devTokens = new HmacTokens(HmacTokens.Hmac.sha256(masterKey, "oneclick-backend:tokens"), b.tokenTtl,
                clock);
        this.authenticator = b.authenticator == null ? devTokens : b.authenticator;
        this.devLogin = b.devLogin && b.authenticator == null;
        this.configuredPublicUrl = b.publicUrl;
        this.createTable = b.createTable;
        this.cursors = new CursorSigner(HmacTokens.Hmac.sha256(masterKey, "oneclick-backend:cursors"));
        for (String f : List.of("panel.html", "panel.js", "panel.css")) {
            panelFiles.put(f, resource("panel/" + f));
        }
    }

    /** A builder; {@code dynamoDbClient}, {@code masterKey} and {@code projectsRoot} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates the deployments table when absent and starts serving on 127.0.0.1.
     *
     * @param port the port, or 0 for a free one (see {@link #port()})
     * @return this backend
     */
    public synchronized ReferenceBackend start(int port) {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        try {
            Files.createDirectories(projectsRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the projects folder " + projectsRoot, e);
        }
        if (createTable) {
            tracker.ensureTable();
        }
        // the project's tracker record, written when the project is created, is what registers its owner
        receiver = NotifyReceiver.builder().masterKey(masterKey).registry(ProjectRegistry.tracker(tracker))
                .store(ResourcesStore.tracker(tracker)).subscribers(hub).clock(clock).build();
        projects = new ProjectFactory(projectsRoot, masterKey, tracker);
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oneclick-ws-auth-timeout");
            t.setDaemon(true);
            return t;
        });
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_REQUEST;
            config.jetty.modifyWebSocketServletFactory(f -> f.setIdleTimeout(Duration.ofMinutes(30)));
        });
        routes(app);
        app.start("127.0.0.1", port);
        publicUrl = configuredPublicUrl != null ? configuredPublicUrl : "http://127.0.0.1:" + app.port();
        LOG.info("oneclick reference backend on http://127.0.0.1:{} (projects in {}, table {}, notify URL {})",
                app.port(), projectsRoot, tracker.tableName(), publicUrl);
        return this;
    }

    /** The port the server listens on. */
    public int port() {
        requireStarted();
        return app.port();
    }

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Stops the server; the DynamoDB client stays open (its owner closes it). */
    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
            app = null;
        }
        if (timers != null) {
            timers.shutdownNow();
            timers = null;
        }
    }

    private void requireStarted() {
        if (app == null) {
            throw new IllegalStateException("not started");
        }
    }

    // ---------------------------------------------------------------- routes

    private void routes(Javalin app) {
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Cache-Control", "no-store");
        });
        app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(InvalidInputException.class, (e, ctx) -> {
            ObjectNode n = JSON.createObjectNode().put("error", e.getMessage());
            if (e.field() != null) {
                n.put("field", e.field());
            }
            ctx.status(400).contentType("application/json").result(n.toString());
        });
        app.exception(TrackerException.class, (e, ctx) -> {
            LOG.warn("deployments table unavailable: {}", e.getMessage());
            error(ctx, 503, "The deployments table is unavailable; retry shortly.");
        });
        app.exception(OneclickException.class, (e, ctx) -> error(ctx, 500, e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "Internal error.");
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, 404, "Not found.");
            }
        });

        app.post("/api/login", this::login);
        app.post("/api/projects", this::createProject);
        app.get("/api/projects/{guid}/resources", this::projectResources);
        app.get("/api/users/{userId}/deployments", this::userDeployments);
        app.post("/notify", this::notifyEvent);
        app.get("/projects/{guid}", this::panelPage);
        app.get("/panel/panel.js", ctx -> staticFile(ctx, "panel.js", "text/javascript; charset=utf-8"));
        app.get("/panel/panel.css", ctx -> staticFile(ctx, "panel.css", "text/css; charset=utf-8"));

        app.wsBeforeUpgrade("/ws/projects/{guid}", ctx -> {
            ProjectGuid guid = guidParam(ctx.pathParam("guid"));
            String token = ctx.queryParam("token");
            if (token != null) {
                String user = authenticator.authenticate(token)
                        .orElseThrow(() -> new ApiError(401, "The token is invalid or expired; sign in again."));
                if (!isOwner(user, guid)) {
                    throw new ApiError(403, "Only the project's owner may follow its events.");
                }
                ctx.attribute(ATTR_USER, user);
            }
        });
        app.ws("/ws/projects/{guid}", ws -> {
            ws.onConnect(ctx -> {
                ProjectGuid guid = ProjectGuid.parse(ctx.pathParam("guid"));
                String user = ctx.attribute(ATTR_USER);
                if (user != null) {
                    subscribe(ctx, guid, user);
                } else {
                    timers.schedule(() -> {
                        if (ctx.attribute(ATTR_USER) == null && ctx.session.isOpen()) {
                            ctx.closeSession(POLICY_VIOLATION, "no token");
                        }
                    }, WS_AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
            ws.onMessage(ctx -> {
                if (ctx.attribute(ATTR_USER) != null) {
                    return; // subscribed sessions only listen
                }
                ProjectGuid guid = ProjectGuid.parse(ctx.pathParam("guid"));
                String token = null;
                try {
                    JsonNode msg = JSON.readTree(ctx.message());
                    if (msg != null && "auth".equals(msg.path("type").asText()) && msg.path("token").isTextual()) {
                        token = msg.get("token").asText();
                    }
                } catch (IOException e) {
                    token = null;
                }
                Optional<String> user = token == null ? Optional.empty() : authenticator.authenticate(token);
                if (user.isEmpty()) {
                    ctx.closeSession(POLICY_VIOLATION, "invalid token");
                } else if (!isOwnerQuietly(user.get(), guid)) {
                    ctx.closeSession(POLICY_VIOLATION, "not the project's owner");
                } else {
                    subscribe(ctx, guid, user.get());
                }
            });
            ws.onClose(hub::unsubscribe);
            ws.onError(hub::unsubscribe);
        });
    }

    private void subscribe(WsContext ctx, ProjectGuid guid, String user) {
        ctx.attribute(ATTR_USER, user);
        hub.subscribe(guid, user, ctx);
        WebSocketHub.send(ctx, JSON.createObjectNode().put("type", "subscribed").put("guid", guid.value()).toString());
    }

    private void login(Context ctx) {
        if (!devLogin) {
            throw new ApiError(404, "Sign-in by user id is off; this backend uses another sign-in.");
        }
        String userId = ResourceNames.checkUserId(bodyJson(ctx).path("userId").asText(null));
        ObjectNode n = JSON.createObjectNode();
        n.put("token", devTokens.issue(userId));
        n.put("userId", userId);
        n.put("expiresAt", devTokens.expiryOfNewToken().toString());
        json(ctx, 200, n);
    }

    private void createProject(Context ctx) {
        String user = requireUser(ctx);
        JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : bodyJson(ctx);
        JsonNode name = body.get("name");
        if (name != null && !name.isTextual()) {
            throw new InvalidInputException("name", "The project name must be a string.");
        }
        ProjectFactory.CreatedProject p =
                projects.create(user, name == null ? "Untitled project" : name.asText(), publicUrl);
        ObjectNode n = JSON.createObjectNode();
        n.put("guid", p.guid().value());
        n.put("projectName", p.projectName());
        n.put("folder", p.folder().toString());
        n.put("panelUrl", "/projects/" + p.guid().value());
        json(ctx, 201, n);
    }

    private void projectResources(Context ctx) {
        String user = requireUser(ctx);
        ProjectGuid guid = guidParam(ctx.pathParam("guid"));
        Optional<DeploymentRecord> own = tracker.get(user, guid.value());
        if (own.isEmpty()) {
            if (tracker.findByProjectId(guid.value()).isPresent()) {
                throw new ApiError(403, "This project belongs to another user.");
            }
            throw new ApiError(404, "No project " + guid.value() + ".");
        }
        ObjectNode n = JSON.createObjectNode();
        n.set("resources", recordJson(own.get()));
        json(ctx, 200, n);
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
        json(ctx, 200, n);
    }

    private void notifyEvent(Context ctx) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, Collections.list(ctx.req().getHeaders(name)));
        }
        // read one byte past the receiver's limit and no more: a larger body gets the receiver's 413 and reason
        // (not the server's plain-text one), and an unsigned request never makes the server buffer a megabyte
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(NotifyReceiver.MAX_BODY_BYTES + 1);
        }
        NotifyResponse r = receiver.handle(headers, body);
        ctx.status(r.status()).contentType(NotifyResponse.CONTENT_TYPE).result(r.jsonBody());
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

    // ---------------------------------------------------------------- helpers

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

    private boolean isOwner(String user, ProjectGuid guid) {
        return tracker.get(user, guid.value()).isPresent();
    }

    private boolean isOwnerQuietly(String user, ProjectGuid guid) {
        try {
            return isOwner(user, guid);
        } catch (RuntimeException e) {
            LOG.warn("cannot check the owner of {}: {}", guid, e.getMessage());
            return false;
        }
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

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.header("Content-Security-Policy", API_CSP);
        ctx.status(status).contentType("application/json").result(body.toString());
    }

    private static void error(Context ctx, int status, String message) {
        json(ctx, status, JSON.createObjectNode().put("error", message));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ReferenceBackend.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- main

    /**
     * Runs the backend until it is stopped. Settings come from {@code --name=value} arguments or environment
     * variables: {@code --port} / {@code ONECLICK_PORT} (default 8082), {@code --dynamodb-endpoint} /
     * {@code ONECLICK_DYNAMODB_ENDPOINT} (default: AWS), {@code --region} / {@code AWS_REGION} (default us-east-1),
     * {@code --table} / {@code ONECLICK_TABLE} (default tmux-deployments), {@code --master-key} /
     * {@code ONECLICK_MASTER_KEY} (required, at least 32 characters), {@code --projects-root} /
     * {@code ONECLICK_PROJECTS_ROOT} (required), {@code --public-url} / {@code ONECLICK_PUBLIC_URL} (the URL
     * rendered into notify.sh), {@code --dev-login} / {@code ONECLICK_DEV_LOGIN} (true enables sign-in by user id).
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + a + "; use --name=value");
            }
            int eq = a.indexOf('=');
            opts.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        String masterKey = setting(opts, "master-key", "ONECLICK_MASTER_KEY", null);
        String root = setting(opts, "projects-root", "ONECLICK_PROJECTS_ROOT", null);
        if (masterKey == null || root == null) {
            throw new IllegalArgumentException("set ONECLICK_MASTER_KEY (at least 32 random characters, e.g. "
                    + "`openssl rand -hex 32`) and ONECLICK_PROJECTS_ROOT (a folder for project folders)");
        }
        int port = Integer.parseInt(setting(opts, "port", "ONECLICK_PORT", "8082"));
        String endpoint = setting(opts, "dynamodb-endpoint", "ONECLICK_DYNAMODB_ENDPOINT", null);
        String region = setting(opts, "region", "AWS_REGION", "us-east-1");
        DynamoDbClientBuilder db = DynamoDbClient.builder().region(Region.of(region))
                .overrideConfiguration(o -> o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
                        .apiCallTimeout(Duration.ofSeconds(10)));
        if (endpoint != null) {
            db.endpointOverride(URI.create(endpoint));
            if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
                db.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            }
        } else {
            db.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        DynamoDbClient client = db.build();
        ReferenceBackend backend = builder().dynamoDbClient(client)
                .tableName(setting(opts, "table", "ONECLICK_TABLE", DeploymentTracker.DEFAULT_TABLE))
                .masterKey(masterKey).projectsRoot(Path.of(root))
                .publicUrl(setting(opts, "public-url", "ONECLICK_PUBLIC_URL", null))
                .devLogin(Boolean.parseBoolean(setting(opts, "dev-login", "ONECLICK_DEV_LOGIN", "false")))
                .build().start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backend.close();
            client.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String setting(Map<String, String> opts, String arg, String env, String fallback) {
        String v = opts.get(arg);
        if (v == null) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    /** Builds a {@link ReferenceBackend}. Not thread-safe. */
    public static final class Builder {
        private DynamoDbClient dynamoDbClient;
        private String tableName = DeploymentTracker.DEFAULT_TABLE;
        private byte[] masterKey;
        private Path projectsRoot;
        private Authenticator authenticator;
        private boolean devLogin;
        private String publicUrl;
        private boolean createTable = true;
        private Clock clock = Clock.systemUTC();
        private Duration tokenTtl = Duration.ofHours(12);

        private Builder() {
        }

        /** The DynamoDB client of the deployments table (the caller closes it). */
        public Builder dynamoDbClient(DynamoDbClient v) {
            this.dynamoDbClient = v;
            return this;
        }

        /** The deployments table; default {@code tmux-deployments}. */
        public Builder tableName(String v) {
            this.tableName = v;
            return this;
        }

        /** The master key the project secrets, tokens and cursors derive from; at least 32 bytes. */
        public Builder masterKey(byte[] v) {
            this.masterKey = v.clone();
            return this;
        }

        /** The master key as text (its UTF-8 bytes); at least 32 characters. */
        public Builder masterKey(String v) {
            return masterKey(v.getBytes(StandardCharsets.UTF_8));
        }

        /** The folder that receives one folder per project. */
        public Builder projectsRoot(Path v) {
            this.projectsRoot = v;
            return this;
        }

        /** Replaces the example's token sign-in (and turns {@code /api/login} off). */
        public Builder authenticator(Authenticator v) {
            this.authenticator = v;
            return this;
        }

        /** Enables {@code POST /api/login {"userId"}}, which signs anybody in: for development only. */
        public Builder devLogin(boolean v) {
            this.devLogin = v;
            return this;
        }

        /** The server URL rendered into notify.sh; default {@code http://127.0.0.1:<port>}. */
        public Builder publicUrl(String v) {
            this.publicUrl = v == null ? null : checkUrl(v.replaceAll("/+$", ""));
            return this;
        }

        /** Whether {@link #start(int)} creates the table when absent (default true). */
        public Builder createTable(boolean v) {
            this.createTable = v;
            return this;
        }

        /** The clock of tokens, the signature window and event times; default the system UTC clock. */
        public Builder clock(Clock v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** How long a dev sign-in token stays valid; default 12 hours. */
        public Builder tokenTtl(Duration v) {
            this.tokenTtl = Objects.requireNonNull(v, "tokenTtl");
            return this;
        }

        /**
         * @throws dev.oneclick.errors.InvalidInputException (field {@code masterKey}) for a key shorter than 32 bytes
         * @throws NullPointerException when the DynamoDB client or the projects root is missing
         */
        public ReferenceBackend build() {
            return new ReferenceBackend(this);
        }

        private static String checkUrl(String v) {
            if (!v.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+(/[A-Za-z0-9._~\\-/]*)?")) {
                throw new InvalidInputException("publicUrl", "The public URL '" + v + "' must be http:// or "
                        + "https:// with a host, an optional port and a plain path, like https://builder.example.com.");
            }
            return v;
        }
    }
}
