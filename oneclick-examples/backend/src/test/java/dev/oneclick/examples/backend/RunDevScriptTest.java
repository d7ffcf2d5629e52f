package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifySecrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real {@code oneclick-examples/backend/run --dev} (bash, Maven offline, dynalite, the backend's JVM) on free
 * ports with a development folder of its own: it prints its URL, answers {@code /api/health}, and after it is stopped
 * (SIGTERM, as Ctrl-C would) and started again, the project, its reported resources and the master key (a token
 * issued before the restart still signs in) are still there. Each start is bounded; every process it started is
 * gone afterwards.
 */
class RunDevScriptTest {
    private static final Duration START_LIMIT = Duration.ofMinutes(6);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void runDev_whenStoppedAndStartedAgain_printsItsUrlAnswersHealthAndKeepsTheData() throws Exception {
        Path script = Path.of("run").toAbsolutePath();
        assertTrue(Files.isExecutable(script), "the run script is not executable: " + script);
        Path devDir = Files.createTempDirectory("oneclick-run-dev");
        int port = freePort();
        int dynalitePort = freePort();
        String base = "http://127.0.0.1:" + port;
        Path log = devDir.resolve("run-test.log");

        String token;
        ProjectGuid guid;
        try (Running first = start(script, devDir, port, dynalitePort, log)) {
            first.awaitReady(base);
            assertTrue(Files.isRegularFile(devDir.resolve("master.key")), "no master key file");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(devDir.resolve("master.key"))));
            token = BackendHarness.JSON.readTree(post(base + "/api/login", null, "{\"userId\":\"alice\"}").body())
                    .get("token").asText();
            HttpResponse<String> created = post(base + "/api/projects", token, "{\"name\":\"Kept\"}");
            assertEquals(201, created.statusCode(), created.body());
            guid = ProjectGuid.parse(BackendHarness.JSON.readTree(created.body()).get("guid").asText());
            String secret = NotifySecrets.forProject(Files.readAllLines(devDir.resolve("master.key")).get(0).strip()
                    .getBytes(StandardCharsets.UTF_8), guid);
            byte[] event = BackendHarness.resourcesEvent(guid, "{\"region\":\"eu-north-1\"}")
                    .getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder notify = HttpRequest.newBuilder(URI.create(base + "/notify"))
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(event));
            BackendHarness.signedHeaders(secret, Instant.now().getEpochSecond(), event).forEach(notify::header);
            HttpResponse<String> accepted = http.send(notify.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, accepted.statusCode(), accepted.body());
        }

        try (Running second = start(script, devDir, port, dynalitePort, log)) {
            second.awaitReady(base);
            HttpResponse<String> r = get(base + "/api/projects/" + guid.value() + "/resources", token);
            assertEquals(200, r.statusCode(), "after the restart: " + r.body());
            JsonNode record = BackendHarness.JSON.readTree(r.body()).path("resources");
            assertEquals("Kept", record.path("projectName").asText(), r.body());
            assertEquals("eu-north-1", record.path("awsResources").path("region").asText(), r.body());
            assertTrue(Files.isRegularFile(devDir.resolve("projects").resolve(guid.value()).resolve("notify.sh")));
        }
    }

    /** A started run script, stopped with SIGTERM on close; every process under it must be gone within 30 s. */
    private final class Running implements AutoCloseable {
        private final Process process;
        private final StringBuffer output = new StringBuffer();
        private final Path log;

        Running(Process process, Path log) {
            this.process = process;
            this.log = log;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.append(line).append('\n');
                        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "run-script-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits until the script printed its URL and {@code GET /api/health} answers 200. */
        void awaitReady(String base) throws InterruptedException {
            long deadline = System.nanoTime() + START_LIMIT.toNanos();
            while (!output.toString().contains("URL        " + base)) {
                if (!process.isAlive()) {
                    fail("run --dev exited with " + process.exitValue() + " before printing its URL:\n" + output);
                }
                if (System.nanoTime() > deadline) {
                    fail("run --dev printed no URL within " + START_LIMIT + ":\n" + output);
                }
                Thread.sleep(200);
            }
            while (true) {
                try {
                    HttpResponse<String> h = get(base + "/api/health", null);
                    if (h.statusCode() == 200) {
                        assertEquals("ok", BackendHarness.JSON.readTree(h.body()).path("status").asText());
                        return;
                    }
                } catch (IOException | UncheckedIOException e) {
                    // not listening yet
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    fail("run --dev did not answer /api/health:\n" + output);
                }
                Thread.sleep(200);
            }
        }

        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> all = process.descendants().toList();
            process.destroy(); // SIGTERM to the script, whose trap stops the backend and dynalite
            boolean ended = process.waitFor(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (ProcessHandle p : all) {
                while (p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
            List<ProcessHandle> left = all.stream().filter(ProcessHandle::isAlive).toList();
            left.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            assertTrue(ended, "the run script did not end on SIGTERM");
            assertTrue(left.isEmpty(), "processes left running after the script ended: "
                    + left.stream().map(p -> p.info().commandLine().orElse(Long.toString(p.pid()))).toList());
        }
    }

    private Running start(Path script, Path devDir, int port, int dynalitePort, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--dev", "--port=" + port)
                .directory(script.getParent().getParent().getParent().toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("ONECLICK_DEV_DIR", devDir.toString());
        env.put("ONECLICK_DYNALITE_PORT", Integer.toString(dynalitePort));
        env.put("MVN_FLAGS", "-o");
        env.remove("ONECLICK_MASTER_KEY");
        env.remove("ONECLICK_PROJECTS_ROOT");
        return new Running(pb.start(), log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private HttpResponse<String> post(String url, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
