package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.ScriptResult;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Data the table cannot keep gets a 4xx naming the reason (never a 503 that notify.sh retries), and the record and
 * the owner's WebSocket are unchanged afterwards; a server error answers a generic message with a request id.
 */
class HostileDataTest {
    private static BackendHarness h;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness(b -> b.notifyRate(10_000, 60_000));
        alice = h.login("alice");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private record Watched(Project project, WsClient ws) {
    }

    private static Watched newProject(String name) {
        Project p = h.createProject(alice, name);
        return new Watched(p, h.subscribe(p.guid(), alice));
    }

    private static void assertUnchanged(Watched w, Map<String, AttributeValue> before) {
        assertEquals(before, h.rawItem("alice", w.project().guid()), "the record changed");
        h.assertNothingBroadcast(w.ws(), w.project().guid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e126", "1e308", "1e-131", "123456789012345678901234567890123456789"})
    void notify_whenNumberDynamoDbCannotStore_returns400NamingTheField(String number) {
        Watched w = newProject("Numbers " + number);
        try (WsClient ws = w.ws()) {
            Map<String, AttributeValue> before = h.rawItem("alice", w.project().guid());
            HttpResponse<String> r = h.notifySigned(w.project().guid(), BackendHarness.resourcesEvent(
                    w.project().guid(), "{\"region\":\"us-east-1\",\"replicas\":" + number + "}"));
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(BackendHarness.json(r).path("error").asText().contains("replicas"), r.body());
            assertUnchanged(w, before);
        }
    }

    @Test
    void notifySh_whenNumberDynamoDbCannotStore_exitsRefusedAtOnceWithoutRetrying() {
        Watched w = newProject("Script numbers");
        try (WsClient ws = w.ws()) {
            Map<String, AttributeValue> before = h.rawItem("alice", w.project().guid());
            long start = System.nanoTime();
            ScriptResult r = h.runNotifySh(w.project(), "resources", "{\"replicas\": 1e126}");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(3, r.exitCode(), "refused (4xx) is exit 3: " + r.stderr());
            assertTrue(r.stderr().contains("HTTP 400") && r.stderr().contains("replicas"), r.stderr());
            System.out.println("notify.sh refused in " + millis + " ms (no retries)");
            assertUnchanged(w, before);
        }
    }

    @Test
    void notify_whenMergedRecordWouldPass100Keys_returns400AndKeepsTheRecord() {
        Watched w = newProject("Many keys");
        try (WsClient ws = w.ws()) {
            for (int event = 0; event < 5; event++) {
                StringBuilder data = new StringBuilder("{");
                for (int k = 0; k < 20; k++) {
                    data.append(k == 0 ? "" : ",").append("\"k").append(event).append('_').append(k).append("\":1");
                }
                HttpResponse<String> ok = h.notifySigned(w.project().guid(),
                        BackendHarness.resourcesEvent(w.project().guid(), data.append('}').toString()));
                assertEquals(200, ok.statusCode(), ok.body());
                assertEquals("resources", ws.next(Duration.ofSeconds(10)).path("type").asText());
            }
            Map<String, AttributeValue> before = h.rawItem("alice", w.project().guid());
            assertEquals(100, before.get("awsResources").m().size());

            HttpResponse<String> r = h.notifySigned(w.project().guid(),
                    BackendHarness.resourcesEvent(w.project().guid(), "{\"oneMore\":1}"));

            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("100"), "the reason names the limit: " + r.body());
            assertUnchanged(w, before);
            // a report of keys it already has still passes: the limit is on the merged record, not on reports
            HttpResponse<String> same = h.notifySigned(w.project().guid(),
                    BackendHarness.resourcesEvent(w.project().guid(), "{\"k0_0\":2}"));
            assertEquals(200, same.statusCode(), same.body());
        }
    }

    @Test
    void notify_whenMergedRecordWouldPass350KB_returns413AndKeepsTheRecord() {
        Watched w = newProject("Large record");
        try (WsClient ws = w.ws()) {
            String chunk = "x".repeat(8000);
            HttpResponse<String> r = null;
            Map<String, AttributeValue> before = null;
            int accepted = 0;
            for (int event = 0; event < 10; event++) {
                StringBuilder data = new StringBuilder("{");
                for (int k = 0; k < 7; k++) {
                    data.append(k == 0 ? "" : ",").append("\"big").append(event).append('_').append(k)
                            .append("\":\"").append(chunk).append('"');
                }
                before = h.rawItem("alice", w.project().guid());
                r = h.notifySigned(w.project().guid(),
                        BackendHarness.resourcesEvent(w.project().guid(), data.append('}').toString()));
                if (r.statusCode() != 200) {
                    break;
                }
                accepted++;
                assertEquals("resources", ws.next(Duration.ofSeconds(10)).path("type").asText());
            }
            System.out.println("events of 56 KB accepted before the record limit: " + accepted);
            assertEquals(6, accepted, "6 x 56 KB fit in 350 KB, the 7th does not");
            assertEquals(413, r.statusCode(), r.body());
            assertTrue(r.body().contains("350 KB"), r.body());
            assertUnchanged(w, before);
        }
    }

    @Test
    void api_whenAPartFailsUnexpectedly_answers500WithRequestIdAndNoDetail() throws Exception {
        try (BackendHarness broken = new BackendHarness(b -> b.authenticator(token -> {
            throw new IllegalStateException("session store password=hunter2 unreachable");
        }))) {
            HttpResponse<String> r = broken.get("/api/users/alice/deployments", "any-token");
            assertEquals(500, r.statusCode(), r.body());
            JsonNode body = BackendHarness.json(r);
            String id = r.headers().firstValue("X-Request-Id").orElse("");
            assertFalse(id.isEmpty(), "no request id header");
            assertEquals(id, body.path("requestId").asText());
            assertTrue(body.path("error").asText().contains(id), r.body());
            assertFalse(r.body().contains("hunter2") || r.body().contains("IllegalState"), r.body());
        }
    }
}
