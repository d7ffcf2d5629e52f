package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.local.Dynalite;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifySecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reference backend on a free 127.0.0.1 port with dynalite as DynamoDB, reached through a {@link TcpProxy} that a
 * test can cut. Offers the HTTP, WebSocket, notify.sh and raw DynamoDB calls the tests make.
 */
final class BackendHarness implements AutoCloseable {
    static final String MASTER_KEY = "test-master-key-0123456789abcdef0123456789abcdef";
    static final String TABLE = "tmux-deployments";
    static final ObjectMapper JSON = new ObjectMapper();

    final Dynalite dynalite;
    final TcpProxy proxy;
    final DynamoDbClient backendDb;
    final DynamoDbClient directDb;
    final ReferenceBackend backend;
    final Path projectsRoot;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ReferenceBackend> others = new ArrayList<>();

    /** A created project. */
    record Project(ProjectGuid guid, Path folder, String userId, String name) {
    }

    BackendHarness() throws IOException {
        this(b -> b);
    }

    /** A harness whose backend's builder {@code settings} may change (limits, replay guard, authenticator). */
    BackendHarness(java.util.function.UnaryOperator<ReferenceBackend.Builder> settings) throws IOException {
        this((b, db) -> settings.apply(b));
    }

    /** The same, with the backend's DynamoDB client at hand (for a replay guard over the same dynalite). */
    BackendHarness(java.util.function.BiFunction<ReferenceBackend.Builder, DynamoDbClient, ReferenceBackend.Builder>
            settings) throws IOException {
        StaticCredentialsProvider creds =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        dynalite = ownDynalite(creds);
        proxy = new TcpProxy(dynalite.endpoint());
        backendDb = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(creds)
                .endpointOverride(proxy.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(3).build()).apiCallTimeout(Duration.ofSeconds(5)))
                .build();
        directDb = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(creds)
                .endpointOverride(dynalite.endpoint()).build();
        projectsRoot = Files.createTempDirectory("oneclick-projects");
        backend = settings.apply(ReferenceBackend.builder().dynamoDbClient(backendDb).tableName(TABLE)
                .masterKey(MASTER_KEY).projectsRoot(projectsRoot).devLogin(true), backendDb).build().start(0);
    }

    /**
     * A dynalite that is really this test's: fresh (no tables) and still running a moment after it answered. Guards
     * against a race on a shared machine where another process takes the free port first, our node exits with
     * EADDRINUSE, and the readiness probe was answered by the other process's server.
     */
    private static Dynalite ownDynalite(StaticCredentialsProvider creds) {
        for (int attempt = 1; ; attempt++) {
            Dynalite d = Dynalite.start();
            boolean fresh;
            try (DynamoDbClient probe = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(creds)
                    .endpointOverride(d.endpoint()).build()) {
                Thread.sleep(1000);
                fresh = d.isRunning() && probe.listTables().tableNames().isEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                d.close();
                throw new IllegalStateException(e);
            } catch (RuntimeException e) {
                fresh = false;
            }
            if (fresh) {
                return d;
            }
            d.close();
            if (attempt == 3) {
                throw new IllegalStateException("could not start a dynalite of our own on a free port in 3 attempts");
            }
        }
    }

    String url(String path) {
        return backend.url() + path;
    }

    /**
     * Starts another backend instance over the same table and master key (its own projects folder), as a restart
     * or a second instance would; closed with the harness.
     */
    ReferenceBackend startAnother(java.util.function.UnaryOperator<ReferenceBackend.Builder> settings)
            throws IOException {
        return startAnother(settings, 0);
    }

    /** The same, on {@code port} (0: a free one), as a restart on the address notify.sh knows would be. */
    ReferenceBackend startAnother(java.util.function.UnaryOperator<ReferenceBackend.Builder> settings, int port)
            throws IOException {
        ReferenceBackend b = settings.apply(ReferenceBackend.builder().dynamoDbClient(backendDb).tableName(TABLE)
                .masterKey(MASTER_KEY).projectsRoot(Files.createTempDirectory("oneclick-projects")).devLogin(true))
                .build().start(port);
        others.add(b);
        return b;
    }

    /** POSTs a body with the given headers to another instance's /notify. */
    HttpResponse<String> notifyRawTo(ReferenceBackend target, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.url() + "/notify"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    /** GETs a path of another instance. */
    HttpResponse<String> getFrom(ReferenceBackend target, String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(target.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    // ---------------------------------------------------------------- REST

    String login(String userId) {
        HttpResponse<String> r = post("/api/login", null, "{\"userId\":\"" + userId + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("token").asText();
    }

    Project createProject(String token, String name) {
        HttpResponse<String> r = post("/api/projects", token, JSON.createObjectNode().put("name", name).toString());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode n = json(r);
        return new Project(ProjectGuid.parse(n.get("guid").asText()), Path.of(n.get("folder").asText()), null, name);
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    HttpResponse<String> post(String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(r.body(), e);
        }
    }

    // ---------------------------------------------------------------- notify

    /** The secret rendered into the project's notify.sh. */
    static String secret(ProjectGuid guid) {
        return NotifySecrets.forProject(MASTER_KEY.getBytes(StandardCharsets.UTF_8), guid);
    }

    /** The signature notify.sh sends: hex HMAC-SHA256 over "<ts>.<body>" keyed with the project secret. */
    static String sign(String secret, long ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String statusEvent(ProjectGuid guid, String type, String message) {
        return JSON.createObjectNode().put("id", UUID.randomUUID().toString()).put("guid", guid.value())
                .put("type", type).put("message", message).toString();
    }

    static String resourcesEvent(ProjectGuid guid, String dataJson) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"guid\":\"" + guid.value()
                + "\",\"type\":\"resources\",\"data\":" + dataJson + "}";
    }

    /** POSTs a body to /notify signed with the project's secret, timestamp now. */
    HttpResponse<String> notifySigned(ProjectGuid signingGuid, String body) {
        return notifyRaw(body.getBytes(StandardCharsets.UTF_8), signedHeaders(secret(signingGuid),
                Instant.now().getEpochSecond(), body.getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, String> signedHeaders(String secret, long ts, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Oneclick-Timestamp", Long.toString(ts));
        h.put("X-Oneclick-Signature", sign(secret, ts, body));
        return h;
    }

    HttpResponse<String> notifyRaw(byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/notify"))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    /** Runs the project's rendered notify.sh with bash (and its curl); returns exit code and stderr. */
    ScriptResult runNotifySh(Project p, String... args) {
        return runNotifySh(p, Map.of(), args);
    }

    /** The same, with environment variables for the script ({@code NOTIFY_EVENT_ID}, {@code NOTIFY_DEBUG}, ...). */
    ScriptResult runNotifySh(Project p, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", p.folder().resolve("notify.sh").toString()));
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(p.folder().toFile());
            pb.environment().putAll(env);
            Process proc = pb.start();
            proc.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(proc.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(proc.getErrorStream()));
            assertTrue(proc.waitFor(90, TimeUnit.SECONDS), "notify.sh did not finish");
            return new ScriptResult(proc.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record ScriptResult(int exitCode, String stdout, String stderr) {
    }

    static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    // ---------------------------------------------------------------- DynamoDB

    /** The raw item as DynamoDB holds it (read past the proxy), or an empty map. */
    Map<String, AttributeValue> rawItem(String userId, ProjectGuid guid) {
        var r = directDb.getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of(
                "userId", AttributeValue.fromS(userId), "projectId", AttributeValue.fromS(guid.value()))));
        return r.hasItem() ? r.item() : Map.of();
    }

    int tableItemCount() {
        return directDb.scan(b -> b.tableName(TABLE)).count();
    }

    // ---------------------------------------------------------------- WebSocket

    /** A WebSocket client that collects what the server sends. */
    static final class WsClient implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete("error " + error);
        }

        JsonNode next(Duration timeout) {
            try {
                String m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(m, "no WebSocket message within " + timeout);
                return JSON.readTree(m);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }

    /** Opens the project's WebSocket, sends the token in a first message and waits for the subscription. */
    WsClient subscribe(ProjectGuid guid, String token) {
        return subscribe(backend, guid, token);
    }

    /** The same, on another instance. */
    WsClient subscribe(ReferenceBackend target, ProjectGuid guid, String token) {
        WsClient c = openWs(target, guid, null);
        c.socket.sendText(JSON.createObjectNode().put("type", "auth").put("token", token).toString(), true).join();
        JsonNode first = c.next(Duration.ofSeconds(10));
        assertEquals("subscribed", first.path("type").asText(), first.toString());
        return c;
    }

    /** Opens the project's WebSocket (with ?token= when given); fails with the handshake error if refused. */
    WsClient openWs(ProjectGuid guid, String queryToken) {
        return openWs(backend, guid, queryToken);
    }

    WsClient openWs(ReferenceBackend target, ProjectGuid guid, String queryToken) {
        WsClient c = new WsClient();
        String uri = "ws://127.0.0.1:" + target.port() + "/ws/projects/" + guid.value()
                + (queryToken == null ? "" : "?token=" + queryToken);
        c.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(uri), c).join();
        return c;
    }

    /**
     * Proves that nothing reached the WebSocket: sends a valid status event and checks that it is the very next
     * message (anything broadcast earlier would come first).
     */
    void assertNothingBroadcast(WsClient ws, ProjectGuid guid) {
        String marker = "marker-" + UUID.randomUUID();
        HttpResponse<String> r = notifySigned(guid, statusEvent(guid, "status", marker));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode next = ws.next(Duration.ofSeconds(10));
        assertEquals(marker, next.path("message").asText(), "something was broadcast before the marker: " + next);
    }

    @Override
    public void close() {
        others.forEach(ReferenceBackend::close);
        backend.close();
        backendDb.close();
        directDb.close();
        proxy.close();
        dynalite.close();
    }
}
