package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.site.CacheRules;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oneclick:deploy -Doneclick.target=local} with the default {@code keepRunning=true}: the goal keeps serving
 * the deployed site the way the CDN would (root is index.html, client-side routes fall back to index.html with
 * 200, each file carries the Cache-Control the deploy stored with it) until the Maven thread is interrupted.
 */
class LocalPreviewDeployTest {
    private static final String GUID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    private static final String INDEX = "<!doctype html><title>preview</title><div id=app></div>";
    private static final String ASSET = "console.log('fingerprinted')";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DeployMojo mojo(boolean spaFallback, String cacheRules) throws Exception {
        Files.createDirectories(dir.resolve("dist/assets"));
        Files.writeString(dir.resolve("dist/index.html"), INDEX);
        Files.writeString(dir.resolve("dist/assets/app.3f9a1c2b.js"), ASSET);
        DeployMojo m = new DeployMojo();
        m.guid = GUID;
        m.userId = "preview-user";
        m.siteDir = dir.resolve("dist").toString();
        m.target = "local";
        m.localDir = MojoRunner.localDir().toString();
        m.tableName = "tmux-deployments";
        m.prune = true;
        m.maxDeletes = 1000;
        m.spaFallback = spaFallback;
        m.cacheRules = cacheRules;
        m.localKeepRunning = true;
        m.outputFile = dir.resolve("resources.json").toFile();
        return m;
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI startServing(DeployMojo m, Thread[] thread, AtomicReference<Throwable> failure) throws Exception {
        return startServing(m, dir.resolve("resources.json"), thread, failure);
    }

    /** Runs the goal on its own thread, waits for its resources.json ({@code out}) and returns the preview URL. */
    static URI startServing(DeployMojo m, Path out, Thread[] thread, AtomicReference<Throwable> failure)
            throws Exception {
        Thread t = new Thread(() -> {
            try {
                m.execute();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "oneclick-deploy-keep-running");
        t.setDaemon(true);
        t.start();
        thread[0] = t;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline && failure.get() == null) {
            if (Files.isRegularFile(out)) {
                try {
                    JsonNode json = new ObjectMapper().readTree(out.toFile());
                    if (json.hasNonNull("siteUrl")) {
                        return URI.create(json.get("siteUrl").asText());
                    }
                } catch (java.io.IOException partial) {
                    // being written; try again
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("deploy did not write resources.json with siteUrl", failure.get());
    }

    @Test
    void execute_whenLocalAndKeepRunning_servesLikeTheCdnUntilInterrupted() throws Exception {
        Thread[] thread = new Thread[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        URI url = startServing(mojo(true, null), thread, failure);
        try {
            assertTrue(url.toString().startsWith("http://127.0.0.1:"), url.toString());

            HttpResponse<String> root = get(url, "/");
            assertEquals(200, root.statusCode());
            assertEquals(INDEX, root.body());
            assertEquals(CacheRules.NO_CACHE, root.headers().firstValue("Cache-Control").orElse(null));
            assertTrue(root.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));

            HttpResponse<String> asset = get(url, "/assets/app.3f9a1c2b.js");
            assertEquals(200, asset.statusCode());
            assertEquals(ASSET, asset.body());
            assertEquals(CacheRules.IMMUTABLE, asset.headers().firstValue("Cache-Control").orElse(null));
            assertTrue(asset.headers().firstValue("Content-Type").orElse("").contains("javascript"),
                    asset.headers().toString());

            HttpResponse<String> route = get(url, "/products/42");
            assertEquals(200, route.statusCode(), "a client-side route falls back to index.html with 200");
            assertEquals(INDEX, route.body());
            assertEquals(CacheRules.NO_CACHE, route.headers().firstValue("Cache-Control").orElse(null));

            Thread.sleep(500);
            assertTrue(thread[0].isAlive(), "deploy keeps serving until interrupted");
            assertNull(failure.get());
        } finally {
            thread[0].interrupt();
            thread[0].join(30_000);
        }
        assertFalse(thread[0].isAlive(), "deploy returns once interrupted");
        assertNull(failure.get(), () -> "deploy failed: " + failure.get());
    }

    @Test
    void execute_whenCacheRulesAndNoSpaFallback_previewServesWhatTheDeployStored() throws Exception {
        Thread[] thread = new Thread[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        URI url = startServing(mojo(false, "assets/**=public, max-age=60; **=no-store"), thread, failure);
        try {
            HttpResponse<String> asset = get(url, "/assets/app.3f9a1c2b.js");
            assertEquals("public, max-age=60", asset.headers().firstValue("Cache-Control").orElse(null));
            HttpResponse<String> root = get(url, "/");
            assertEquals("no-store", root.headers().firstValue("Cache-Control").orElse(null));
            HttpResponse<String> route = get(url, "/products/42");
            assertEquals(404, route.statusCode(), "without the SPA fallback a missing path is not index.html");
            assertNotNull(thread[0]);
        } finally {
            thread[0].interrupt();
            thread[0].join(30_000);
        }
        assertFalse(thread[0].isAlive());
        assertNull(failure.get(), () -> "deploy failed: " + failure.get());
    }

    @Test
    void execute_whenKeepRunningFalseAndOutputFileRelative_returnsAndWritesUnderTheProjectFolder() throws Exception {
        DeployMojo m = mojo(true, null);
        org.apache.maven.project.MavenProject project = new org.apache.maven.project.MavenProject();
        project.setFile(dir.resolve("pom.xml").toFile());
        m.project = project;
        m.localKeepRunning = false;
        m.outputFile = new java.io.File("out/site-resources.json");
        m.execute(); // returns at once: nothing to interrupt
        Path out = dir.resolve("out/site-resources.json");
        assertTrue(Files.isRegularFile(out), "resources JSON at " + out);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertEquals("tmux-builder-" + GUID, json.get("s3Bucket").asText());
        assertEquals("us-east-1", json.get("region").asText());
        assertTrue(json.get("siteUrl").asText().startsWith("http://127.0.0.1:"));
        assertFalse(Files.exists(dir.resolve("target/oneclick/resources.json")), "only the output file is written");
    }
}
