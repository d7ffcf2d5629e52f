package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import dev.oneclick.naming.ProjectGuid;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Events the receiver must refuse: each gets its status, and afterwards the project's DynamoDB item and the table
 * are unchanged and the owner's WebSocket received nothing.
 */
class NotifyRejectionTest {
    private static BackendHarness h;
    private static Project project;
    private static Project other;
    private static WsClient ws;
    private Map<String, AttributeValue> itemBefore;
    private int countBefore;

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness();
        String alice = h.login("alice");
        project = h.createProject(alice, "Alice's shop");
        other = h.createProject(h.login("bob"), "Bob's blog");
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

    @BeforeEach
    void snapshot() {
        itemBefore = h.rawItem("alice", project.guid());
        countBefore = h.tableItemCount();
        assertFalse(itemBefore.isEmpty());
    }

    @AfterEach
    void nothingStoredNorBroadcast() {
        assertEquals(itemBefore, h.rawItem("alice", project.guid()), "the item changed");
        assertEquals(countBefore, h.tableItemCount(), "the table changed");
        h.assertNothingBroadcast(ws, project.guid());
    }

    private static String bucketData() {
        return "{\"s3Bucket\":\"tmux-builder-" + project.guid().value() + "\",\"region\":\"us-east-1\"}";
    }

    private static void assertRefused(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(BackendHarness.json(r).path("error").isTextual(), "no error message: " + r.body());
    }

    @Test
    void notify_whenUnsigned_returns401() {
        byte[] body = BackendHarness.resourcesEvent(project.guid(), bucketData()).getBytes(StandardCharsets.UTF_8);
        assertRefused(401, h.notifyRaw(body, Map.of()));
    }

    @Test
    void notify_whenSignatureForged_returns401() {
        byte[] body = BackendHarness.resourcesEvent(project.guid(), bucketData()).getBytes(StandardCharsets.UTF_8);
        String guessed = "0".repeat(64);
        assertRefused(401, h.notifyRaw(body,
                BackendHarness.signedHeaders(guessed, Instant.now().getEpochSecond(), body)));
    }

    @Test
    void notify_whenBodyChangedAfterSigning_returns401() {
        byte[] signed = BackendHarness.resourcesEvent(project.guid(), bucketData()).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = BackendHarness.signedHeaders(BackendHarness.secret(project.guid()),
                Instant.now().getEpochSecond(), signed);
        byte[] changed = new String(signed, StandardCharsets.UTF_8).replace("us-east-1", "eu-west-1")
                .getBytes(StandardCharsets.UTF_8);
        assertRefused(401, h.notifyRaw(changed, headers));
    }

    @Test
    void notify_whenTimestampExpired_returns401() {
        byte[] body = BackendHarness.resourcesEvent(project.guid(), bucketData()).getBytes(StandardCharsets.UTF_8);
        long tenMinutesAgo = Instant.now().minusSeconds(600).getEpochSecond();
        assertRefused(401, h.notifyRaw(body,
                BackendHarness.signedHeaders(BackendHarness.secret(project.guid()), tenMinutesAgo, body)));
    }

    @Test
    void notify_whenSignedWithAnotherProjectsSecret_returns401() {
        // a project that knows only its own secret tries to write into another project
        assertRefused(401, h.notifySigned(other.guid(), BackendHarness.resourcesEvent(project.guid(), bucketData())));
    }

    @Test
    void notify_whenReplayed_returns409DuplicateAndStoresNothingNew() {
        byte[] body = BackendHarness.resourcesEvent(project.guid(), bucketData()).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = BackendHarness.signedHeaders(BackendHarness.secret(project.guid()),
                Instant.now().getEpochSecond(), body);
        HttpResponse<String> first = h.notifyRaw(body, headers);
        assertEquals(200, first.statusCode(), first.body());
        JsonNode delivered = ws.next(Duration.ofSeconds(10));
        assertEquals("resources", delivered.path("type").asText());
        // the first delivery is the new baseline; the replay must change nothing
        itemBefore = h.rawItem("alice", project.guid());
        assertEquals("tmux-builder-" + project.guid().value(), itemBefore.get("awsResources").m().get("s3Bucket").s());

        HttpResponse<String> replay = h.notifyRaw(body, headers);
        assertEquals(409, replay.statusCode(), replay.body());
        assertEquals("duplicate", BackendHarness.json(replay).path("error").asText(), replay.body());
    }

    @Test
    void notify_whenBodyOver64KB_returns413() {
        String message = "x".repeat(65 * 1024);
        assertRefused(413, h.notifySigned(project.guid(),
                BackendHarness.statusEvent(project.guid(), "status", message)));
    }

    @Test
    void notify_whenBodyOverTheServersRequestLimit_returns413WithTheReason() {
        // larger than the server's 1 MB request limit: still the receiver's 413 and reason, not a 500
        String message = "x".repeat(2 * 1024 * 1024);
        HttpResponse<String> r = h.notifySigned(project.guid(), BackendHarness.statusEvent(project.guid(), "status",
                message));
        assertRefused(413, r);
        assertTrue(BackendHarness.json(r).path("error").asText().contains("65536"), r.body());
    }

    @Test
    void notify_whenJsonMalformed_returns400() {
        assertRefused(400, h.notifySigned(project.guid(),
                "{\"id\":\"1\",\"guid\":\"" + project.guid().value() + "\",\"type\":\"status\",\"message\":"));
    }

    @Test
    void notify_whenTypeUnknown_returns400() {
        assertRefused(400, h.notifySigned(project.guid(),
                BackendHarness.statusEvent(project.guid(), "rm-rf", "hello")));
    }

    @Test
    void notify_whenGuidInvalid_returns400() {
        String body = "{\"id\":\"" + UUID.randomUUID() + "\",\"guid\":\"../../etc/passwd\",\"type\":\"status\","
                + "\"message\":\"hi\"}";
        assertRefused(400, h.notifySigned(project.guid(), body));
    }

    @Test
    void notify_whenResourcesBreakSchema_returns400() {
        assertRefused(400, h.notifySigned(project.guid(),
                BackendHarness.resourcesEvent(project.guid(), "{\"s3Bucket\":12345}")));
    }

    @Test
    void notify_whenResourcesDataIsNotAnObject_returns400() {
        assertRefused(400, h.notifySigned(project.guid(),
                BackendHarness.resourcesEvent(project.guid(), "[\"tmux-builder-x\"]")));
    }

    @Test
    void notify_whenProjectUnknown_returns404() {
        ProjectGuid unknown = ProjectGuid.parse(UUID.randomUUID().toString());
        assertRefused(404, h.notifySigned(unknown,
                BackendHarness.resourcesEvent(unknown, "{\"s3Bucket\":\"tmux-builder-" + unknown + "\"}")));
    }
}
