package dev.oneclick.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** The fault tests' site: four small files of different kinds (page, nested page, hashed asset, icon). */
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

    /**
     * The small site plus one 9 MB file of seeded random bytes at {@code rel}: at least the engine's multipart
     * threshold (8 MB), so it goes up as CreateMultipartUpload, two UploadParts and CompleteMultipartUpload.
     */
    static Path withMultipartFile(Path dir, String rel, long seed) throws IOException {
        write(dir);
        byte[] big = new byte[9 * 1024 * 1024 + (int) (seed % 1000)];
        new Random(seed).nextBytes(big);
        Files.write(dir.resolve(rel), big);
        return dir;
    }

    static void write(Path dir, String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
