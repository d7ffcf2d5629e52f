package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.oneclick.notify.NotifySecrets;
import dev.oneclick.notify.NotifySignature;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploy to the local target posts the signed resources event to a real local server checking signatures. */
class DeployNotifyTest {
    private static final String GUID = "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
    private static final String MASTER_KEY = "test-master-key-0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();

    private String startBackend() throws Exception {
        return startBackend(1);
    }

    /** A backend that accepts only the secret of {@code keyId}, named as {@code ;kid=<keyId>}. */
    private String startBackend(int keyId) throws Exception {
        String secret = NotifySecrets.forProject(MASTER_KEY.getBytes(StandardCharsets.UTF_8),
                dev.oneclick.naming.ProjectGuid.parse(GUID), keyId);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/notify", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long ts = Long.parseLong(exchange.getRequestHeaders().getFirst(NotifySignature.TIMESTAMP_HEADER));
            String header = exchange.getRequestHeaders().getFirst(NotifySignature.SIGNATURE_HEADER);
            boolean ok = header.endsWith(";kid=" + keyId) && NotifySignature.verify(secret, ts, body, header);
            if (ok) {
                accepted.add(new ObjectMapper().readTree(body));
            }
            exchange.sendResponseHeaders(ok ? 200 : 401, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private DeployMojo mojo(String url) throws Exception {
        Files.createDirectories(dir.resolve("dist"));
        Files.writeString(dir.resolve("dist/index.html"), "<!doctype html><title>n</title>");
        DeployMojo m = new DeployMojo();
        m.guid = GUID;
        m.userId = "notify-user";
        m.siteDir = dir.resolve("dist").toString();
        m.target = "local";
        m.localDir = MojoRunner.localDir().toString();
        m.tableName = "tmux-deployments";
        m.prune = true;
        m.maxDeletes = 1000;
        m.spaFallback = true;
        m.localKeepRunning = false;
        m.outputFile = dir.resolve("resources.json").toFile();
        m.notifyUrl = url;
        return m;
    }

    @Test
    void execute_whenNotifyUrlAndSecretFile_postsSignedResourcesEvent() throws Exception {
        DeployMojo m = mojo(startBackend());
        m.notifySecretFile = secretFile(NotifySecrets.forProject(MASTER_KEY.getBytes(StandardCharsets.UTF_8), GUID));
        m.execute();
        assertEquals(1, accepted.size());
        JsonNode event = accepted.get(0);
        assertEquals("resources", event.get("type").asText());
        assertEquals(GUID, event.get("guid").asText());
        assertEquals("tmux-builder-" + GUID, event.get("data").get("s3Bucket").asText());
        assertTrue(event.get("data").get("siteUrl").asText().startsWith("http://127.0.0.1:"));
        // the event carries what resources.json holds
        JsonNode written = new ObjectMapper().readTree(dir.resolve("resources.json").toFile());
        assertEquals(written, event.get("data"));
    }

    @Test
    void execute_whenSecretFileNamesARotatedKeyId_signsWithItAndIsAccepted() throws Exception {
        DeployMojo m = mojo(startBackend(2));
        String secret2 = NotifySecrets.forProject(MASTER_KEY.getBytes(StandardCharsets.UTF_8),
                dev.oneclick.naming.ProjectGuid.parse(GUID), 2);
        m.notifySecretFile = secretFile(secret2 + "\nkid=2");
        m.execute();
        assertEquals(1, accepted.size());
        assertEquals(GUID, accepted.get(0).get("guid").asText());
    }

    @Test
    void execute_whenKeyIdOfFileAndEnvironmentDisagree_failsBeforeDeploying() throws Exception {
        DeployMojo m = mojo("http://127.0.0.1:9");
        m.notifySecretFile = secretFile("a".repeat(64) + "\nkid=3");
        m.environment = name -> "ONECLICK_NOTIFY_KEY_ID".equals(name) ? "2" : null;
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.notifySecretFile:"), e.getMessage());
        assertTrue(e.getMessage().contains("key id 3"), e.getMessage());
        assertFalse(e.getMessage().contains("a".repeat(64)), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("resources.json")));
    }

    @Test
    void execute_whenNotifySecretWrong_failsNamingTheSecret() throws Exception {
        DeployMojo m = mojo(startBackend());
        m.environment = name -> AbstractOneclickMojo.NOTIFY_SECRET_ENV.equals(name) ? "a".repeat(64) : null;
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().contains("oneclick.notifySecretFile"), e.getMessage());
        assertFalse(e.getMessage().contains("a".repeat(64)), "the secret is in the message");
        assertEquals(0, accepted.size());
    }

    @Test
    void execute_whenNotifySecretMalformed_failsBeforeDeploying() throws Exception {
        DeployMojo m = mojo("http://127.0.0.1:9");
        m.notifySecretFile = secretFile("not-hex");
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.notifySecretFile:"), e.getMessage());
        assertFalse(e.getMessage().contains("not-hex"), "the secret is in the message: " + e.getMessage());
        assertTrue(Files.notExists(dir.resolve("resources.json")));
    }

    @Test
    void execute_whenMasterKeyGivenAsProperty_isRefusedBeforeDeploying() throws Exception {
        DeployMojo m = mojo("http://127.0.0.1:9");
        m.notifySecretFile = secretFile("a".repeat(64));
        System.setProperty("oneclick.notifyMasterKey", MASTER_KEY);
        try {
            MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
            assertTrue(e.getMessage().contains("oneclick.notifyMasterKey is no longer accepted"), e.getMessage());
            assertFalse(e.getMessage().contains(MASTER_KEY), e.getMessage());
        } finally {
            System.clearProperty("oneclick.notifyMasterKey");
        }
        assertTrue(Files.notExists(dir.resolve("resources.json")));
    }

    private java.io.File secretFile(String secret) throws java.io.IOException {
        Path f = dir.resolve("notify.secret");
        Files.writeString(f, secret + "\n");
        return f.toFile();
    }
}
