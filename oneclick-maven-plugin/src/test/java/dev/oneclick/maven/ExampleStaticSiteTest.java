package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.site.CacheRules;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The README's main job on {@code oneclick-examples/static-site}, in-process: its POM's plugin configuration is
 * deployed to the local target and the preview must serve the app as the CDN would: the page at {@code /}, every
 * client-side route of the app with the page (SPA fallback), the fingerprinted assets the page links with a year of
 * immutable caching and the page itself with {@code no-cache}.
 */
class ExampleStaticSiteTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("basedir", ".")).resolve(
            "../oneclick-examples/static-site").normalize();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The value of {@code <name>} in the example POM's oneclick-maven-plugin configuration. */
    private static String config(String name) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(EXAMPLE.resolve("pom.xml").toFile());
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            if (!"oneclick-maven-plugin".equals(child(p, "artifactId"))) {
                continue;
            }
            for (Node c = p.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e && e.getTagName().equals("configuration")) {
                    return child(e, name);
                }
            }
        }
        throw new AssertionError("no oneclick-maven-plugin configuration in " + EXAMPLE.resolve("pom.xml"));
    }

    private static String child(Element parent, String name) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void siteAssets_whenFingerprinted_nameCarriesTheirContentHash() throws Exception {
        Path site = EXAMPLE.resolve(config("siteDir"));
        String index = Files.readString(site.resolve("index.html"));
        List<String> assets = all(Pattern.compile("(?:href|src)=\"/(assets/[^\"]+)\""), index);
        assertEquals(2, assets.size(), "index.html links the script and the stylesheet: " + assets);
        for (String asset : assets) {
            Matcher m = Pattern.compile("\\.([0-9a-f]{8})\\.(js|css)$").matcher(asset);
            assertTrue(m.find(), asset + " is fingerprinted");
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(site.resolve(asset)));
            assertEquals(HexFormat.of().formatHex(sha).substring(0, 8), m.group(1),
                    asset + ": the fingerprint is the first 8 hex digits of the file's SHA-256");
        }
    }

    @Test
    void deploy_whenExampleDeployedLocally_previewServesTheAppLikeTheCdn() throws Exception {
        Path site = EXAMPLE.resolve(config("siteDir"));
        String index = Files.readString(site.resolve("index.html"));
        String script = Files.readString(site.resolve(all(Pattern.compile("src=\"/(assets/[^\"]+\\.js)\""), index)
                .get(0)));
        List<String> routes = all(Pattern.compile("'(/[a-z0-9-]+)'\\s*:\\s*\\{"), script);
        assertTrue(routes.size() >= 2, "the app has client-side routes: " + routes);

        DeployMojo m = new DeployMojo();
        assertNull(config("guid"), "the example's GUID comes from its git-ignored guidFile, one per checkout");
        assertEquals("oneclick-guid.txt", config("guidFile"));
        m.guidFile = dir.resolve("oneclick-guid.txt").toString();
        m.projectName = config("projectName");
        m.siteDir = site.toString();
        m.cacheRules = config("cacheRules");
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
            assertEquals("tmux-builder-" + guid,
                    new ObjectMapper().readTree(dir.resolve("resources.json").toFile()).get("s3Bucket").asText());

            HttpResponse<String> root = get(url, "/");
            assertEquals(200, root.statusCode());
            assertEquals(index, root.body());
            assertEquals(CacheRules.NO_CACHE, root.headers().firstValue("Cache-Control").orElse(null));

            for (String route : routes) {
                HttpResponse<String> r = get(url, route);
                assertEquals(200, r.statusCode(), route);
                assertEquals(index, r.body(), route + " is answered with the app's page");
            }
            for (String asset : all(Pattern.compile("(?:href|src)=\"(/assets/[^\"]+)\""), index)) {
                HttpResponse<String> a = get(url, asset);
                assertEquals(200, a.statusCode(), asset);
                assertEquals(Files.readString(site.resolve(asset.substring(1))), a.body(), asset);
                assertEquals(CacheRules.IMMUTABLE, a.headers().firstValue("Cache-Control").orElse(null), asset);
                String type = a.headers().firstValue("Content-Type").orElse("");
                assertTrue(type.contains(asset.endsWith(".css") ? "text/css" : "javascript"), asset + ": " + type);
            }
            HttpResponse<String> missing = get(url, "/assets/nope.js");
            assertEquals(404, missing.statusCode(), "a missing asset is 404, not the app's page");
            HttpResponse<String> icon = get(url, "/favicon.svg");
            assertTrue(icon.headers().firstValue("Content-Type").orElse("").startsWith("image/svg+xml"));
        } finally {
            thread[0].interrupt();
            thread[0].join(30_000);
        }
        assertFalse(thread[0].isAlive(), "deploy returns once interrupted");
        assertNull(failure.get(), () -> "deploy failed: " + failure.get());
    }
}
