package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Processed event ids kept in DynamoDB ({@link DynamoDbReplayGuard}, one dynalite): a captured event replayed after
 * a restart, or to a second instance over the same tables, is answered 409 {@code duplicate} and changes nothing.
 */
class ReplayAcrossInstancesTest {
    private static BackendHarness h;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness();
        alice = h.login("alice");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static ReferenceBackend instance() throws Exception {
        return h.startAnother(b -> b.replayGuard(
                new DynamoDbReplayGuard(h.backendDb, DynamoDbReplayGuard.DEFAULT_TABLE).ensureTable()));
    }

    private record Captured(byte[] body, Map<String, String> headers) {
    }

    private static Captured capture(Project p, String data) {
        byte[] body = BackendHarness.resourcesEvent(p.guid(), data).getBytes(StandardCharsets.UTF_8);
        return new Captured(body, BackendHarness.signedHeaders(BackendHarness.secret(p.guid()),
                Instant.now().getEpochSecond(), body));
    }

    private static void assertDuplicate(HttpResponse<String> r) {
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("duplicate", BackendHarness.json(r).path("error").asText(), r.body());
    }

    @Test
    void notify_whenReplayedAfterARestart_isADuplicateAndChangesNothing() throws Exception {
        Project p = h.createProject(alice, "Restarted");
        Captured event = capture(p, "{\"region\":\"us-east-1\"}");
        ReferenceBackend before = instance();
        try (WsClient ws = h.subscribe(before, p.guid(), alice)) {
            assertEquals(200, h.notifyRawTo(before, event.body(), event.headers()).statusCode());
            assertEquals("resources", ws.next(Duration.ofSeconds(10)).path("type").asText());
        }
        before.close();
        Map<String, AttributeValue> stored = h.rawItem("alice", p.guid());

        ReferenceBackend after = instance();
        try (WsClient ws = h.subscribe(after, p.guid(), alice)) {
            assertDuplicate(h.notifyRawTo(after, event.body(), event.headers()));
            assertEquals(stored, h.rawItem("alice", p.guid()), "the replay changed the record");
            assertNull(ws.messages.poll(1, TimeUnit.SECONDS), "the replay was broadcast");
        }
    }

    @Test
    void notify_whenAcceptedByOneInstance_isADuplicateOnTheOtherAndBothServeTheSameRecord() throws Exception {
        Project p = h.createProject(alice, "Two instances");
        ReferenceBackend a = instance();
        ReferenceBackend b = instance();
        Captured event = capture(p, "{\"region\":\"eu-west-1\",\"siteUrl\":\"https://d1two.cloudfront.net\"}");
        try (WsClient onA = h.subscribe(a, p.guid(), alice); WsClient onB = h.subscribe(b, p.guid(), alice)) {
            assertEquals(200, h.notifyRawTo(a, event.body(), event.headers()).statusCode());
            assertEquals("resources", onA.next(Duration.ofSeconds(10)).path("type").asText());
            Map<String, AttributeValue> stored = h.rawItem("alice", p.guid());

            assertDuplicate(h.notifyRawTo(b, event.body(), event.headers()));

            assertEquals(stored, h.rawItem("alice", p.guid()), "the replay on the other instance changed the record");
            assertNull(onB.messages.poll(1, TimeUnit.SECONDS), "the other instance broadcast the replay");
            assertNull(onA.messages.poll(100, TimeUnit.MILLISECONDS), "a second copy reached the first instance");
        }
        String path = "/api/projects/" + p.guid() + "/resources";
        HttpResponse<String> fromA = h.getFrom(a, path, alice);
        HttpResponse<String> fromB = h.getFrom(b, path, alice);
        assertEquals(200, fromA.statusCode(), fromA.body());
        assertEquals(fromA.body(), fromB.body(), "the instances serve different data");
        assertEquals("eu-west-1", BackendHarness.json(fromB).path("resources").path("awsResources").path("region")
                .asText());
    }

