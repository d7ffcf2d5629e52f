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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB goes away under the backend (a proxy between the backend's client and dynalite is cut): an event gets 503
 * and reaches nobody; notify.sh retries, and once DynamoDB is back the event is stored exactly once.
 */
class StorageFailureTest {
    private static BackendHarness h;
    private static Project project;
    private static WsClient ws;

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness();
        String token = h.login("hana");
        project = h.createProject(token, "Hana's store");
        ws = h.subscribe(project.guid(), token);
    }

    @AfterEach
    void restore() {
        h.proxy.restore();
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
    void notify_whenDynamoDbUnreachable_returns503AndBroadcastsNothing() {
        Map<String, AttributeValue> before = h.rawItem("hana", project.guid());
        h.proxy.cut();
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        HttpResponse<String> r;
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8)); // slf4j-simple's
        try {
            r = h.notifySigned(project.guid(), BackendHarness.resourcesEvent(project.guid(),
                    "{\"s3Bucket\":\"tmux-builder-" + project.guid() + "\"}"));
        } finally {
            System.setErr(stderr);
        }
        assertEquals(503, r.statusCode(), r.body());
        // every 5xx is logged with its request id and its cause (the DynamoDB failure), never shown to the client
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        String logged = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(logged.contains("POST /notify answered 503 (request id " + requestId + ")"), logged);
        assertTrue(logged.contains("TrackerException"), "the cause is not logged: " + logged);
        assertFalse(r.body().contains("Exception"), r.body());
        assertTrue(h.proxy.refusedConnections() > 0, "the backend never tried DynamoDB");
        h.proxy.restore();
        assertEquals(before, h.rawItem("hana", project.guid()));
        h.assertNothingBroadcast(ws, project.guid());
    }

    @Test
    void notifySh_whenDynamoDbComesBack_storesTheRetriedEventExactlyOnce() throws Exception {
        Map<String, AttributeValue> before = h.rawItem("hana", project.guid());
        long versionBefore = Long.parseLong(before.get("version").n());
        String bucket = "tmux-builder-" + project.guid();
        int refusedBefore = h.proxy.refusedConnections();
        h.proxy.cut();
        CompletableFuture<ScriptResult> run = CompletableFuture.supplyAsync(() -> h.runNotifySh(project, "resources",
                "{\"s3Bucket\":\"" + bucket + "\",\"cloudFrontUrl\":\"https://d9retry.cloudfront.net\"}"));
        // the first delivery fails inside the backend (every DynamoDB attempt refused), so it answers 503
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (h.proxy.refusedConnections() - refusedBefore < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(h.proxy.refusedConnections() - refusedBefore >= 3, "notify.sh never reached the backend");
        Thread.sleep(300); // let the 503 travel back before DynamoDB returns
        h.proxy.restore();

        ScriptResult result = run.get();
        assertEquals(0, result.exitCode(), "notify.sh gave up: " + result.stderr());
        Map<String, AttributeValue> after = h.rawItem("hana", project.guid());
        assertEquals(bucket, after.get("awsResources").m().get("s3Bucket").s());
        assertEquals(versionBefore + 1, Long.parseLong(after.get("version").n()), "stored more than once: " + after);
        JsonNode event = ws.next(Duration.ofSeconds(10));
        assertEquals("resources", event.get("type").asText());
        assertEquals(bucket, event.get("data").get("s3Bucket").asText());
        h.assertNothingBroadcast(ws, project.guid()); // and no second copy
    }

    @Test
    void notifySh_whenOnlyTheWriteFails_returns503ThenStoresTheRetryExactlyOnceAndBroadcastsOnce() throws Exception {
        // the owner lookup through projectId-index succeeds; the UpdateItem that stores the resources fails
        Map<String, AttributeValue> before = h.rawItem("hana", project.guid());
        long versionBefore = Long.parseLong(before.get("version").n());
        String bucket = "tmux-builder-" + project.guid();
        int refusedBefore = h.proxy.refusedWrites();
        h.proxy.refuseWrites();
        CompletableFuture<ScriptResult> run = CompletableFuture.supplyAsync(() -> h.runNotifySh(project, "resources",
                "{\"s3Bucket\":\"" + bucket + "\",\"cloudFrontUrl\":\"https://d9write.cloudfront.net\"}"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (h.proxy.refusedWrites() - refusedBefore < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(h.proxy.refusedWrites() - refusedBefore >= 3, "the backend never tried to write");
        Thread.sleep(300); // let the 503 travel back before the writes pass again
        assertEquals(before, h.rawItem("hana", project.guid()), "written although every write was refused");
        h.assertNothingBroadcast(ws, project.guid());
        h.proxy.restore();

        ScriptResult result = run.get();
        assertEquals(0, result.exitCode(), "notify.sh gave up: " + result.stderr());
        Map<String, AttributeValue> after = h.rawItem("hana", project.guid());
        assertEquals(bucket, after.get("awsResources").m().get("s3Bucket").s());
        assertEquals(versionBefore + 1, Long.parseLong(after.get("version").n()), "stored more than once: " + after);
        JsonNode event = ws.next(Duration.ofSeconds(10));
        assertEquals("resources", event.get("type").asText());
        h.assertNothingBroadcast(ws, project.guid());
    }
}
