package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocket fan-out across two real backend instances over one dynalite ({@link EventFanOut}): an event accepted by
 * instance A reaches the owner's WebSocket on instance B (and A's once), an event B accepts reaches A, a refused
 * event reaches nobody, and an instance started later does not replay older events.
 */
class FanOutAcrossInstancesTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static BackendHarness h;
    private static ReferenceBackend b;
    private static String alice;

    private static ReferenceBackend.Builder fanOut(ReferenceBackend.Builder builder) {
        return builder.eventsTable(EventFanOut.DEFAULT_TABLE).fanOut(INTERVAL, Duration.ofSeconds(3));
    }

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness(FanOutAcrossInstancesTest::fanOut);
        b = h.startAnother(FanOutAcrossInstancesTest::fanOut);
        alice = h.login("alice");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static HttpResponse<String> sendTo(ReferenceBackend target, Project p, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return h.notifyRawTo(target, bytes, BackendHarness.signedHeaders(BackendHarness.secret(p.guid()),
                Instant.now().getEpochSecond(), bytes));
    }

    /** Sends a marker to {@code via} and checks it is the next message on each socket: nothing came before it. */
    private static void assertNextIsMarker(ReferenceBackend via, Project p, WsClient... sockets) {
        String marker = "marker-" + UUID.randomUUID();
        assertEquals(200, sendTo(via, p, BackendHarness.statusEvent(p.guid(), "status", marker)).statusCode());
        for (WsClient ws : sockets) {
            assertEquals(marker, ws.next(Duration.ofSeconds(10)).path("message").asText());
        }
    }

    @Test
    void notify_whenAcceptedByInstanceA_reachesTheOwnersWebSocketOnInstanceBOnce() throws Exception {
        Project p = h.createProject(alice, "Fan-out");
        try (WsClient onA = h.subscribe(p.guid(), alice); WsClient onB = h.subscribe(b, p.guid(), alice)) {
            long t = System.nanoTime();
            assertEquals(200, sendTo(h.backend, p, BackendHarness.statusEvent(p.guid(), "status", "from A"))
                    .statusCode());
            JsonNode got = onB.next(Duration.ofSeconds(10));
            long millis = (System.nanoTime() - t) / 1_000_000;
            assertEquals("from A", got.path("message").asText(), got.toString());
            assertEquals(p.guid().value(), got.path("guid").asText());
            JsonNode local = onA.next(Duration.ofSeconds(10));
            assertEquals(got, local, "both instances show the same event, accepted-at time included");
            System.out.printf("fan-out: an event accepted by instance A reached the WebSocket on instance B after %d ms "
                    + "(poll interval %d ms)%n", millis, INTERVAL.toMillis());

            String data = "{\"region\":\"eu-west-1\",\"siteUrl\":\"https://d1fan.cloudfront.net\"}";
            assertEquals(200, sendTo(b, p, BackendHarness.resourcesEvent(p.guid(), data)).statusCode());
            assertEquals("eu-west-1", onA.next(Duration.ofSeconds(10)).path("data").path("region").asText());
            assertEquals("eu-west-1", onB.next(Duration.ofSeconds(10)).path("data").path("region").asText());

            // each event came once: the next message on each socket is a fresh marker
            assertNextIsMarker(h.backend, p, onA, onB);
            assertNull(onA.messages.poll(3 * INTERVAL.toMillis(), TimeUnit.MILLISECONDS), "a second copy on A");
        }
    }

    @Test
    void notify_whenRefusedByInstanceA_reachesNoInstance() throws Exception {
        Project p = h.createProject(alice, "Refused");
        try (WsClient onB = h.subscribe(b, p.guid(), alice)) {
            byte[] body = BackendHarness.statusEvent(p.guid(), "status", "forged").getBytes(StandardCharsets.UTF_8);
            Map<String, String> forged = BackendHarness.signedHeaders("0".repeat(64), Instant.now().getEpochSecond(),
                    body);
            assertEquals(401, h.notifyRawTo(h.backend, body, forged).statusCode());
            assertNextIsMarker(h.backend, p, onB);
        }
    }

    @Test
    void start_whenEventsAreInTheTable_aNewInstanceDoesNotReplayThem() throws Exception {
        Project p = h.createProject(alice, "Late joiner");
        assertEquals(200, sendTo(h.backend, p, BackendHarness.statusEvent(p.guid(), "status", "before C"))
                .statusCode());
        ReferenceBackend c = h.startAnother(FanOutAcrossInstancesTest::fanOut);
        try (WsClient onC = h.subscribe(c, p.guid(), alice)) {
            Thread.sleep(3 * INTERVAL.toMillis()); // C polls a few times with the older event still in its lookback
            assertNextIsMarker(h.backend, p, onC);
        }
    }
}
