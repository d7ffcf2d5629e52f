package dev.oneclick.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sweep's site: four small files of different kinds (page, nested page, hashed asset, icon). */
final class SmallSite {
    private SmallSite() {
    }

    static Path write(Path dir) throws IOException {
        write(dir, "index.html", "<!doctype html><title>app</title><script src=\"/assets/app.3f9a2b1c.js\"></script>");
        write(dir, "about/index.html", "<!doctype html><title>about</title>");
        write(dir, "assets/app.3f9a2b1c.js", "console.log('hello');");
        write(dir, "favicon.ico", "ico");
        return dir;
    }

    static void write(Path dir, String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
