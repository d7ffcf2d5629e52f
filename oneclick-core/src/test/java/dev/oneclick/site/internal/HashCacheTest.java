package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The local hash cache's rules: unchanged files are not read, racy entries and replaced files are. */
@ResourceLock("oneclick.hashCache")
class HashCacheTest {
    @TempDir
    Path tmp;
    private Path site;
    private String before;

    @BeforeEach
    void setUp() throws Exception {
        before = System.getProperty(HashCache.PROPERTY);
        System.setProperty(HashCache.PROPERTY, tmp.resolve("cache").toString());
        site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<p>one</p>");
        Files.writeString(site.resolve("app.js"), "let a = 1;");
    }

    @AfterEach
    void tearDown() {
        if (before == null) {
            System.clearProperty(HashCache.PROPERTY);
        } else {
            System.setProperty(HashCache.PROPERTY, before);
        }
    }

    private String hashOf(String key) {
        return SiteScanner.scan(site, List.of()).files().stream().filter(f -> f.key().equals(key)).findFirst()
                .orElseThrow().sha256();
    }

    private static String sha(String text) {
        return HexFormat.of().formatHex(SiteScanner.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Moves a file's modification time into the past, as a build long before the deploy leaves it. */
    private static void age(Path p, int seconds) throws Exception {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(seconds)));
    }

    @Test
    void anUnchangedFileIsNotReadAgain() throws Exception {
        age(site.resolve("index.html"), 3600);
        assertEquals(sha("<p>one</p>"), hashOf("index.html"));
        // Same size, same modification time, same inode: only a cache could still answer the old hash.
        FileTime mtime = Files.getLastModifiedTime(site.resolve("index.html"));
        Files.writeString(site.resolve("index.html"), "<p>two</p>");
        Files.setLastModifiedTime(site.resolve("index.html"), mtime);
        assertEquals(sha("<p>one</p>"), hashOf("index.html"), "the cached hash was used, the file not read");
    }

    @Test
    void aSameSizeEditWithinTheSameSecondIsDetected() throws Exception {
        Path index = site.resolve("index.html");
        assertEquals(sha("<p>one</p>"), hashOf("index.html")); // cache written right after the file changed
        FileTime mtime = Files.getLastModifiedTime(index);
        // An edit of the same size within the timestamp granularity: on a coarse file system its modification
        // time does not move; restore it to make that so here too.
        Files.writeString(index, "<p>two</p>");
        Files.setLastModifiedTime(index, mtime);
        assertEquals(sha("<p>two</p>"), hashOf("index.html"), "a racy entry is re-hashed");
        // Once re-hashed long enough after the change, the entry becomes trustworthy.
        age(index, 3600);
        assertEquals(sha("<p>two</p>"), hashOf("index.html"));
    }

    @Test
    void aChangedSizeTimeOrFileIsReadAgain() throws Exception {
        Path js = site.resolve("app.js");
        age(js, 3600);
        assertEquals(sha("let a = 1;"), hashOf("app.js"));
        FileTime old = Files.getLastModifiedTime(js);

        Files.writeString(js, "let a = 22;"); // size changes
        Files.setLastModifiedTime(js, old);
        assertEquals(sha("let a = 22;"), hashOf("app.js"));

        age(js, 7200);
        hashOf("app.js");
        Files.writeString(js, "let b = 22;"); // same size, new time
        Files.setLastModifiedTime(js, FileTime.from(Instant.now().minusSeconds(3000)));
        assertEquals(sha("let b = 22;"), hashOf("app.js"));

        // Replaced by another file (new inode) with the same size and time, as a rebuild with a rename does.
        FileTime t = Files.getLastModifiedTime(js);
        Path other = Files.writeString(tmp.resolve("other.js"), "let c = 22;");
        Files.setLastModifiedTime(other, t);
        Files.move(other, js, StandardCopyOption.REPLACE_EXISTING);
        assertEquals(sha("let c = 22;"), hashOf("app.js"));
    }

    @Test
    void entriesOfRemovedFilesAreDroppedAndBadCachesIgnored() throws Exception {
        age(site.resolve("app.js"), 3600);
        hashOf("index.html");
        Path cacheFile;
        try (var s = Files.list(tmp.resolve("cache"))) {
            cacheFile = s.filter(p -> p.toString().endsWith(".tsv")).findFirst().orElseThrow();
        }
        assertTrue(Files.readString(cacheFile).contains("\tapp.js\n"));
        Files.delete(site.resolve("app.js"));
        hashOf("index.html");
        assertTrue(!Files.readString(cacheFile).contains("app.js"));

        Files.writeString(cacheFile, "garbage\n");
        assertEquals(sha("<p>one</p>"), hashOf("index.html"));
        HashCache bad = HashCache.load(tmp.resolve("absent.tsv"));
        assertNull(bad.lookup("index.html", new HashCache.Stat(1, 1, "-")));
    }

    @Test
    void aRunThatChangesNothingDoesNotWriteTheCacheAgain() throws Exception {
        Path js = site.resolve("app.js");
        hashOf("index.html"); // just built: both entries racy
        Path cacheFile = cacheFile();
        Object first = fileKey(cacheFile);
        hashOf("index.html");
        Object second = fileKey(cacheFile);
        assertNotEquals(first, second, "racy entries were re-hashed, so the cache was written again");

        age(site.resolve("index.html"), 3600);
        age(js, 3600);
        hashOf("index.html"); // new times: written
        Object third = fileKey(cacheFile);
        assertNotEquals(second, third);
        assertEquals(sha("let a = 1;"), hashOf("app.js"));
        assertEquals(third, fileKey(cacheFile), "nothing changed and nothing racy: not written");

        FileTime old = Files.getLastModifiedTime(js);
        Files.writeString(js, "let a = 22;");
        Files.setLastModifiedTime(js, old);
        assertEquals(sha("let a = 22;"), hashOf("app.js"));
        Object fourth = fileKey(cacheFile);
        assertNotEquals(third, fourth, "a changed file: written");
        assertEquals(sha("let a = 22;"), hashOf("app.js"));
        assertEquals(fourth, fileKey(cacheFile));

        Files.setLastModifiedTime(cacheFile, FileTime.from(Instant.now().minus(HashCache.REFRESH).minusSeconds(60)));
        assertEquals(sha("let a = 22;"), hashOf("app.js"));
        assertNotEquals(fourth, fileKey(cacheFile), "older than a day: written again, unchanged or not");
        assertTrue(Files.getLastModifiedTime(cacheFile).toInstant().isAfter(Instant.now().minusSeconds(60)));
    }

    private Path cacheFile() throws Exception {
        try (var s = Files.list(tmp.resolve("cache"))) {
            return s.filter(p -> p.toString().endsWith(".tsv")).findFirst().orElseThrow();
        }
    }

    private static Object fileKey(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    @Test
    void offHashesEverything() throws Exception {
        System.setProperty(HashCache.PROPERTY, "off");
        age(site.resolve("index.html"), 3600);
        hashOf("index.html");
        FileTime mtime = Files.getLastModifiedTime(site.resolve("index.html"));
        Files.writeString(site.resolve("index.html"), "<p>two</p>");
        Files.setLastModifiedTime(site.resolve("index.html"), mtime);
        assertNotEquals(sha("<p>one</p>"), hashOf("index.html"));
        assertTrue(!Files.exists(tmp.resolve("cache")));
    }
}
