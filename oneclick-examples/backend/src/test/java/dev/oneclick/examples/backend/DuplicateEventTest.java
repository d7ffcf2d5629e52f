package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.ScriptResult;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An event id the backend already processed answers 409 {@code duplicate}, and the real notify.sh (bash, curl,
 * openssl) counts that as delivered: exit 0 after one attempt, nothing stored again, nothing broadcast again, also
 * after the backend restarted on the same address (the ids live in DynamoDB, {@link DynamoDbReplayGuard}).
 */
class DuplicateEventTest {

    private static ScriptResult send(BackendHarness h, Project p, String eventId, String data) {
        return h.runNotifySh(p, Map.of("NOTIFY_EVENT_ID", eventId, "NOTIFY_DEBUG", "1", "NOTIFY_RETRY_DELAY", "1"),
                "resources", data);
    }

    private static void assertDeliveredOnceWithoutRetry(ScriptResult r) {
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("HTTP 409 duplicate"), r.stderr());
        assertTrue(r.stderr().contains("attempt 1: curl exit 0, HTTP 409"), r.stderr());
        assertFalse(r.stderr().contains("attempt 2"), "notify.sh retried a duplicate: " + r.stderr());
    }

    @Test
    void notifySh_whenEventIdAlreadyProcessed_exitsZeroAfterOneAttemptAlsoAfterARestart() throws Exception {
        try (BackendHarness h = new BackendHarness((b, db) -> b.replayGuard(
                new DynamoDbReplayGuard(db, DynamoDbReplayGuard.DEFAULT_TABLE).ensureTable()))) {
            String alice = h.login("alice");
            Project p = h.createProject(alice, "Duplicates");
            String id = UUID.randomUUID().toString();
            Map<String, AttributeValue> stored;
            try (WsClient ws = h.subscribe(p.guid(), alice)) {
                ScriptResult first = send(h, p, id, "{\"region\":\"us-east-1\"}");
                assertEquals(0, first.exitCode(), first.stderr());
                assertEquals("us-east-1", ws.next(Duration.ofSeconds(10)).path("data").path("region").asText());
                stored = h.rawItem("alice", p.guid());

                // the same id again, even with other data: a duplicate, so nothing of it is stored or broadcast
                assertDeliveredOnceWithoutRetry(send(h, p, id, "{\"region\":\"eu-west-1\"}"));
                assertEquals(stored, h.rawItem("alice", p.guid()), "the duplicate changed the record");
                h.assertNothingBroadcast(ws, p.guid());
                stored = h.rawItem("alice", p.guid());
            }

            int port = h.backend.port();
            h.backend.close();
            ReferenceBackend restarted = h.startAnother(b -> b.replayGuard(
                    new DynamoDbReplayGuard(h.backendDb, DynamoDbReplayGuard.DEFAULT_TABLE)), port);
            try (WsClient ws = h.subscribe(restarted, p.guid(), alice)) {
                assertDeliveredOnceWithoutRetry(send(h, p, id, "{\"region\":\"ap-south-1\"}"));
                assertEquals(stored, h.rawItem("alice", p.guid()), "the duplicate changed the record after a restart");
                // nothing came before this marker, so the duplicate was not broadcast
                String marker = BackendHarness.statusEvent(p.guid(), "status", "marker");
                byte[] body = marker.getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> r = h.notifyRawTo(restarted, body, BackendHarness.signedHeaders(
                        BackendHarness.secret(p.guid()), Instant.now().getEpochSecond(), body));
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("marker", ws.next(Duration.ofSeconds(10)).path("message").asText());
            }
        }
    }
}
