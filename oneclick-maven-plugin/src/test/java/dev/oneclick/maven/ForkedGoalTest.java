package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.LocalAws;
import dev.oneclick.maven.internal.ForkedGoal;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy and destroy to the AWS target run in a child JVM ({@link ForkedGoal}): against real local endpoints
 * (s3proxy and dynalite from oneclick-local), the child deploys, its log lines come back at their levels, its
 * failures fail the goal here with the in-process message, and the class-data archive is written by a first child
 * and mapped by the next.
 */
class ForkedGoalTest {
    private static LocalAws aws;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    /** Captures every level, debug on. */
    static final class CapturingLog extends SystemStreamLog {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public void debug(CharSequence content) {
            lines.add("D " + content);
        }

        @Override
        public void info(CharSequence content) {
            lines.add("I " + content);
        }

        @Override
        public void warn(CharSequence content) {
            lines.add("W " + content);
        }
    }

    private <T extends AbstractOneclickMojo> T configure(T m, String guid, Path site) {
        m.guid = guid;
        m.userId = "fork-user";
        m.siteDir = site.toString();
        m.target = "aws";
        m.fork = true;
        m.tableName = "tmux-deployments";
        m.prune = true;
        m.maxDeletes = 1000;
        m.spaFallback = true;
        m.cdn = false;
        m.s3Compatible = true;
        m.region = "us-east-1";
        m.s3Endpoint = aws.s3Endpoint().toString();
        m.dynamoDbEndpoint = aws.dynamoDbEndpoint().toString();
        return m;
    }

    /** The user's {@code -D} properties of the run: credentials for the local endpoints. */
    private static Properties userProperties() {
        Properties p = new Properties();
        p.setProperty("aws.accessKeyId", "test");
        p.setProperty("aws.secretAccessKey", "test");
        return p;
    }

    private Path site(String name) throws IOException {
        Path site = dir.resolve(name);
        Files.createDirectories(site.resolve("assets"));
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>fork</title><script src=assets/a.js>");
        Files.writeString(site.resolve("assets/a.js"), "console.log('fork');\n");
        return site;
    }

    private static String testClasspath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private List<String> keys(String guid) {
        return aws.s3Client().listObjectsV2(r -> r.bucket("tmux-builder-" + guid)).contents().stream()
                .map(o -> o.key()).sorted().toList();
    }

