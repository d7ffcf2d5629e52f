package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs dynalite for real with npm ci (served from npm's local cache once it has the packages). */
class DynaliteInstallerTest {

    @Test
    void installIn_whenTwoThreadsInstallAtOnce_bothGetOneCompleteInstallation(@TempDir Path base) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Callable<Path> install = () -> {
            go.await();
            return DynaliteInstaller.installIn(base, Executables.systemPath());
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> first = pool.submit(install);
            Future<Path> second = pool.submit(install);
            go.countDown();
            Path target = base.resolve("dynalite-" + Dynalite.VERSION);
            assertEquals(target, first.get());
            assertEquals(target, second.get());
        } finally {
            pool.shutdownNow();
        }
        Path target = base.resolve("dynalite-4.0.0");
        assertTrue(Files.isRegularFile(target.resolve("node_modules/dynalite/cli.js")));
        assertTrue(Files.isRegularFile(target.resolve(DynaliteInstaller.MARKER)));
        assertTrue(Files.readString(target.resolve("package-lock.json")).contains("\"dynalite\": \"4.0.0\""));
        try (Stream<Path> entries = Files.list(base)) {
            assertEquals(List.of(target), entries.toList(), "staging folders were left behind");
        }
        assertEquals(target, DynaliteInstaller.installIn(base, ""), "an installed copy needs no npm");
    }

    @Test
    void installIn_whenNpmNotOnPath_throwsNodeNotFound(@TempDir Path base) {
        NodeNotFoundException e = assertThrows(NodeNotFoundException.class,
                () -> DynaliteInstaller.installIn(base, base.resolve("empty-bin").toString()));
        assertTrue(e.getMessage().contains("'npm' was not found on the PATH"), e.getMessage());
        assertTrue(e.getMessage().contains("install Node.js 20 or newer"), e.getMessage());
        assertTrue(e.getMessage().contains("ONECLICK_LOCAL_BACKEND=localstack"), e.getMessage());
    }

    @Test
    void installIn_whenTargetHoldsForeignFiles_throwsAndKeepsThem(@TempDir Path base) throws Exception {
        Path target = Files.createDirectories(base.resolve("dynalite-4.0.0"));
        Files.writeString(target.resolve("notes.txt"), "mine");

        LocalAwsException e = assertThrows(LocalAwsException.class,
                () -> DynaliteInstaller.installIn(base, Executables.systemPath()));

        assertTrue(e.getMessage().contains("is not a complete dynalite 4.0.0 installation"), e.getMessage());
        assertTrue(e.getMessage().contains("Delete it"), e.getMessage());
        assertEquals("mine", Files.readString(target.resolve("notes.txt")));
    }

    @Test
    void installIn_whenNpmCiFails_throwsWithItsOutputAndLeavesNothing(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("node", "npm")) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho \"npm ERR! 404 Not Found - GET dynalite\"\nexit 3\n");
            script.toFile().setExecutable(true);
        }
        Path base = dir.resolve("home");

        LocalAwsException e = assertThrows(LocalAwsException.class,
                () -> DynaliteInstaller.installIn(base, bin.toString()));

        assertTrue(e.getMessage().contains("npm ci for dynalite 4.0.0 failed with exit code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("npm ERR! 404 Not Found - GET dynalite"), e.getMessage());
        try (Stream<Path> entries = Files.list(base)) {
            assertEquals(List.of(), entries.toList(), "a failed install must leave nothing behind");
        }
    }

    @Test
    void locate_whenDirPropertyLacksDynalite_throwsNamingTheSetting(@TempDir Path dir) {
        System.setProperty(DynaliteInstaller.DIR_PROPERTY, dir.toString());
        try {
            LocalAwsException e = assertThrows(LocalAwsException.class, DynaliteInstaller::locate);
            assertTrue(e.getMessage().contains("oneclick.dynalite.dir / ONECLICK_DYNALITE_DIR is set to " + dir),
                    e.getMessage());
        } finally {
            System.clearProperty(DynaliteInstaller.DIR_PROPERTY);
        }
    }

    @Test
    void locate_whenDirPropertyHoldsDynalite_returnsIt(@TempDir Path dir) throws Exception {
        Path cli = dir.resolve("node_modules/dynalite/cli.js");
        Files.createDirectories(cli.getParent());
        Files.writeString(cli, "// stand-in");
        System.setProperty(DynaliteInstaller.DIR_PROPERTY, dir.toString());
        try {
            assertEquals(dir.toAbsolutePath(), DynaliteInstaller.locate());
        } finally {
            System.clearProperty(DynaliteInstaller.DIR_PROPERTY);
        }
    }

    @Test
    void require_whenNodeMissingFromPath_throwsNodeNotFound(@TempDir Path emptyBin) {
        NodeNotFoundException e = assertThrows(NodeNotFoundException.class,
                () -> Executables.require("node", emptyBin.toString()));
        assertTrue(e.getMessage().startsWith("'node' was not found on the PATH (" + emptyBin + ")"), e.getMessage());
    }

    @Test
    void find_whenExecutableOnPath_returnsIt() {
        assertTrue(Executables.find("node", Executables.systemPath()).isPresent());
    }

    @Test
    void packagedProject_pinsExactlyDynalite400() throws Exception {
        try (var in = DynaliteInstaller.class.getResourceAsStream("/dev/oneclick/local/node/package.json")) {
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(json.contains("\"dynalite\": \"4.0.0\""), json);
            assertTrue(json.contains("\"private\": true"), json);
        }
        try (var in = DynaliteInstaller.class.getResourceAsStream("/dev/oneclick/local/node/package-lock.json")) {
            String lock = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(lock.contains("\"node_modules/dynalite\": {\n      \"version\": \"4.0.0\""), lock);
            assertTrue(!lock.contains("\"resolved\": \"git") && !lock.contains("\"resolved\": \"file:"), lock);
        }
    }
}
