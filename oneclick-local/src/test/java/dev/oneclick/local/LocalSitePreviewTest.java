package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The preview against a real local S3 (s3proxy, or LocalStack where Docker runs). */
class LocalSitePreviewTest {
    private static final String BUCKET = "tmux-builder-preview-test";
    private static final String INDEX = "<!doctype html><title>app</title><div id=app></div>";
    private static final String JS = "console.log('app');";

    private static LocalAws aws;
    private static S3Client s3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startS3() {
        aws = LocalAws.builder().dynamoDb(false).start();
        System.out.println("LocalSitePreviewTest runs against " + aws.backend());
        s3 = aws.s3Client();
        s3.createBucket(b -> b.bucket(BUCKET));
        put("index.html", INDEX, "text/html; charset=utf-8", "no-cache");
        put("assets/app.1a2b3c4d.js", JS, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable");
        put("main.html", MAIN, "text/html; charset=utf-8", "no-cache");
        put(".oneclick/manifest.json", "{\"files\":{\"secret-unlinked.html\":{}}}", "application/json", "no-cache");
    }

    private static final String MAIN = "<!doctype html><title>main</title>";

    @AfterAll
    static void stop() {
        aws.close();
    }

    private static void put(String key, String body, String type, String cache) {
        s3.putObject(b -> b.bucket(BUCKET).key(key).contentType(type).cacheControl(cache),
                RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    private static LocalSitePreview preview(boolean spa) {
        return LocalSitePreview.builder().s3Client(s3).bucket(BUCKET).spaFallback(spa).start();
    }

    private static HttpResponse<String> get(LocalSitePreview p, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(p.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request line as written, bypassing any client-side path normalisation. */
    private static String raw(LocalSitePreview p, String requestLine) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", p.port())) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void start_whenPortZero_listensOnLoopbackUrl() {
        try (LocalSitePreview p = preview(true)) {
            assertTrue(p.url().toString().startsWith("http://127.0.0.1:"));
            assertTrue(p.port() > 0);
            assertEquals(BUCKET, p.bucket());
        }
    }

    @Test
    void get_whenRoot_servesIndexWithStoredHeaders() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            HttpResponse<String> r = get(p, "/");
            assertEquals(200, r.statusCode());
            assertEquals(INDEX, r.body());
            // s3proxy (jclouds) stores the media type without the space after ";"
            assertEquals("text/html;charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""));
            assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
            assertTrue(r.headers().firstValue("ETag").isPresent());
        }
    }

    @Test
    void get_whenAssetKey_servesObjectWithItsCacheControl() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            HttpResponse<String> r = get(p, "/assets/app.1a2b3c4d.js");
            assertEquals(200, r.statusCode());
            assertEquals(JS, r.body());
            assertEquals("text/javascript;charset=utf-8",
                    r.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""));
            assertEquals("public, max-age=31536000, immutable",
                    r.headers().firstValue("Cache-Control").orElseThrow());
        }
    }

