package dev.oneclick.examples.backend;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.notify.NotifyReceiver;
import dev.oneclick.notify.NotifySecrets;
import dev.oneclick.notify.ProjectRegistry;
import dev.oneclick.notify.ReplayGuard;
import dev.oneclick.notify.ResourcesStore;
import dev.oneclick.tracking.DeploymentTracker;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A reference backend embedding oneclick-core, in the shape of the plan's tmux-builder backend: it creates projects
 * (a GUID, a folder with {@code notify.sh}, the deploy skill and the system prompt), receives their signed events on
 * {@code POST /notify}, stores {@code resources} in the deployments table, pushes events live to the owner's
 * WebSocket and serves the REST API and the resources panel. It binds to 127.0.0.1 only.
 *
 * <p>Endpoints ({@link RestApi}, {@link NotifyEndpoint}, {@link WebSocketEndpoint}):
 * <ul>
 *   <li>{@code POST /api/login} {@code {"userId"}} (dev sign-in only) → {@code {"token","userId","expiresAt"}}</li>
 *   <li>{@code POST /api/projects} {@code {"name"}} → 201 {@code {"guid","projectName","folder","panelUrl"}}</li>
 *   <li>{@code GET /api/projects/{guid}/resources} → {@code {"resources": record}} (owner only; else 404)</li>
 *   <li>{@code GET /api/users/{userId}/deployments?limit=&cursor=} → {@code {"projects":[...],"nextCursor"}}</li>
 *   <li>{@code POST /notify} → the core's notify receiver, behind per-address limits</li>
 *   <li>{@code GET /api/health} → {@code {"status":"ok"}} when the deployments table answers, else 503</li>
 *   <li>WebSocket {@code /ws/projects/{guid}}: the token in a first message {@code {"type":"auth","token"}};
 *       only the owner is subscribed</li>
 *   <li>{@code GET /projects/{guid}} → the resources panel (static HTML and JS, strict Content-Security-Policy)</li>
 * </ul>
 *
 * <p>Slow clients: a request body must arrive within {@link Builder#bodyTimeout} (default 5 s) between reads and
 * at {@link Builder#minRequestDataRate} (default 256 bytes/s; Jetty measures it from the first byte of the body, so a
 * small body the server reads only after a second of queueing could fall short of a higher rate), else 408; an idle connection is closed after 30 s.
 *
 * <p>Embed it with {@link #builder()} then {@link #start(int)}; stop it with {@link #close()}. Run it alone with
 * {@link BackendMain}.
 */
public final class ReferenceBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceBackend.class);
    private static final int MAX_REQUEST = 1024 * 1024;
    private static final Duration CONNECTION_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Builder settings;
    private final DeploymentTracker tracker;
    private final byte[] masterKey;
    private final Path projectsRoot;
    private final Authenticator authenticator;
    private final HmacTokens devTokens;
    private final WebSocketHub hub;
    private Javalin app;
    private String publicUrl;
    private ScheduledExecutorService timers;
    private EventFanOut fanOut;

    private ReferenceBackend(Builder b) {
        this.settings = b;
        this.tracker = DeploymentTracker.builder().dynamoDbClient(Objects.requireNonNull(b.dynamoDbClient,
                "dynamoDbClient")).tableName(b.tableName).build();
        this.masterKey = NotifySecrets.checkMasterKey(b.masterKey);
        this.projectsRoot = Objects.requireNonNull(b.projectsRoot, "projectsRoot").toAbsolutePath().normalize();
        this.hub = new WebSocketHub(b.clock);
        this.devTokens = new HmacTokens(HmacTokens.Hmac.sha256(masterKey, "oneclick-backend:tokens"), b.tokenTtl,
                b.clock);
        this.authenticator = b.authenticator == null ? devTokens : b.authenticator;
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
        if (settings.createTable) {
            tracker.ensureTable();
        }
        Builder b = settings;
        if (b.eventsTable != null) {
            fanOut = new EventFanOut(b.dynamoDbClient, b.eventsTable, hub, b.fanOutInterval, b.fanOutLookback,
                    b.clock);
            if (b.createTable) {
                fanOut.ensureTable();
            }
            fanOut.start();
        }
        NotifyReceiver.Builder receiver = NotifyReceiver.builder().masterKey(masterKey)
                .registry(ProjectRegistry.tracker(tracker)).store(ResourcesStore.tracker(tracker))
                .subscribers(fanOut != null ? fanOut : hub).clock(b.clock);
        if (b.replayGuard != null) {
            receiver.replayGuard(b.replayGuard);
        }
        ProjectKeys keys = b.notifyKeysTable == null ? null : new ProjectKeys(b.dynamoDbClient, b.notifyKeysTable);
        if (keys != null) {
            receiver.keys(keys);
        }
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oneclick-ws-auth-timeout");
            t.setDaemon(true);
            return t;
        });
        RestApi rest = new RestApi(tracker, authenticator, devTokens, b.devLogin && b.authenticator == null,
                new ClientLimits(b.loginRate, Integer.MAX_VALUE),
                new CursorSigner(HmacTokens.Hmac.sha256(masterKey, "oneclick-backend:cursors")),
                new ProjectFactory(projectsRoot, masterKey, tracker), () -> publicUrl, keys, b.rotationWindow,
                b.clock);
        NotifyEndpoint notify = new NotifyEndpoint(receiver.build(),
                new ClientLimits(b.notifyRate, b.notifyInProgressPerAddress), b.notifyInProgress);
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_REQUEST;
            config.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(b.bodyTimeout.toMillis()); // a blocking read of the body waits this long
                http.setMinRequestDataRate(b.minRequestDataRate);
            });
            config.jetty.modifyWebSocketServletFactory(f -> f.setIdleTimeout(Duration.ofMinutes(30)));
        });
        Answers.install(app);
        rest.install(app);
        app.post("/notify", notify::handle);
        app.get("/api/health", this::health);
        new WebSocketEndpoint(authenticator, rest::isOwner, hub, timers).install(app);
        app.start("127.0.0.1", port);
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractConnector ac) {
                ac.setIdleTimeout(CONNECTION_IDLE_TIMEOUT.toMillis());
            }
        }
        publicUrl = b.publicUrl != null ? b.publicUrl : "http://127.0.0.1:" + app.port();
        LOG.info("oneclick reference backend on http://127.0.0.1:{} (projects in {}, table {}, notify URL {})",
                app.port(), projectsRoot, tracker.tableName(), publicUrl);
        return this;
    }

    /** {@code GET /api/health}: 200 when the deployments table answers, else 503 (no sign-in needed). */
    private void health(io.javalin.http.Context ctx) {
        try {
            settings.dynamoDbClient.describeTable(d -> d.tableName(tracker.tableName()));
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new ApiError(503, "The deployments table does not answer; retry shortly.", 5);
        }
        Answers.json(ctx, 200, Answers.JSON.createObjectNode().put("status", "ok"));
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

    /** The live-event hub (for tests in this package). */
    WebSocketHub hub() {
        return hub;
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
        if (fanOut != null) {
            fanOut.close();
            fanOut = null;
        }
    }

    private void requireStarted() {
        if (app == null) {
            throw new IllegalStateException("not started");
        }
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
        private ReplayGuard replayGuard;
        private ClientLimits.Rate notifyRate = new ClientLimits.Rate(120, 600);
        private ClientLimits.Rate loginRate = new ClientLimits.Rate(20, 20);
        private int notifyInProgressPerAddress = 8;
        private int notifyInProgress = 64;
        private Duration bodyTimeout = Duration.ofSeconds(5);
        private long minRequestDataRate = 256;
        private String notifyKeysTable;
        private Duration rotationWindow = Duration.ofHours(24);
        private String eventsTable;
        private Duration fanOutInterval = Duration.ofMillis(250);
        private Duration fanOutLookback = Duration.ofSeconds(3);

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
         * Where processed event ids are kept; default an in-memory guard (one instance, lost on restart). Give
         * {@link DynamoDbReplayGuard} so a restart or a second instance refuses a replay.
         */
        public Builder replayGuard(ReplayGuard v) {
            this.replayGuard = v;
            return this;
        }

        /** Events per client address: {@code burst} at once, refilled at {@code perMinute}; default 120, 600/min. */
        public Builder notifyRate(long burst, long perMinute) {
            this.notifyRate = new ClientLimits.Rate(burst, perMinute);
            return this;
        }

        /** Sign-ins per client address: {@code burst} at once, refilled at {@code perMinute}; default 20, 20/min. */
        public Builder loginRate(long burst, long perMinute) {
            this.loginRate = new ClientLimits.Rate(burst, perMinute);
            return this;
        }

        /** {@code /notify} requests in progress at once: per client address (default 8) and in all (default 64). */
        public Builder notifyInProgress(int perAddress, int total) {
            if (perAddress < 1 || total < 1) {
                throw new InvalidInputException("notifyInProgress", "The limits must be at least 1.");
            }
            this.notifyInProgressPerAddress = perAddress;
            this.notifyInProgress = total;
            return this;
        }

        /**
         * The table of each project's notify key ids (partition key {@code eventKey} (S); the replay table of
         * {@link DynamoDbReplayGuard} serves), which turns on {@code POST /api/projects/{guid}/notify-key} to rotate
         * one project's secret. Default none: every project has key id 1 only.
         */
        public Builder notifyKeysTable(String v) {
            this.notifyKeysTable = v;
            return this;
        }

        /**
         * The DynamoDB table of recent events through which every instance over it shows each accepted event on its
         * own WebSocket sessions ({@link EventFanOut}; created when absent). Default none: an event reaches the
         * sessions of the instance that accepted it only.
         */
        public Builder eventsTable(String v) {
            this.eventsTable = v;
            return this;
        }

        /**
         * How often each instance reads the events table (default 250 ms; 10 ms to 10 s), and how far back each read
         * looks (default 3 s; at least the interval), which bounds the clock skew and put latency tolerated.
         */
        public Builder fanOut(Duration interval, Duration lookback) {
            if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofSeconds(10)) > 0
                    || lookback.compareTo(interval) < 0 || lookback.compareTo(Duration.ofSeconds(50)) > 0) {
                throw new InvalidInputException("fanOut", "The fan-out interval must be 10 ms to 10 s and the "
                        + "lookback from the interval to 50 s (events stay in the table a minute).");
            }
            this.fanOutInterval = interval;
            this.fanOutLookback = lookback;
            return this;
        }

        /** How long the previous key id stays accepted after a rotation; default 24 hours. */
        public Builder rotationWindow(Duration v) {
            this.rotationWindow = Objects.requireNonNull(v, "rotationWindow");
            return this;
        }

        /** How long a blocking read of a request body may wait for data; default 5 seconds. */
        public Builder bodyTimeout(Duration v) {
            this.bodyTimeout = Objects.requireNonNull(v, "bodyTimeout");
            return this;
        }

        /** The slowest a request body may arrive, in bytes per second (0: no minimum); default 256. */
        public Builder minRequestDataRate(long v) {
            this.minRequestDataRate = v;
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
