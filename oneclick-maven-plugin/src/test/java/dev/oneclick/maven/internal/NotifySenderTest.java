package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.notify.NotifySignature;
import dev.oneclick.resources.AwsResources;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The resources event against a real local HTTP server that checks the signature as a backend does. */
class NotifySenderTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    /** Starts a server answering {@code statuses} in turn (the last one repeats), verifying each signature. */
    private String start(int... statuses) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/notify", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long ts = Long.parseLong(exchange.getRequestHeaders().getFirst(NotifySignature.TIMESTAMP_HEADER));
            String sig = exchange.getRequestHeaders().getFirst(NotifySignature.SIGNATURE_HEADER);
            int n = calls.getAndIncrement();
            int status = NotifySignature.verify(SECRET, ts, body, sig) ? statuses[Math.min(n, statuses.length - 1)]
                    : 401;
            bodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void sendResources_whenServerAccepts_postsSignedResourcesEvent() throws Exception {
        String url = start(200);
        AwsResources res = AwsResources.builder().s3Bucket("tmux-builder-" + GUID).siteUrl("https://d1.example").build();
        int code = new NotifySender(url, SECRET, 3, Duration.ofMillis(10)).sendResources(GUID, res);
        assertEquals(200, code);
        assertEquals(1, bodies.size());
        JsonNode event = new ObjectMapper().readTree(bodies.get(0));
        assertEquals(GUID, event.get("guid").asText());
        assertEquals("resources", event.get("type").asText());
        assertEquals("tmux-builder-" + GUID, event.get("data").get("s3Bucket").asText());
        assertTrue(event.get("id").asText().matches("[0-9a-f-]{36}"));
    }

    @Test
    void sendResources_whenServerFailsThenAccepts_retriesWithSameEventId() throws Exception {
        String url = start(503, 502, 201);
        int code = new NotifySender(url, SECRET, 3, Duration.ofMillis(10)).sendResources(GUID, AwsResources.empty());
        assertEquals(201, code);
        assertEquals(3, bodies.size());
        ObjectMapper json = new ObjectMapper();
        String id = json.readTree(bodies.get(0)).get("id").asText();
        for (String b : bodies) {
            assertEquals(id, json.readTree(b).get("id").asText());
        }
    }

    @Test
    void sendResources_whenSecretWrong_failsWithoutRetry() throws Exception {
        String url = start(200);
        NotifySender sender = new NotifySender(url, "f".repeat(64), 3, Duration.ofMillis(10));
        OneclickException e = assertThrows(OneclickException.class, () -> sender.sendResources(GUID,
                AwsResources.empty()));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains("oneclick.notifySecretFile"), e.getMessage());
        assertEquals(1, calls.get());
    }

    @Test
    void sendResources_whenAlways5xx_failsNamingNotifyUrlAfterAllTries() throws Exception {
        String url = start(500);
        NotifySender sender = new NotifySender(url, SECRET, 2, Duration.ofMillis(10));
        OneclickException e = assertThrows(OneclickException.class, () -> sender.sendResources(GUID,
                AwsResources.empty()));
        assertTrue(e.getMessage().contains("after 2 attempt(s)") && e.getMessage().contains("oneclick.notifyUrl"),
                e.getMessage());
        assertEquals(2, calls.get());
    }
}