    @Test
    void deploy_whenForked_deploysFromAChildJvmAndRelaysItsLog() throws Exception {
        String guid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
        Path out = dir.resolve("out/resources.json");
        DeployMojo m = configure(new DeployMojo(), guid, site("site"));
        m.outputFile = out.toFile();
        CapturingLog log = new CapturingLog();
        m.setLog(log);

        ForkedGoal.run(m, dir, dir.resolve("target").toFile(), userProperties(), log, null, testClasspath());

        String child = log.lines.stream().filter(l -> l.startsWith("D Running DeployMojo in a forked JVM (pid "))
                .findFirst().orElseThrow(() -> new AssertionError(log.lines.toString()));
        assertFalse(child.contains("(pid " + ProcessHandle.current().pid() + ")"), child);
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("I oneclick deploy of " + guid + " finished")),
                log.lines.toString());
        assertTrue(log.lines.stream().anyMatch(l -> l.equals("I   Files: 2 uploaded (79 bytes), 0 headers updated, 0 "
                + "deleted, 0 unchanged")), log.lines.toString());
        assertTrue(Files.readString(out).contains("tmux-builder-" + guid), Files.readString(out));
        assertTrue(Files.isRegularFile(dir.resolve("target/oneclick/last-deploy.properties")),
                "the child writes into the parent's build folder");
        assertEquals(List.of(".oneclick/manifest.json", "assets/a.js", "index.html"), keys(guid));

        DestroyMojo d = configure(new DestroyMojo(), guid, dir.resolve("site"));
        d.setLog(log);
        // the user's options come after the child's own; a collector named there replaces the serial one (the JVM
        // refuses to start with two)
        ForkedGoal.run(d, dir, dir.resolve("target").toFile(), userProperties(), log, "-XX:+UseG1GC -Xmx256m",
                testClasspath());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("D Running DestroyMojo in a forked JVM")),
                log.lines.toString());
    }

    @Test
    void deploy_whenTheChildFails_failsWithTheMessageTheInProcessGoalGives() throws Exception {
        String guid = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
        DeployMojo inProcess = configure(new DeployMojo(), guid, dir.resolve("missing"));
        inProcess.fork = false;
        inProcess.setLog(new CapturingLog());
        MojoFailureException expected = assertThrows(MojoFailureException.class, inProcess::execute);

        DeployMojo forked = configure(new DeployMojo(), guid, dir.resolve("missing"));
        CapturingLog log = new CapturingLog();
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> ForkedGoal.run(forked, dir,
                dir.resolve("target").toFile(), userProperties(), log, null, testClasspath()));

        assertEquals(expected.getMessage(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Invalid oneclick.siteDir:"), e.getMessage());
        // the cause is the child's stack trace, for -e and -X
        assertTrue(e.getCause() != null && e.getCause().getClass().getSimpleName().equals("ChildFailure")
                && e.getCause().getMessage().contains("org.apache.maven.plugin.MojoFailureException: Invalid oneclick"
                + ".siteDir:") && e.getCause().getMessage().contains("\tat dev.oneclick."),
                String.valueOf(e.getCause()));
    }

    @Test
    void deploy_whenTheClassPathIsAllJars_theFirstChildWritesTheClassDataArchiveAndTheNextMapsIt() throws Exception {
        StringBuilder jars = new StringBuilder();
        for (String entry : testClasspath().split(File.pathSeparator)) {
            Path p = Path.of(entry);
            Path jar = Files.isDirectory(p) ? jar(p) : p;
            if (Files.exists(jar)) {
                jars.append(jars.length() == 0 ? "" : File.pathSeparator).append(jar);
            }
        }
        Path archives = dir.resolve("cds");
        String before = System.getProperty("oneclick.classDataArchive");
        System.setProperty("oneclick.classDataArchive", archives.toString());
        try {
            for (int run = 1; run <= 2; run++) {
                String guid = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6" + run;
                DeployMojo m = configure(new DeployMojo(), guid, site("site" + run));
                m.outputFile = dir.resolve("out" + run + ".json").toFile();
                CapturingLog log = new CapturingLog();
                m.setLog(log);
                ForkedGoal.run(m, dir, dir.resolve("target").toFile(), userProperties(), log, null, jars.toString());
                String fork = log.lines.stream().filter(l -> l.startsWith("D timing: forking the goal's JVM"))
                        .findFirst().orElseThrow(() -> new AssertionError(log.lines.toString()));
                assertTrue(fork.contains(run == 1 ? "(writing the class-data archive " : "(class-data archive "),
                        fork);
                try (Stream<Path> s = Files.list(archives)) {
                    List<String> names = s.map(p -> p.getFileName().toString()).toList();
                    assertEquals(1, names.size(), names.toString());
                    assertTrue(names.get(0).endsWith(".jsa"), names.toString());
                }
                assertEquals(List.of(".oneclick/manifest.json", "assets/a.js", "index.html"), keys(guid));
            }
        } finally {
            if (before == null) {
                System.clearProperty("oneclick.classDataArchive");
            } else {
                System.setProperty("oneclick.classDataArchive", before);
            }
        }
    }

    /** A class folder packed into a jar (the JVM maps no class-data archive with a folder on the class path). */
    private Path jar(Path folder) throws IOException {
        Path jar = dir.resolve("jars").resolve(folder.toString().replaceAll("[^A-Za-z0-9]", "_") + ".jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o);
                Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                j.putNextEntry(new JarEntry(folder.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return jar;
    }
}
