package dev.oneclick.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.ScriptHarness.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered notify.sh, run with real bash and curl, against a JDK HTTP server mounting the NotifyReceiver. */
class NotifyEndToEndTest {
    static final byte[] MASTER = "end-to-end-master-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final ProjectGuid GUID = ProjectGuid.parse("3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab");
    static final ProjectGuid STRANGER = ProjectGuid.parse("99999999-8888-4777-8666-555555555555");

    @TempDir
    Path dir;
    Fakes fakes;
    HttpServer server;
    final List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        fakes = new Fakes();
        fakes.owners.put(GUID, new ProjectOwner("user-1", "My shop"));
        NotifyReceiver receiver = NotifyReceiver.builder().masterKey(MASTER).registry(fakes.registry)
                .store(fakes.store).subscribers(fakes.subscribers).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/notify", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            NotifyResponse r = "POST".equals(exchange.getRequestMethod())
                    ? receiver.handle(exchange.getRequestHeaders(), body)
                    : new NotifyResponse(405, "{\"error\":\"use POST\"}");
            statuses.add(r.status());
            byte[] out = r.jsonBody().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", NotifyResponse.CONTENT_TYPE);
            exchange.sendResponseHeaders(r.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Path script(ProjectGuid guid, String secret) {
        Path sub = dir.resolve(guid.value());
        sub.toFile().mkdirs();
        return NotifyScript.builder().guid(guid).serverUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .secret(secret).build().writeTo(sub);
    }

    private Path script() {
        return script(GUID, NotifySecrets.forProject(MASTER, GUID));
    }

    static final String RESOURCES = "{\"s3Bucket\":\"tmux-builder-" + GUID + "\",\"cloudFrontId\":\"E2ABCDEF123456\","
            + "\"cloudFrontUrl\":\"https://d111111abcdef8.cloudfront.net\",\"region\":\"us-east-1\"}";

    @Test
    void notifyResources_whenAccepted_isStoredOnceAndPublishedOnce() throws Exception {
        Run run = ScriptHarness.run(script(), Map.of(), "resources", RESOURCES);

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(List.of(200), statuses);
        assertEquals(1, fakes.stored.size());
        assertEquals("E2ABCDEF123456", fakes.stored.get(0).cloudFrontId().orElseThrow());
        assertEquals(List.of("stored user-1 " + GUID, "published resources user-1 " + GUID), fakes.log);
    }

    @Test
    void notifyResources_whenStoreFailsTwice_retriesStoreExactlyOnce() throws Exception {
        fakes.storeFailuresLeft.set(2);

        Run run = ScriptHarness.run(script(), Map.of("NOTIFY_MAX_TRIES", "5"), "resources", RESOURCES);

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(List.of(503, 503, 200), statuses);
        assertEquals(3, fakes.storeCalls.get());
        assertEquals(1, fakes.stored.size());
        assertEquals(1, fakes.published.size());
    }

    @Test
    void notifyStatus_whenMessageIsAwkward_isPublishedVerbatim() throws Exception {
        String message = "quote \" backslash \\ $(id) `id` newline\n tab\t emoji 😀 ctl \u0001";

        Run run = ScriptHarness.run(script(), Map.of(), "status", message);

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(1, fakes.published.size());
        assertEquals(message, fakes.published.get(0).message());
        assertEquals(NotifyEvent.Type.STATUS, fakes.published.get(0).type());
    }

    @Test
    void notifyDone_whenSentTwiceWithTheSameEventId_isPublishedOnce() throws Exception {
        Path script = script();
        ScriptHarness.run(script, Map.of("NOTIFY_EVENT_ID", "done-1"), "done");
        Run again = ScriptHarness.run(script, Map.of("NOTIFY_EVENT_ID", "done-1"), "done");

        assertEquals(0, again.exitCode(), again.stderr());
        assertEquals(List.of(200, 200), statuses);
        assertEquals(1, fakes.published.size());
    }

    @Test
    void notify_whenScriptHasAnotherProjectsSecret_isRefused401WithoutRetry() throws Exception {
        Path forged = script(GUID, NotifySecrets.forProject(MASTER, STRANGER));

        Run run = ScriptHarness.run(forged, Map.of(), "resources", RESOURCES);

        assertEquals(3, run.exitCode());
        assertEquals(List.of(401), statuses);
        assertTrue(run.stderr().contains("signature does not match"), run.stderr());
        assertEquals(0, fakes.storeCalls.get());
    }

    @Test
    void notify_whenProjectUnknown_isRefused404() throws Exception {
        Path stranger = script(STRANGER, NotifySecrets.forProject(MASTER, STRANGER));

        Run run = ScriptHarness.run(stranger, Map.of(), "status", "hello");

        assertEquals(3, run.exitCode());
        assertEquals(List.of(404), statuses);
        assertEquals(0, fakes.published.size());
    }

    @Test
    void notifyResources_whenDataBreaksTheSchema_isRefused400WithoutRetry() throws Exception {
        Run run = ScriptHarness.run(script(), Map.of(), "resources", "{\"s3Bucket\":\"UPPER_case\",\"cloudFrontId\":\"x\"}");

        assertEquals(3, run.exitCode());
        assertEquals(List.of(400), statuses);
        assertTrue(run.stderr().contains("s3Bucket") && run.stderr().contains("cloudFrontId"), run.stderr());
        assertEquals(0, fakes.storeCalls.get());
    }

    @Test
    void notifyStatus_whenMessageLongerThanReceiverAllows_isRefused400WithoutRetry() throws Exception {
        Run run = ScriptHarness.run(script(), Map.of(), "status", "x".repeat(5000));

        assertEquals(3, run.exitCode());
        assertEquals(List.of(400), statuses);
        assertTrue(run.stderr().contains("longer than 4096 characters"), run.stderr());
        assertEquals(0, fakes.published.size());
    }
}