    @Test
    void get_whenClientSideRouteAndSpaFallback_servesIndexWith200() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            HttpResponse<String> r = get(p, "/dashboard/settings");
            assertEquals(200, r.statusCode());
            assertEquals(INDEX, r.body());
            assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
        }
    }

    @Test
    void get_whenDeployManifest_returns404WithoutFallbackForEveryMode() throws Exception {
        for (LocalSitePreview.Fallback mode : LocalSitePreview.Fallback.values()) {
            try (LocalSitePreview p = LocalSitePreview.builder().s3Client(s3).bucket(BUCKET).fallback(mode)
                    .start()) {
                HttpResponse<String> r = get(p, "/.oneclick/manifest.json");
                assertEquals(404, r.statusCode(), mode.name());
                assertFalse(r.body().contains("secret-unlinked"), r.body());
                assertEquals(404, get(p, "/.oneclick/").statusCode(), mode.name());
                assertEquals(404, get(p, "/%2eoneclick/manifest.json").statusCode(), mode.name());
                assertEquals(200, get(p, "/main.html").statusCode(), mode.name());
            }
        }
    }

    @Test
    void get_whenMissingKeyAndNoSpaFallback_returns404() throws Exception {
        try (LocalSitePreview p = preview(false)) {
            assertEquals(404, get(p, "/dashboard/settings").statusCode());
            assertEquals(200, get(p, "/").statusCode());
        }
    }

    @Test
    void get_whenFolderPath_listsNothing() throws Exception {
        try (LocalSitePreview p = preview(false)) {
            HttpResponse<String> r = get(p, "/assets/");
            assertEquals(404, r.statusCode());
            assertFalse(r.body().contains("app.1a2b3c4d.js"));
        }
        try (LocalSitePreview p = preview(true)) {
            HttpResponse<String> r = get(p, "/assets/");
            assertEquals(200, r.statusCode());
            assertEquals(INDEX, r.body());
        }
    }

    @Test
    void get_whenPathTraversal_returns400() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            assertTrue(raw(p, "GET /assets/../index.html HTTP/1.1").startsWith("HTTP/1.1 400"));
            assertTrue(raw(p, "GET /secret/../x HTTP/1.1").startsWith("HTTP/1.1 400"));
            assertTrue(raw(p, "GET /%2e%2e/x HTTP/1.1").startsWith("HTTP/1.1 400"));
            assertTrue(raw(p, "GET /secret%2F..%2Fx HTTP/1.1").startsWith("HTTP/1.1 400"));
            assertTrue(raw(p, "GET /assets\\app.1a2b3c4d.js HTTP/1.1").startsWith("HTTP/1.1 400"));
        }
    }

    @Test
    void head_whenKeyExists_sendsHeadersWithoutBody() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            String response = raw(p, "HEAD /assets/app.1a2b3c4d.js HTTP/1.1");
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.toLowerCase().contains("content-length: " + JS.length()), response);
            assertTrue(response.endsWith("\r\n\r\n"), response);
        }
    }

    @Test
    void post_whenAnyPath_returns405() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(p.url())
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode());
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void get_whenIfNoneMatchEqualsEtag_returns304() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            String etag = get(p, "/").headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(p.url()).header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(304, r.statusCode());
        }
    }

    @Test
    void get_whenObjectReplaced_servesNewBytesAtOnce() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            put("changing.txt", "one", "text/plain", null);
            assertEquals("one", get(p, "/changing.txt").body());
            put("changing.txt", "two", "text/plain", null);
            assertEquals("two", get(p, "/changing.txt").body());
        }
    }

    @Test
    void get_whenMissingAssetAndRoutesFallback_returns404NotHtml() throws Exception {
        try (LocalSitePreview p = preview(true)) {
            assertEquals(LocalSitePreview.Fallback.ROUTES, p.fallback());
            HttpResponse<String> r = get(p, "/assets/nope.js");
            assertEquals(404, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            assertEquals(404, get(p, "/favicon.ico").statusCode());
            assertEquals(404, get(p, "/deep/route/style.css").statusCode());
            // routes still get the entry page
            assertEquals(INDEX, get(p, "/about").body());
            assertEquals(200, get(p, "/docs/").statusCode());
            assertEquals(200, get(p, "/assets/app.1a2b3c4d.js").statusCode());
        }
    }

    @Test
    void get_whenMissingAssetAndFallbackAll_servesIndexAsBefore() throws Exception {
        try (LocalSitePreview p = LocalSitePreview.builder().s3Client(s3).bucket(BUCKET)
                .fallback(LocalSitePreview.Fallback.ALL).start()) {
            HttpResponse<String> r = get(p, "/assets/nope.js");
            assertEquals(200, r.statusCode());
            assertEquals(INDEX, r.body());
        }
    }

    @Test
    void get_whenOtherIndexDocument_servesItForRootAndRoutes() throws Exception {
        try (LocalSitePreview p = LocalSitePreview.builder().s3Client(s3).bucket(BUCKET).indexDocument("main.html")
                .start()) {
            assertEquals("main.html", p.indexDocument());
            assertEquals(MAIN, get(p, "/").body());
            assertEquals(MAIN, get(p, "/some/route").body());
            assertEquals(404, get(p, "/missing.png").statusCode());
        }
    }

    @Test
    void get_whenNoIndexDocument_rootAndMissingPathsAre404() throws Exception {
        try (LocalSitePreview p = LocalSitePreview.builder().s3Client(s3).bucket(BUCKET).indexDocument(null)
                .start()) {
            assertEquals(LocalSitePreview.Fallback.NONE, p.fallback());
            assertEquals(404, get(p, "/").statusCode());
            assertEquals(404, get(p, "/some/route").statusCode());
            assertEquals(JS, get(p, "/assets/app.1a2b3c4d.js").body());
        }
    }

    @Test
    void isRouteLike_whenLastSegmentHasNoExtension() {
        assertTrue(LocalSitePreview.isRouteLike("/"));
        assertTrue(LocalSitePreview.isRouteLike("/about"));
        assertTrue(LocalSitePreview.isRouteLike("/docs/"));
        assertTrue(LocalSitePreview.isRouteLike("/v1.2/users"));
        assertFalse(LocalSitePreview.isRouteLike("/assets/app.js"));
        assertFalse(LocalSitePreview.isRouteLike("/favicon.ico"));
        assertFalse(LocalSitePreview.isRouteLike("/.well-known"));
    }

    @Test
    void keyOf_whenPaths_mapsToKeysOrRefuses() {
        assertEquals("index.html", LocalSitePreview.keyOf(URI.create("/")));
        assertEquals("a b.txt", LocalSitePreview.keyOf(URI.create("/a%20b.txt")));
        assertEquals("assets/app.js", LocalSitePreview.keyOf(URI.create("/assets/app.js?v=1")));
        assertNull(LocalSitePreview.keyOf(URI.create("/a/../b")));
        assertNull(LocalSitePreview.keyOf(URI.create("/a/./b")));
        assertNull(LocalSitePreview.keyOf(URI.create("/a%00b")));
    }
}
