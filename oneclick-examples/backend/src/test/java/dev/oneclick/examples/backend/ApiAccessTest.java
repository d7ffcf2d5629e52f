package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Project creation, the REST API's access rules, the paging cursor and the WebSocket's owner check. */
class ApiAccessTest {
    private static BackendHarness h;
    private static String alice;
    private static String bob;
    private static Project aliceProject;

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness();
        alice = h.login("alice");
        bob = h.login("bob");
        aliceProject = h.createProject(alice, "Alice's shop");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void createProject_whenSignedIn_writesNotifyShSkillPromptAndTrackerRecord() throws Exception {
        Project p = h.createProject(alice, "Landing page");
        Path script = p.folder().resolve("notify.sh");
        assertTrue(p.folder().startsWith(h.projectsRoot), p.folder().toString());
        assertEquals(p.guid().value(), p.folder().getFileName().toString());
        String text = Files.readString(script);
        assertTrue(text.startsWith("#!"), "not a script");
        assertTrue(text.contains(p.guid().value()), "GUID not rendered");
        assertTrue(text.contains(h.backend.url()), "server URL not rendered");
        assertTrue(text.contains(BackendHarness.secret(p.guid())), "project secret not rendered");
        assertFalse(text.contains(BackendHarness.MASTER_KEY), "the master key leaked into notify.sh");
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(script);
        assertTrue(perms.contains(PosixFilePermission.OWNER_EXECUTE), perms.toString());
        assertFalse(perms.contains(PosixFilePermission.OTHERS_READ), "the secret is readable by others: " + perms);
        Path secretFile = p.folder().resolve("notify.secret");
        assertEquals(java.util.List.of(BackendHarness.secret(p.guid()), "kid=1"), Files.readAllLines(secretFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
        assertTrue(Files.isRegularFile(p.folder().resolve(".claude/skills/1-click-deploy/SKILL.md")));
        String prompt = Files.readString(p.folder().resolve("SYSTEM_PROMPT.md"));
        assertTrue(prompt.contains("-Doneclick.guid=" + p.guid().value() + " -Doneclick.userId=alice "), prompt);

        Map<String, AttributeValue> item = h.rawItem("alice", p.guid());
        assertEquals("Landing page", item.get("projectName").s());
        assertTrue(item.get("awsResources").hasM(), "awsResources is not a map: " + item);
        assertTrue(item.get("awsResources").m().isEmpty());
        assertTrue(item.containsKey("createdAt") && item.containsKey("updatedAt"), item.toString());
    }

    @Test
    void createProject_whenNoToken_returns401AndCreatesNothing() throws Exception {
        long before;
        try (var s = Files.list(h.projectsRoot)) {
            before = s.count();
        }
        HttpResponse<String> r = h.post("/api/projects", null, "{\"name\":\"x\"}");
        assertEquals(401, r.statusCode(), r.body());
        try (var s = Files.list(h.projectsRoot)) {
            assertEquals(before, s.count());
        }
    }

    @Test
    void createProject_whenNameHasControlCharacters_returns400NamingTheField() {
        HttpResponse<String> r = h.post("/api/projects", alice, "{\"name\":\"bad\\u0007name\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("name", BackendHarness.json(r).path("field").asText());
    }

    @Test
    void login_whenUserIdInvalid_returns400() {
        HttpResponse<String> r = h.post("/api/login", null, "{\"userId\":\"a b<script>\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("userId", BackendHarness.json(r).path("field").asText());
    }

    @Test
    void projectResources_whenOwner_returnsRecordInPlanShape() {
        HttpResponse<String> r = h.get("/api/projects/" + aliceProject.guid() + "/resources", alice);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode rec = BackendHarness.json(r).get("resources");
        assertEquals("alice", rec.get("userId").asText());
        assertEquals(aliceProject.guid().value(), rec.get("projectId").asText());
        assertEquals("Alice's shop", rec.get("projectName").asText());
        assertTrue(rec.get("awsResources").isObject());
        for (String f : List.of("createdAt", "updatedAt", "status")) {
            assertTrue(rec.has(f), "missing " + f + ": " + rec);
        }
    }

    @Test
    void projectResources_whenNoToken_returns401() {
        HttpResponse<String> r = h.get("/api/projects/" + aliceProject.guid() + "/resources", null);
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent());
    }

    @Test
    void projectResources_whenTokenForged_returns401() {
        String forged = alice.substring(0, alice.lastIndexOf('.') + 1) + "0".repeat(64);
        assertEquals(401, h.get("/api/projects/" + aliceProject.guid() + "/resources", forged).statusCode());
        String otherUser = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("bob".getBytes())
                + alice.substring(alice.indexOf('.'));
        assertEquals(401, h.get("/api/projects/" + aliceProject.guid() + "/resources", otherUser).statusCode());
    }

    @Test
    void projectResources_whenAnotherUsersProject_answersExactlyLikeAnUnknownGuid() {
        HttpResponse<String> r = h.get("/api/projects/" + aliceProject.guid() + "/resources", bob);
        assertEquals(404, r.statusCode(), r.body());
        assertFalse(r.body().contains("Alice's shop"), r.body());
        java.util.UUID unknown = UUID.randomUUID();
        HttpResponse<String> u = h.get("/api/projects/" + unknown + "/resources", bob);
        assertEquals(404, u.statusCode(), u.body());
        assertEquals(u.body().replace(unknown.toString(), "G"), r.body().replace(aliceProject.guid().value(), "G"),
                "another user's project and an unknown GUID must be told apart by nothing");
    }

    @Test
    void projectResources_whenGuidUnknown_returns404() {
        assertEquals(404, h.get("/api/projects/" + UUID.randomUUID() + "/resources", alice).statusCode());
    }

    @Test
    void projectResources_whenGuidInvalid_returns400() {
        HttpResponse<String> r = h.get("/api/projects/not-a-guid/resources", alice);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("guid", BackendHarness.json(r).path("field").asText());
    }

    @Test
    void deployments_whenAnotherUser_returns403() {
        assertEquals(403, h.get("/api/users/alice/deployments", bob).statusCode());
    }

    @Test
    void deployments_whenNoToken_returns401() {
        assertEquals(401, h.get("/api/users/alice/deployments", null).statusCode());
    }

    @Test
    void deployments_whenMorePagesThanOne_returnsEveryProjectOnceThroughTheCursor() {
        String carol = h.login("carol");
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(h.createProject(carol, "Carol " + i).guid().value());
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r = h.get("/api/users/carol/deployments?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), carol);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = BackendHarness.json(r);
            body.get("projects").forEach(p -> {
                assertEquals("carol", p.get("userId").asText());
                assertTrue(seen.add(p.get("projectId").asText()), "seen twice: " + p);
            });
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(created, seen);
        assertTrue(pages >= 3, "expected several pages, got " + pages);
    }

    @Test
    void deployments_whenCursorTampered_returns400() {
        String dave = h.login("dave");
        for (int i = 0; i < 3; i++) {
            h.createProject(dave, "Dave " + i);
        }
        HttpResponse<String> first = h.get("/api/users/dave/deployments?limit=1", dave);
        String cursor = BackendHarness.json(first).get("nextCursor").asText();
        char last = cursor.charAt(cursor.length() - 1);
        String tampered = cursor.substring(0, cursor.length() - 1) + (last == '0' ? '1' : '0');
        HttpResponse<String> r = h.get("/api/users/dave/deployments?limit=1&cursor=" + tampered, dave);
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("cursor", BackendHarness.json(r).path("field").asText());
        // a forged inner cursor, re-encoded, does not verify either
        String forgedInner = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("zzz".getBytes())
                + cursor.substring(cursor.indexOf('.'));
        assertEquals(400, h.get("/api/users/dave/deployments?cursor=" + forgedInner, dave).statusCode());
        // a valid cursor issued to dave is refused for another user's own listing
        HttpResponse<String> asBob = h.get("/api/users/bob/deployments?cursor=" + cursor, bob);
        assertEquals(400, asBob.statusCode(), asBob.body());
    }

    @Test
    void deployments_whenLimitOutOfRange_returns400() {
        assertEquals(400, h.get("/api/users/alice/deployments?limit=0", alice).statusCode());
        assertEquals(400, h.get("/api/users/alice/deployments?limit=abc", alice).statusCode());
    }

    @Test
    void webSocket_whenAnotherUserAuthenticates_isClosedWithPolicyViolationAndGetsNoEvents() throws Exception {
        WsClient c = h.openWs(aliceProject.guid(), null);
        c.socket.sendText("{\"type\":\"auth\",\"token\":\"" + bob + "\"}", true).join();
        String closed = c.closed.get(10, TimeUnit.SECONDS);
        assertTrue(closed.startsWith("1008"), closed);
        assertTrue(c.messages.isEmpty(), c.messages.toString());
    }

    @Test
    void webSocket_whenTokenInvalid_isClosedWithPolicyViolation() throws Exception {
        WsClient c = h.openWs(aliceProject.guid(), null);
        c.socket.sendText("{\"type\":\"auth\",\"token\":\"nope\"}", true).join();
        assertTrue(c.closed.get(10, TimeUnit.SECONDS).startsWith("1008"));
    }

    @Test
    void webSocket_whenTokenInQuery_isRefusedAtUpgradeWith400EvenForTheOwner() {
        for (String token : List.of(alice, bob)) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> h.openWs(aliceProject.guid(), token));
            assertTrue(e.getCause() instanceof WebSocketHandshakeException, e.toString());
            assertEquals(400, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void authenticator_whenReplaced_decidesWhoIsSignedInAndTurnsDevLoginOff() throws Exception {
        Authenticator sessions = token -> "session-of-alice".equals(token) ? Optional.of("alice") : Optional.empty();
        try (ReferenceBackend embedded = ReferenceBackend.builder().dynamoDbClient(h.backendDb)
                .tableName(BackendHarness.TABLE).masterKey(BackendHarness.MASTER_KEY)
                .projectsRoot(Files.createTempDirectory("oneclick-embedded")).devLogin(true)
                .authenticator(sessions).build().start(0)) {
            String base = embedded.url();
            HttpResponse<String> login = h.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"alice\"}")).build());
            assertEquals(404, login.statusCode(), login.body());
            String path = base + "/api/projects/" + aliceProject.guid() + "/resources";
            assertEquals(200, h.send(HttpRequest.newBuilder(URI.create(path))
                    .header("Authorization", "Bearer session-of-alice").build()).statusCode());
            assertEquals(401, h.send(HttpRequest.newBuilder(URI.create(path))
                    .header("Authorization", "Bearer " + alice).build()).statusCode(),
                    "the example's tokens must not work once the authenticator is replaced");
        }
    }

    @Test
    void panel_whenServed_carriesContentSecurityPolicyWithoutInlineScripts() {
        HttpResponse<String> r = h.get("/projects/" + aliceProject.guid(), null);
        assertEquals(200, r.statusCode());
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'"), csp);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertFalse(r.body().contains("innerHTML"));
        HttpResponse<String> js = h.get("/panel/panel.js", null);
        assertEquals(200, js.statusCode());
        assertFalse(js.body().contains("innerHTML"), "the panel must not use innerHTML");
        assertNotEquals(-1, js.body().indexOf("textContent"));
    }

    @Test
    void start_whenRunning_acceptsConnectionsOn127001Only() throws Exception {
        // control: on this machine a socket bound to every address answers on 127.0.0.2 as well
        try (java.net.ServerSocket any = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("0.0.0.0"));
                java.net.Socket viaOtherLoopback = new java.net.Socket()) {
            viaOtherLoopback.connect(new java.net.InetSocketAddress("127.0.0.2", any.getLocalPort()), 2000);
        }
        int port = h.backend.port();
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
        }
        try (java.net.Socket s = new java.net.Socket()) {
            assertThrows(java.net.ConnectException.class,
                    () -> s.connect(new java.net.InetSocketAddress("127.0.0.2", port), 2000),
                    "the backend listens beyond 127.0.0.1");
        }
    }
}
