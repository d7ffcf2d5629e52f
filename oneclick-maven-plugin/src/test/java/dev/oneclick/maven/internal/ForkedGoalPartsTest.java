package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forked goal's protocol lines, forwarded properties and class-data archive files. */
class ForkedGoalPartsTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("oneclick.classDataArchive");
    }

    @Test
    void escape_whenTextHasLineBreaksAndBackslashes_comesBackWhole() {
        for (String text : List.of("", "plain", "two\nlines", "a\\nb", "c:\\dir\\new", "cr\r\nlf", "end\\")) {
            String line = ForkedGoal.escape(text);
            assertFalse(line.contains("\n") || line.contains("\r"), line);
            assertEquals(text, ForkedGoal.unescape(line));
        }
    }

    @Test
    void jvmOptions_addsTheUsersAfterTheChildsOwnAndLetsACollectorReplaceTheSerialOne() {
        assertEquals(ForkedGoal.JVM_OPTIONS, ForkedGoal.jvmOptions(null));
        assertEquals(ForkedGoal.JVM_OPTIONS, ForkedGoal.jvmOptions("  "));
        List<String> more = ForkedGoal.jvmOptions(" -Xmx2g  -XX:TieredStopAtLevel=4 ");
        assertEquals(List.of("-Xmx2g", "-XX:TieredStopAtLevel=4"), more.subList(more.size() - 2, more.size()));
        assertTrue(more.containsAll(ForkedGoal.JVM_OPTIONS), more.toString());
        List<String> g1 = ForkedGoal.jvmOptions("-XX:+UseG1GC");
        assertFalse(g1.contains("-XX:+UseSerialGC"), g1.toString());
        assertEquals("-XX:+UseG1GC", g1.get(g1.size() - 1));
    }

    @Test
    void forwarded_takesAwsProxyTrustAndLoggingPropertiesOnly() {
        for (String k : List.of("aws.region", "aws.accessKeyId", "https.proxyHost", "http.nonProxyHosts",
                "javax.net.ssl.trustStore", "org.slf4j.simpleLogger.log.dev.oneclick", "oneclick.hashCache")) {
            assertTrue(ForkedGoal.forwarded(k), k);
        }
        for (String k : List.of("java.home", "user.dir", "maven.home", "classworlds.conf", "line.separator")) {
            assertFalse(ForkedGoal.forwarded(k), k);
        }
    }

    private Path jar(String name) throws Exception {
        Path jar = dir.resolve(name);
        Files.writeString(jar, name);
        return jar;
    }

    @Test
    void archive_whenAJarChanges_isAnotherArchive() throws Exception {
        Path a = jar("a.jar");
        String cp = a + File.pathSeparator + jar("b.jar");
        String before = ClassDataArchive.key(cp);
        assertEquals(before, ClassDataArchive.key(cp));
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
        assertNotEquals(before, ClassDataArchive.key(cp));
    }

    @Test
    void archive_whenAFolderIsOnTheClassPath_isNotUsed() throws Exception {
        System.setProperty("oneclick.classDataArchive", dir.resolve("cds").toString());
        Files.createDirectories(dir.resolve("classes"));
        ClassDataArchive cds = ClassDataArchive.forClasspath(jar("a.jar") + File.pathSeparator + dir.resolve("classes"));
        assertEquals(List.of(), cds.options());
        assertFalse(cds.exists());
    }

    @Test
    void archive_whenSwitchedOff_isNotUsed() throws Exception {
        System.setProperty("oneclick.classDataArchive", "off");
        assertEquals(List.of(), ClassDataArchive.forClasspath(jar("a.jar").toString()).options());
    }

    @Test
    void archive_writtenByAChildThatSucceeded_isMappedByTheNextAndOnlyTheNewestThreeStay() throws Exception {
        Path folder = dir.resolve("cds");
        System.setProperty("oneclick.classDataArchive", folder.toString());
        for (int i = 0; i < 5; i++) {
            String cp = jar("lib" + i + ".jar").toString();
            ClassDataArchive first = ClassDataArchive.forClasspath(cp);
            assertFalse(first.exists());
            assertTrue(first.options().get(0).startsWith("-XX:ArchiveClassesAtExit=" + folder), first.options()
                    .toString());
            Files.writeString(first.pending(), "archive " + i); // what the JVM writes at the child's end
            Files.setLastModifiedTime(first.pending(), FileTime.fromMillis(1_000_000L * (i + 1)));
            first.keep();

            ClassDataArchive next = ClassDataArchive.forClasspath(cp);
            assertTrue(next.exists());
            assertNull(next.pending());
            assertEquals(List.of("-XX:SharedArchiveFile=" + first.file(), "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off"), next.options());
        }
        try (Stream<Path> s = Files.list(folder)) {
            List<String> left = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(ClassDataArchive.KEEP, left.size(), left.toString());
            assertTrue(left.stream().allMatch(n -> n.endsWith(".jsa")), left.toString());
        }
    }

    @Test
    void archive_writtenByAChildThatFailed_isDropped() throws Exception {
        Path folder = dir.resolve("cds");
        System.setProperty("oneclick.classDataArchive", folder.toString());
        ClassDataArchive cds = ClassDataArchive.forClasspath(jar("a.jar").toString());
        Files.writeString(cds.pending(), "partial");
        cds.discard();
        try (Stream<Path> s = Files.list(folder)) {
            assertEquals(0, s.count());
        }
        assertFalse(ClassDataArchive.forClasspath(jar("a.jar").toString()).exists());
    }
}
