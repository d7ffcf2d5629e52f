package dev.oneclick.stack.internal;

import dev.oneclick.DeployRequest;
import dev.oneclick.errors.OneclickException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The page a full stack without a frontend serves at {@code /}: one {@code index.html} naming the project and linking
 * {@code /api/}, written into a fresh temporary folder (never one of the user's) so the stack gets the same bucket and
 * distribution as with a frontend, and the load balancer, which answers only CloudFront, is reachable under
 * {@code /api/*}. Its bytes depend only on the project name and the health-check path, so a rerun uploads nothing.
 */
final class PlaceholderSite implements AutoCloseable {
    static final String INDEX = "index.html";

    private final Path dir;

    private PlaceholderSite(Path dir) {
        this.dir = dir;
    }

    /** Whether a full-stack request has a frontend: a site folder, a build command, or dist/ or build/ in its project. */
    static boolean hasFrontend(DeployRequest r) {
        if (r.siteDir() != null || r.buildCommand() != null) {
            return true;
        }
        Path p = r.projectDir();
        return p != null && (Files.isDirectory(p.resolve("dist")) || Files.isDirectory(p.resolve("build")));
    }

    /** Writes the page for {@code request} into a new temporary folder. */
    static PlaceholderSite write(DeployRequest request) {
        try {
            Path dir = Files.createTempDirectory("oneclick-placeholder-");
            Files.writeString(dir.resolve(INDEX), page(request), StandardCharsets.UTF_8);
            return new PlaceholderSite(dir);
        } catch (IOException e) {
            throw new OneclickException("Could not write the placeholder page of a full stack without a frontend "
                    + "into a temporary folder (java.io.tmpdir=" + System.getProperty("java.io.tmpdir") + "): " + e,
                    e);
        }
    }

    /**
     * The request the static site deploys: this folder as its site, no build, no project folder, {@code index.html}
     * as the entry page and no SPA fallback (so the backend's own 403 and 404 answers reach the caller unchanged).
     */
    DeployRequest siteRequest(DeployRequest request) {
        return request.toBuilder().siteDir(dir).projectDir(null).buildCommand(null).planBuild(false)
                .cacheRules(null).excludes(java.util.List.of()).includes(java.util.List.of()).indexDocument(INDEX)
                .routing(DeployRequest.Routing.NONE).build();
    }

    Path dir() {
        return dir;
    }

    /** The page's text. */
    static String page(DeployRequest request) {
        String name = html(request.projectName());
        String health = request.backend() == null ? null : request.backend().healthCheckPath();
        String healthLink = health != null && health.startsWith("/api/")
                ? "\n<p>Health check: <a href=\"" + html(health) + "\">" + html(health) + "</a></p>" : "";
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + name + "</title>\n</head>\n<body>\n<h1>" + name + "</h1>\n"
                + "<p>This project is a backend without a frontend. Its API answers under "
                + "<a href=\"/api/\">/api/</a>.</p>" + healthLink + "\n"
                + "<p>Deployed with oneclick; deploy a site folder (oneclick.siteDir) to replace this page.</p>\n"
                + "</body>\n</html>\n";
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** Deletes the folder; a leftover temporary file is not worth failing a deploy for. */
    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            dir.toFile().deleteOnExit();
        }
    }
}
