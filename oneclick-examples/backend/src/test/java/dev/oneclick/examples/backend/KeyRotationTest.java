package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.ScriptResult;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import dev.oneclick.notify.NotifySecrets;
import dev.oneclick.notify.NotifySignature;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Rotating one project's notify secret: its notify.sh is rendered with the next key id ({@code ;kid=} in the
 * signature header), the old notify.sh keeps working during the rotation window, a key id older than the previous
 * one is refused, and other projects are untouched. Real bash, curl and openssl run the scripts.
 */
class KeyRotationTest {
    private static BackendHarness h;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness((b, db) -> b.replayGuard(new DynamoDbReplayGuard(db,
                DynamoDbReplayGuard.DEFAULT_TABLE).ensureTable()).notifyKeysTable(DynamoDbReplayGuard.DEFAULT_TABLE));
        alice = h.login("alice");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static Project copyOfScript(Project p, String name) throws Exception {
        Path copy = Files.createTempDirectory("oneclick-" + name);
        Files.copy(p.folder().resolve("notify.sh"), copy.resolve("notify.sh"));
        return new Project(p.guid(), copy, p.userId(), p.name());
    }

    private static JsonNode rotate(Project p) {
        HttpResponse<String> r = h.post("/api/projects/" + p.guid() + "/notify-key", alice, "");
        assertEquals(200, r.statusCode(), r.body());
        return BackendHarness.json(r);
    }

    @Test
    void notifySh_whenSecretRotated_oldScriptWorksInTheWindowAndOlderKeysAreRefused() throws Exception {
        Project p = h.createProject(alice, "Rotated");
        Project untouched = h.createProject(alice, "Not rotated");
        assertTrue(Files.readString(p.folder().resolve("notify.sh")).contains("NOTIFY_KEY_ID='1'"));
        Project keyOne = copyOfScript(p, "key1");
        try (WsClient ws = h.subscribe(p.guid(), alice)) {
            JsonNode first = rotate(p);
            assertEquals(2, first.get("keyId").asInt());
            assertTrue(first.get("notifyShRewritten").asBoolean());
            assertTrue(Files.readString(p.folder().resolve("notify.sh")).contains("NOTIFY_KEY_ID='2'"));
            // notify.secret, what the Maven plugin reads (-Doneclick.notifySecretFile), holds key 2 and its id
            String secret2 = NotifySecrets.forProject(BackendHarness.MASTER_KEY.getBytes(StandardCharsets.UTF_8),
                    p.guid(), 2);
            assertEquals(List.of(secret2, "kid=2"), Files.readAllLines(p.folder().resolve("notify.secret")));

            assertEquals(0, h.runNotifySh(keyOne, "status", "old key, in the window").exitCode());
            assertEquals("old key, in the window", ws.next(Duration.ofSeconds(10)).path("message").asText());
            assertEquals(0, h.runNotifySh(p, "status", "new key").exitCode());
            assertEquals("new key", ws.next(Duration.ofSeconds(10)).path("message").asText());

            // signed as the plugin's NotifySender signs with that file: accepted
            byte[] body = BackendHarness.statusEvent(p.guid(), "status", "plugin, key 2").getBytes(StandardCharsets.UTF_8);
            long ts = Instant.now().getEpochSecond();
            HttpResponse<String> r = h.notifyRaw(body, Map.of("X-Oneclick-Timestamp", Long.toString(ts),
                    "X-Oneclick-Signature", NotifySignature.sign(secret2, ts, body, 2)));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("plugin, key 2", ws.next(Duration.ofSeconds(10)).path("message").asText());

            rotate(p); // key 3 current, key 2 previous: key 1 is out
            Map<String, AttributeValue> before = h.rawItem("alice", p.guid());
            ScriptResult refused = h.runNotifySh(keyOne, "resources", "{\"region\":\"us-east-1\"}");
            assertEquals(3, refused.exitCode(), refused.stderr());
            assertTrue(refused.stderr().contains("key id 1 is not accepted"), refused.stderr());
            assertEquals(before, h.rawItem("alice", p.guid()), "the refused event was stored");
            // (the harness's marker event is signed with key 1, refused here: wait a bounded second instead)
            assertNull(ws.messages.poll(1, TimeUnit.SECONDS), "the refused event was broadcast");
        }
        assertEquals(0, h.runNotifySh(untouched, "status", "other project keeps key 1").exitCode());
    }

    @Test
    void rotate_whenAnotherUsersProject_returns404AndRotatesNothing() {
        Project p = h.createProject(alice, "Mine");
        HttpResponse<String> r = h.post("/api/projects/" + p.guid() + "/notify-key", h.login("mallory"), "");
        assertEquals(404, r.statusCode(), r.body());
        assertFalse(r.body().contains("Mine"));
        assertEquals(0, h.runNotifySh(p, "status", "still key 1").exitCode());
    }
}
