package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import dev.oneclick.examples.backend.SlowClient.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Slow and abusive clients on loopback: bodies that never arrive, floods of them, and too many requests from one
 * address. Each is answered 408, 429 or 503 with a JSON body, stores nothing, broadcasts nothing, and other clients
 * are served meanwhile.
 */
class SlowClientsTest {
    private static final int FLOOD_CONNECTIONS = 260;
    private static final int API_CALLS_DURING_FLOOD = 40;
    private static BackendHarness h;
    private static String alice;
    private static Project project;
    private static WsClient ws;

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness(); // the default limits
        alice = h.login("alice");
        project = h.createProject(alice, "Under attack");
        ws = h.subscribe(project.guid(), alice);
    }

    @AfterAll
    static void stop() {
        if (ws != null) {
            ws.close();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void notify_whenBodyStopsArriving_answers408WithABodyWithinTheBodyTimeout() throws Exception {
        Map<String, AttributeValue> before = h.rawItem("alice", project.guid());
        try (SlowClient slow = new SlowClient(h.backend.port(), "/notify", 60_000, "{")) {
            Answer a = slow.read(20_000);
            assertEquals(408, a.status(), a.toString());
            assertTrue(a.body().contains("\"error\""), a.toString());
            assertTrue(a.millis() < 10_000, "took " + a.millis() + " ms");
        }
        assertEquals(before, h.rawItem("alice", project.guid()));
        h.assertNothingBroadcast(ws, project.guid());
    }

    @Test
    void notify_whenFloodedBySlowBodies_keepsTheApiUnderOneSecondAndAnswersEverySlowClient() throws Exception {
        Map<String, AttributeValue> before = h.rawItem("alice", project.guid());
        HttpClient other = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest apiCall = HttpRequest.newBuilder(URI.create(h.url("/api/projects/" + project.guid()
                + "/resources"))).header("Authorization", "Bearer " + alice).timeout(Duration.ofSeconds(10)).build();
        // the other client is already up (its first call pays for class loading and JIT, flood or not)
        assertEquals(200, other.send(apiCall, HttpResponse.BodyHandlers.ofString()).statusCode());
        List<SlowClient> flood = new ArrayList<>();
        long floodStart = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int withJsonBody = 0;
        try {
            for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
                flood.add(new SlowClient(h.backend.port(), "/notify", 60_000, "{"));
            }
            long opened = (System.nanoTime() - floodStart) / 1_000_000;
            for (int i = 0; i < API_CALLS_DURING_FLOOD; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = other.send(apiCall, HttpResponse.BodyHandlers.ofString());
                latencies.add((System.nanoTime() - t) / 1_000_000);
                assertEquals(200, r.statusCode(), r.body());
                Thread.sleep(50);
            }
            for (SlowClient c : flood) {
                Answer a = c.read(20_000);
                statuses.merge(a.status(), 1, Integer::sum);
                if (a.body().startsWith("{\"error\"")) {
                    withJsonBody++;
                }
            }
            long total = (System.nanoTime() - floodStart) / 1_000_000;
            List<Long> sorted = new ArrayList<>(latencies);
            sorted.sort(null);
            long p50 = sorted.get(sorted.size() / 2);
            long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
            System.out.printf("flood: %d slow connections (Content-Length 60000, 1 byte sent) opened in %d ms, all "
                    + "answered after %d ms; answers %s (%d with a JSON body); the other client's %d API calls: "
                    + "p50 %d ms, p99 %d ms, max %d ms%n", FLOOD_CONNECTIONS, opened, total, statuses, withJsonBody,
                    latencies.size(), p50, p99, sorted.get(sorted.size() - 1));
            assertTrue(sorted.get(sorted.size() - 1) < 1000, "an API call took " + sorted.get(sorted.size() - 1)
                    + " ms during the flood: " + latencies);
        } finally {
            for (SlowClient c : flood) {
                c.close();
            }
        }
        assertEquals(FLOOD_CONNECTIONS, withJsonBody, "every slow client gets an answer with a body: " + statuses);
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 408 || s == 429 || s == 503), statuses.toString());
        assertEquals(before, h.rawItem("alice", project.guid()));
        h.assertNothingBroadcast(ws, project.guid());
    }
}
