package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyReceiver;
import dev.oneclick.notify.NotifyResponse;
import dev.oneclick.notify.NotifySecrets;
import dev.oneclick.notify.ProjectOwner;
import dev.oneclick.resources.AwsResources;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sender against the core's real {@link NotifyReceiver} (what the reference backend mounts on {@code /notify})
 * for a project whose secret was rotated to key id 2: the receiver accepts only key id 2, as the backend does once
 * the rotation window of key 1 ended. Also the backend's answer to an event id it already processed, 409
 * {@code duplicate}, which counts as delivered.
 */
class NotifySenderRotationTest {
    private static final byte[] MASTER_KEY = "test-master-key-0123456789abcdef0123456789abcdef"
            .getBytes(StandardCharsets.UTF_8);
    private static final ProjectGuid GUID = ProjectGuid.parse("3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab");

    private HttpServer server;
    private final List<AwsResources> stored = new CopyOnWriteArrayList<>();
    private final List<String> signatures = new CopyOnWriteArrayList<>();

    private String startReceiver() throws Exception {
        NotifyReceiver receiver = NotifyReceiver.builder().masterKey(MASTER_KEY)
                .registry(g -> g.equals(GUID) ? Optional.of(new ProjectOwner("alice", "Rotated")) : Optional.empty())
                .store((owner, g, resources) -> stored.add(resources))
                .keys((g, keyId, now) -> keyId == 2)
                .build();
        return start(exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            signatures.add(exchange.getRequestHeaders().getFirst("X-Oneclick-Signature"));
            NotifyResponse r = receiver.handle(Map.copyOf(exchange.getRequestHeaders()), body);
            reply(exchange, r.status(), r.jsonBody());
        });
    }

    private String start(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/notify", handler);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String json)
            throws java.io.IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void sendResources_whenSecretRotatedToKeyId2_signsWithKid2AndIsStored() throws Exception {
        String url = startReceiver();
        String secret2 = NotifySecrets.forProject(MASTER_KEY, GUID, 2);
        AwsResources res = AwsResources.builder().s3Bucket("tmux-builder-" + GUID.value()).build();

        int code = new NotifySender(url, secret2, 2, 3, Duration.ofMillis(10)).sendResources(GUID.value(), res);

        assertEquals(200, code);
        assertEquals(List.of(res), stored);
        assertTrue(signatures.get(0).endsWith(";kid=2"), signatures.get(0));
    }

    @Test
    void sendResources_whenKeyId1AfterTheRotation_isRefusedOnceNamingTheSecretAndNothingStored() throws Exception {
        String url = startReceiver();
        String secret1 = NotifySecrets.forProject(MASTER_KEY, GUID, 1);
        NotifySender sender = new NotifySender(url, secret1, 1, 3, Duration.ofMillis(10));

        OneclickException e = assertThrows(OneclickException.class,
                () -> sender.sendResources(GUID.value(), AwsResources.empty()));

        assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("key id 1 is not accepted"),
                e.getMessage());
        assertTrue(stored.isEmpty());
        assertEquals(1, signatures.size(), "a refused key was retried");
    }

    @Test
    void sendResources_whenSecretOfKey2SentAsKey1_isRefused() throws Exception {
        String url = startReceiver();
        String secret2 = NotifySecrets.forProject(MASTER_KEY, GUID, 2);
        NotifySender sender = new NotifySender(url, secret2, 1, 3, Duration.ofMillis(10));
        assertThrows(OneclickException.class, () -> sender.sendResources(GUID.value(), AwsResources.empty()));
        assertTrue(stored.isEmpty());
    }

    @Test
    void sendResources_whenServerAnswers409Duplicate_countsAsDeliveredWithoutRetry() throws Exception {
        String url = start(exchange -> {
            exchange.getRequestBody().readAllBytes();
            signatures.add(exchange.getRequestHeaders().getFirst("X-Oneclick-Signature"));
            reply(exchange, 409, "{\"error\":\"duplicate\",\"message\":\"already processed\"}");
        });
        String secret = NotifySecrets.forProject(MASTER_KEY, GUID, 1);
        int code = new NotifySender(url, secret, 3, Duration.ofMillis(10)).sendResources(GUID.value(),
                AwsResources.empty());
        assertEquals(409, code);
        assertEquals(1, signatures.size());
        assertTrue(signatures.get(0).endsWith(";kid=1"), signatures.get(0));
    }

    @Test
    void sendResources_whenServerAnswers409ForAnotherReason_failsWithoutRetry() throws Exception {
        String url = start(exchange -> {
            exchange.getRequestBody().readAllBytes();
            signatures.add("x");
            reply(exchange, 409, "{\"error\":\"the project is being deleted\"}");
        });
        NotifySender sender = new NotifySender(url, NotifySecrets.forProject(MASTER_KEY, GUID, 1), 3,
                Duration.ofMillis(10));
        OneclickException e = assertThrows(OneclickException.class,
                () -> sender.sendResources(GUID.value(), AwsResources.empty()));
        assertTrue(e.getMessage().contains("HTTP 409"), e.getMessage());
        assertEquals(1, signatures.size());
    }
}
