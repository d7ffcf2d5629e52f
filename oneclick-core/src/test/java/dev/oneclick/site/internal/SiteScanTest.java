package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.site.CacheRules;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Validation and hashing of a site folder; no S3 calls are made. */
class SiteScanTest {
    @TempDir
    Path tmp;

    /** Never called: scan and locateSite read only the disk. */
    private static final S3AsyncClient unused = S3AsyncClient.builder().region(Region.US_EAST_1)
            .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
            .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
            .build();
    private final SiteSync sync = new SiteSync(unused, 4, DeployListener.NONE, "guid");

    private Path site() throws IOException {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>hi</h1>");
        return site;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void scan_whenSiteIsValid_listsFilesSortedWithHashesAndHeaders() throws Exception {
        Path site = site();
        Files.createDirectories(site.resolve("assets"));
        Files.writeString(site.resolve("assets/app.3f9a1c2b.js"), "x");
        SiteSnapshot snap = sync.scan(site, null);
        assertEquals(List.of("assets/app.3f9a1c2b.js", "index.html"),
                snap.files().stream().map(SiteFile::key).toList());
        SiteFile index = snap.files().get(1);
        assertEquals(sha256("<h1>hi</h1>".getBytes(StandardCharsets.UTF_8)), index.sha256());
        assertEquals(11, index.size());
        assertEquals("text/html; charset=utf-8", index.contentType());
        assertEquals(CacheRules.NO_CACHE, index.cacheControl());
        assertEquals(CacheRules.IMMUTABLE, snap.files().get(0).cacheControl());
        assertEquals(12, snap.totalBytes());
    }

    @Test
    void scan_whenFileIsLarge_hashesItStreaming() throws Exception {
        Path site = site();
        byte[] block = new byte[1 << 20];
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(site.resolve("big.bin"))) {
            for (int i = 0; i < 12; i++) {
                block[i] = (byte) i;
                out.write(block);
                md.update(block);
            }
        }
        SiteFile big = sync.scan(site, null).files().get(0);
        assertEquals("big.bin", big.key());
        assertEquals(HexFormat.of().formatHex(md.digest()), big.sha256());
    }