    @Test
    void notify_whenTheSameEventHitsBothInstancesAtOnce_isProcessedAndBroadcastOnce() throws Exception {
        Project p = h.createProject(alice, "Raced");
        ReferenceBackend a = instance();
        ReferenceBackend b = instance();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (WsClient onA = h.subscribe(a, p.guid(), alice); WsClient onB = h.subscribe(b, p.guid(), alice)) {
            for (int round = 0; round < 10; round++) {
                Captured event = capture(p, "{\"region\":\"us-west-" + (round % 2 + 1) + "\"}");
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<HttpResponse<String>>> sent = new java.util.ArrayList<>();
                for (ReferenceBackend target : List.of(a, b)) {
                    sent.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return h.notifyRawTo(target, event.body(), event.headers());
                    }));
                }
                int ok = 0;
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> r = sent.get(i).get(60, TimeUnit.SECONDS);
                    if (r.statusCode() == 200) {
                        ok++;
                        continue;
                    }
                    // the other copy: a duplicate, or 503 while the first is in progress; a retry is a duplicate
                    assertTrue(r.statusCode() == 409 || r.statusCode() == 503, r.statusCode() + " " + r.body());
                    HttpResponse<String> retry = r;
                    for (int attempt = 0; retry.statusCode() == 503 && attempt < 40; attempt++) {
                        Thread.sleep(250);
                        retry = h.notifyRawTo(i == 0 ? a : b, event.body(), event.headers());
                    }
                    assertDuplicate(retry);
                }
                assertEquals(1, ok, "round " + round + ": accepted " + ok + " times");
            }
            // one broadcast per round in all: the next message on each socket is a marker sent after the rounds
            int received = onA.messages.size() + onB.messages.size();
            List<String> types = new java.util.ArrayList<>();
            for (WsClient ws : List.of(onA, onB)) {
                for (String m; (m = ws.messages.poll()) != null; ) {
                    types.add(BackendHarness.JSON.readTree(m).path("type").asText());
                }
            }
            assertEquals(10, received, "broadcasts: " + types);
            for (ReferenceBackend target : List.of(a, b)) {
                WsClient ws = target == a ? onA : onB;
                byte[] marker = BackendHarness.statusEvent(p.guid(), "status", "marker").getBytes(
                        StandardCharsets.UTF_8);
                assertEquals(200, h.notifyRawTo(target, marker, BackendHarness.signedHeaders(
                        BackendHarness.secret(p.guid()), Instant.now().getEpochSecond(), marker)).statusCode());
                assertEquals("marker", ws.next(Duration.ofSeconds(10)).path("message").asText());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void notify_whenInMemoryGuardIsFullOfUnexpiredIds_returns503WithRetryAfterAndStoresNothing() throws Exception {
        ReferenceBackend small = h.startAnother(b -> b.replayGuard(
                dev.oneclick.notify.ReplayGuard.inMemory(2, Duration.ofMinutes(10))));
        Project p = h.createProject(alice, "Small guard");
        try (WsClient ws = h.subscribe(small, p.guid(), alice)) {
            Captured first = capture(p, "{\"region\":\"us-east-1\"}");
            for (int i = 0; i < 2; i++) {
                Captured c = i == 0 ? first : capture(p, "{\"region\":\"us-east-2\"}");
                assertEquals(200, h.notifyRawTo(small, c.body(), c.headers()).statusCode());
                assertEquals("resources", ws.next(Duration.ofSeconds(10)).path("type").asText());
            }
            Map<String, AttributeValue> stored = h.rawItem("alice", p.guid());
            Captured third = capture(p, "{\"region\":\"eu-west-3\"}");

            HttpResponse<String> r = h.notifyRawTo(small, third.body(), third.headers());

            assertEquals(503, r.statusCode(), r.body());
            long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElse("0"));
            assertTrue(retryAfter > 500 && retryAfter <= 601, "Retry-After " + retryAfter);
            assertEquals(stored, h.rawItem("alice", p.guid()));
            assertNull(ws.messages.poll(1, TimeUnit.SECONDS), "the refused event was broadcast");
            assertDuplicate(h.notifyRawTo(small, first.body(), first.headers())); // nothing was forgotten
        }
    }
}
