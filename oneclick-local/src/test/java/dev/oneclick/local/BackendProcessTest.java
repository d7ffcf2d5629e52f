package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend as a real child process (this module's test classes, {@link EchoBackend}): PORT and the environment
 * handed over, the health wait, a restart on the same port, a backend that exits at start, and the preview's
 * {@code /api/*} forwarding through {@link ApiProxy}.
 */
class BackendProcessTest {
    private static final Path TEST_CLASSES = Path.of(EchoBackend.class.getProtectionDomain().getCodeSource()
            .getLocation().getPath());

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private BackendProcess.Builder echo() {
        return BackendProcess.builder().classes(TEST_CLASSES, null, EchoBackend.class.getName())
                .logFile(dir.resolve("backend.log")).startTimeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return http.send(r.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void start_whenHealthy_handsOverPortAndEnvironment_andRestartKeepsThePort() throws Exception {
        try (BackendProcess b = echo().environment(Map.of("GREETING", "hello")).start()) {
            assertEquals(Integer.toString(b.port()), b.environment().get("PORT"));
            HttpResponse<String> r = send(HttpRequest.newBuilder(b.url().resolve("/api/echo")));
            assertTrue(r.body().endsWith("greeting=hello"), r.body());
            long firstPid = b.pid();
            b.restart();
            assertNotEquals(firstPid, b.pid(), "a new process");
            assertTrue(send(HttpRequest.newBuilder(b.url().resolve("/api/health"))).body().equals("ok"));
            assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "the old one ended");
        }
    }

    @Test
    void start_whenTheBackendExitsFirst_failsWithItsExitCodeAndOutput() {
        LocalAwsException e = assertThrows(LocalAwsException.class,
                () -> echo().environment(Map.of("FAIL_AT_START", "no config")).start());
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("refusing to start: no config"), e.getMessage());
    }

    @Test
    void start_whenTheHealthPathNeverAnswers2xx_failsWithinTheTimeout() {
        LocalAwsException e = assertThrows(LocalAwsException.class,
                () -> echo().healthPath("/nope").startTimeout(Duration.ofSeconds(3)).start());
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
        assertTrue(e.getMessage().contains("listening on"), "the log's end is in the message: " + e.getMessage());
    }

    @Test
    void start_whenTheJarIsMissing_saysToBuildIt() {
        LocalAwsException e = assertThrows(LocalAwsException.class, () -> BackendProcess.builder()
                .jar(dir.resolve("app.jar")).logFile(dir.resolve("log")).start());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void preview_whenApiPath_forwardsMethodQueryBodyHeadersAndCookies() throws Exception {
        try (BackendProcess b = echo().start();
                LocalSitePreview p = LocalSitePreview.builder()
                        .apiProxy(new ApiProxy(b.url(), Duration.ofSeconds(10))).start()) {
            URI base = p.url();
            HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/echo?a=1&b=%20"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}")).header("X-Test", "t1")
                    .header("Cookie", "session=abc"));
            assertEquals(200, r.statusCode());
            assertTrue(r.body().startsWith("POST a=1&b=%20 {\"x\":1} t1 session=abc http pid="), r.body());
            assertEquals("seen=1", r.headers().firstValue("Set-Cookie").orElse(null));
            assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/api/other"))).statusCode(),
                    "the backend's own 404");
            assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/index.html"))).statusCode(),
                    "no frontend: other paths are 404");
            b.close();
            assertEquals(502, send(HttpRequest.newBuilder(base.resolve("/api/echo"))).statusCode(),
                    "a stopped backend is a bad gateway");
        }
    }
}