    @Test
    void scan_whenFolderIsMissing_throwsInvalidSiteDir() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> sync.scan(tmp.resolve("nope"), null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("nope").toString()), e.getMessage());
    }

    @Test
    void scan_whenPathIsAFile_throwsInvalidSiteDir() throws IOException {
        Path f = Files.writeString(tmp.resolve("file.txt"), "x");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> sync.scan(f, null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    }

    @Test
    void scan_whenFolderIsEmpty_throwsInvalidSiteDir() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty/sub"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> sync.scan(empty.getParent(), null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void scan_whenIndexHtmlIsMissing_throwsInvalidSiteDir() throws IOException {
        Path site = Files.createDirectories(tmp.resolve("site/sub"));
        Files.writeString(site.resolve("index.html"), "nested, not at the top");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> sync.scan(site.getParent(), null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("no index.html"), e.getMessage());
    }

    @Test
    void scan_whenSymlinkLeadsOutside_throwsInvalidSiteDir() throws IOException {
        Path site = site();
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "password");
        Files.createSymbolicLink(site.resolve("leak.txt"), secret);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> sync.scan(site, null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("leak.txt") && e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void scan_whenDirectorySymlinkLeadsOutside_throwsInvalidSiteDir() throws IOException {
        Path site = site();
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("a.txt"), "a");
        Files.createSymbolicLink(site.resolve("linked"), outside);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> sync.scan(site, null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("linked"), e.getMessage());
    }

    @Test
    void scan_whenSymlinkStaysInside_followsIt() throws IOException {
        Path site = site();
        Files.createSymbolicLink(site.resolve("home.html"), site.resolve("index.html"));
        SiteSnapshot snap = sync.scan(site, null);
        assertEquals(List.of("home.html", "index.html"), snap.files().stream().map(SiteFile::key).toList());
        assertEquals(snap.files().get(0).sha256(), snap.files().get(1).sha256());
    }

    @Test
    void scan_whenSymlinkIsBroken_throwsInvalidSiteDir() throws IOException {
        Path site = site();
        Files.createSymbolicLink(site.resolve("gone.txt"), site.resolve("missing.txt"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> sync.scan(site, null));
        assertEquals("siteDir", e.field());
    }

    @Test
    void scan_whenSymlinkLoops_throwsInvalidSiteDir() throws IOException {
        Path site = site();
        Files.createDirectories(site.resolve("a"));
        Files.createSymbolicLink(site.resolve("a/loop"), site.resolve("a"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> sync.scan(site, null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("loop"), e.getMessage());
    }

    @Test
    void scan_whenSiteUsesReservedFolder_leavesItOutByDefaultAndRefusesItWhenIncluded() throws IOException {
        Path site = site();
        Files.createDirectories(site.resolve(".oneclick"));
        Files.writeString(site.resolve(".oneclick/manifest.json"), "{}");
        assertEquals(List.of(".oneclick/"), sync.scan(site, null).excluded());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> sync.scan(site, null, "index.html", null, List.of(".oneclick")));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }

    @Test
    void scan_whenNamesAreUnicodeAndSpaced_keysAreNfcWithSlashes() throws IOException {
        Path site = site();
        Files.createDirectories(site.resolve("my docs/\u65e5\u672c"));
        Files.writeString(site.resolve("my docs/\u65e5\u672c/cafe\u0301 menu.txt"), "x");
        List<String> keys = sync.scan(site, null).files().stream().map(SiteFile::key).toList();
        assertEquals(List.of("index.html", "my docs/\u65e5\u672c/caf\u00e9 menu.txt"), keys);
    }

    @Test
    void scan_whenTwoNamesNormaliseToOneKey_throwsInvalidSiteDir() throws IOException {
        Path site = site();
        Files.writeString(site.resolve("caf\u00e9.txt"), "composed");
        Files.writeString(site.resolve("cafe\u0301.txt"), "decomposed");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> sync.scan(site, null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("same key"), e.getMessage());
    }

    @Test
    void locateSite_whenSiteDirGiven_returnsIt() throws IOException {
        Path site = site();
        assertEquals(site, SiteSync.locateSite(site, null));
        assertEquals(site, SiteSync.locateSite(Path.of("site"), tmp));
    }

    @Test
    void locateSite_whenOnlyProjectDir_prefersDistThenBuild() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve("build"));
        assertEquals(project.resolve("build"), SiteSync.locateSite(null, project));
        Files.createDirectories(project.resolve("dist"));
        assertEquals(project.resolve("dist"), SiteSync.locateSite(null, project));
    }

    @Test
    void locateSite_whenNothingFound_namesTheFoldersLookedAt() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("project"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SiteSync.locateSite(null, project));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains(project.resolve("dist").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(project.resolve("build").toString()), e.getMessage());
    }

    @Test
    void locateSite_whenGivenSiteDirIsMissing_throwsInvalidSiteDir() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SiteSync.locateSite(tmp.resolve("out"), null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void constructor_whenConcurrencyIsZero_throwsInvalidInput() {
        assertEquals("concurrency", assertThrows(InvalidInputException.class,
                () -> new SiteSync(unused, 0, null, "g")).field());
    }

    // ====================================================================== excludes

    private Path projectLikeSite() throws IOException {
        Path site = site();
        for (String f : List.of(".env", ".claude/settings.json", ".well-known/security.txt",
                ".well-known/.hidden", "node_modules/left-pad/index.js", "target/classes/A.class",
                "SYSTEM_PROMPT.md", "docs/notify.sh", "certs/server.pem", "certs/server.key", "id_rsa.pub",
                "assets/.DS_Store", "assets/app.js", "assets/app.js.map", "drafts/wip.html", "robots.txt")) {
            Path p = site.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f);
        }
        return site;
    }

    @Test
    void scan_whenSiteHoldsSecretsAndToolFolders_leavesOutTheDefaultsAndListsThem() throws IOException {
        SiteSnapshot snap = sync.scan(projectLikeSite(), null);
        assertEquals(List.of(".well-known/.hidden", ".well-known/security.txt", "assets/app.js", "assets/app.js.map",
                "drafts/wip.html", "index.html", "robots.txt"), snap.files().stream().map(SiteFile::key).toList());
        assertEquals(List.of(".claude/", ".env", "SYSTEM_PROMPT.md", "assets/.DS_Store", "certs/server.key",
                "certs/server.pem", "docs/notify.sh", "id_rsa.pub", "node_modules/", "target/"), snap.excluded());
    }

    @Test
    void scan_whenUserExcludesAndIncludes_excludesWinAndIncludesBringBackDefaults() throws IOException {
        Path site = projectLikeSite();
        SiteSnapshot snap = sync.scan(site, null, "index.html", List.of("*.map", "/drafts/", "/.well-known/.hidden"),
                List.of(".env", "certs/*.pem", "*.map"));
        List<String> keys = snap.files().stream().map(SiteFile::key).toList();
        assertEquals(List.of(".env", ".well-known/security.txt", "assets/app.js", "certs/server.pem", "index.html",
                "robots.txt"), keys);
        assertTrue(snap.excluded().containsAll(List.of("assets/app.js.map", "drafts/", ".well-known/.hidden",
                "certs/server.key", "node_modules/")), snap.excluded().toString());
    }

    @Test
    void scan_whenAPatternIsNotAGlob_throwsInvalidExcludes() throws IOException {
        Path site = site();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> sync.scan(site, null, "index.html", List.of("assets/[a"), null));
        assertEquals("excludes", e.field());
        InvalidInputException blank = assertThrows(InvalidInputException.class,
                () -> sync.scan(site, null, "index.html", null, List.of(" ")));
        assertEquals("includes", blank.field());
    }

    @Test
    void scan_whenExcludedFolderHoldsLinksLeadingOutside_doesNotEnterIt() throws IOException {
        Path site = site();
        Files.createDirectories(site.resolve("node_modules"));
        Files.createSymbolicLink(site.resolve("node_modules/outside"), tmp);
        assertEquals(List.of("node_modules/"), sync.scan(site, null).excluded());
    }

    @Test
    void scan_whenEverythingIsExcluded_saysTheExcludesLeftOutAll() throws IOException {
        Path site = Files.createDirectories(tmp.resolve("only-dots"));
        Files.writeString(site.resolve(".env"), "SECRET=1");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> sync.scan(site, null));
        assertEquals("siteDir", e.field());
        assertTrue(e.getMessage().contains("excludes leave out all of it (.env)"), e.getMessage());
    }

    @Test
    void scan_whenTopHoldsNotifyShOrGit_refusesTheProjectFolder() throws IOException {
        for (String marker : List.of("notify.sh", ".git")) {
            Path site = Files.createDirectories(tmp.resolve("project-" + marker));
            Files.writeString(site.resolve("index.html"), "<h1>hi</h1>");
            if (marker.equals(".git")) {
                Files.createDirectories(site.resolve(".git"));
            } else {
                Files.writeString(site.resolve(marker), "#!/bin/sh\nSECRET=abc\n");
            }
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> sync.scan(site, null, "index.html", null, List.of(marker)));
            assertEquals("siteDir", e.field());
            assertTrue(e.getMessage().contains("holds " + marker) && e.getMessage().contains("build output"),
                    e.getMessage());
        }
    }

    @Test
    void scan_whenGitIsAWorktreeFileAtTheTop_refusesTheProjectFolder() throws IOException {
        Path site = site();
        Files.writeString(site.resolve(".git"), "gitdir: /elsewhere/.git/worktrees/x\n");
        assertThrows(InvalidInputException.class, () -> sync.scan(site, null));
    }

    // ====================================================================== key names

    @Test
    void scan_whenNameHasPlus_keepsItAsTheKey() throws IOException {
        Path site = site();
        Files.writeString(site.resolve("c++ notes.html"), "x");
        assertEquals(List.of("c++ notes.html", "index.html"),
                sync.scan(site, null).files().stream().map(SiteFile::key).toList());
    }

    @Test
    void scan_whenNameCannotBeServedAsTyped_refusesNamingTheFile() throws IOException {
        for (String name : List.of("100%.html", "a%20b.html", "a#b.html", "a?b.html", "trailing.html ",
                "dir /x.html", "ctl\u0001.html", "tab\t.html", "nl\n.html", "del\u007f.html")) {
            Path site = Files.createDirectories(tmp.resolve("odd-" + Math.abs(name.hashCode())));
            Files.writeString(site.resolve("index.html"), "<h1>hi</h1>");
            Path p = site.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> sync.scan(site, null), name);
            assertEquals("siteDir", e.field());
            assertTrue(e.getMessage().contains("'" + KeyNames.printable(name) + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("Rename it"), e.getMessage());
        }
    }
}
