package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import dev.oneclick.examples.backend.SlowClient.Answer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Per-address limits: request rates of /api/login and /notify, and /notify requests in progress at once. */
class RateLimitTest {

    private static void assert429WithRetryAfter(HttpResponse<String> r) {
        assertEquals(429, r.statusCode(), r.body());
        long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        assertTrue(BackendHarness.json(r).path("error").isTextual(), r.body());
    }

    private static void assertNothingArrives(WsClient ws) throws InterruptedException {
        assertNull(ws.messages.poll(1, TimeUnit.SECONDS), "something was broadcast");
    }

    @Test
    void login_whenBurstUsedUp_returns429WithRetryAfter() throws Exception {
        try (BackendHarness h = new BackendHarness(b -> b.loginRate(3, 1))) {
            for (int i = 0; i < 3; i++) {
                h.login("user" + i);
            }
            assert429WithRetryAfter(h.post("/api/login", null, "{\"userId\":\"user9\"}"));
        }
    }

    @Test
    void notify_whenBurstUsedUp_returns429WithRetryAfterAndStoresNothing() throws Exception {
        try (BackendHarness h = new BackendHarness(b -> b.notifyRate(3, 1))) {
            String alice = h.login("alice");
            Project p = h.createProject(alice, "Rate");
            try (WsClient ws = h.subscribe(p.guid(), alice)) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> ok = h.notifySigned(p.guid(), BackendHarness.statusEvent(p.guid(), "status",
                            "step " + i));
                    assertEquals(200, ok.statusCode(), ok.body());
                    assertEquals("step " + i, ws.next(java.time.Duration.ofSeconds(10)).path("message").asText());
                }
                Map<String, AttributeValue> before = h.rawItem("alice", p.guid());

                assert429WithRetryAfter(h.notifySigned(p.guid(), BackendHarness.resourcesEvent(p.guid(),
                        "{\"region\":\"us-east-1\"}")));

                assertEquals(before, h.rawItem("alice", p.guid()));
                assertNothingArrives(ws);
            }
        }
    }

    @Test
    void notify_whenTooManyInProgressFromOneAddress_returns429UntilTheyEnd() throws Exception {
        try (BackendHarness h = new BackendHarness(b -> b.notifyInProgress(2, 64))) {
            String alice = h.login("alice");
            Project p = h.createProject(alice, "Concurrent");
            try (WsClient ws = h.subscribe(p.guid(), alice)) {
                Map<String, AttributeValue> before = h.rawItem("alice", p.guid());
                List<SlowClient> slow = List.of(new SlowClient(h.backend.port(), "/notify", 1000, "{"),
                        new SlowClient(h.backend.port(), "/notify", 1000, "{"));
                try {
                    Thread.sleep(300); // both are inside the handler, waiting for their bodies
                    HttpResponse<String> third = h.notifySigned(p.guid(), BackendHarness.resourcesEvent(p.guid(),
                            "{\"region\":\"us-east-1\"}"));
                    assert429WithRetryAfter(third);
                    assertTrue(third.body().contains("in progress"), third.body());
                    assertEquals(before, h.rawItem("alice", p.guid()));
                    assertNothingArrives(ws);
                    for (SlowClient c : slow) {
                        Answer a = c.read(20_000);
                        assertEquals(408, a.status(), a.toString());
                    }
                } finally {
                    for (SlowClient c : slow) {
                        c.close();
                    }
                }
                HttpResponse<String> after = h.notifySigned(p.guid(), BackendHarness.resourcesEvent(p.guid(),
                        "{\"region\":\"us-east-1\"}"));
                assertEquals(200, after.statusCode(), after.body());
            }
        }
    }
}
