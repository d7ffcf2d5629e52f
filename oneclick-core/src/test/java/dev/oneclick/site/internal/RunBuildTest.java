package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.BuildFailedException;
import dev.oneclick.DeployListener;
import dev.oneclick.errors.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build command runs for real through bash. */
class RunBuildTest {
    @TempDir
    Path project;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final DeployListener listener = new DeployListener() {
        @Override
        public void progress(Progress event) {
            lines.add(event.message());
        }
    };

    @Test
    void runBuild_whenCommandSucceeds_streamsOutputLinesAndRunsInProjectDir() throws Exception {
        SiteSync.runBuild(project, "echo one; echo two >&2; mkdir -p dist && echo '<h1>x</h1>' > dist/index.html",
                Duration.ofSeconds(30), listener);
        assertTrue(lines.contains("one"), lines.toString());
        assertTrue(lines.contains("two"), lines.toString());
        assertTrue(Files.exists(project.resolve("dist/index.html")));
    }

    @Test
    void runBuild_whenCommandFails_throwsBuildFailedWithExitCodeAndLastOutput() {
        BuildFailedException e = assertThrows(BuildFailedException.class,
                () -> SiteSync.runBuild(project, "echo 'npm ERR! missing script: build'; exit 3",
                        Duration.ofSeconds(30), listener));
        assertEquals(3, e.exitCode());
        assertFalse(e.timedOut());
        assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("npm ERR! missing script: build"), e.getMessage());
    }

    @Test
    void runBuild_whenCommandRunsTooLong_isKilledAndThrowsTimedOut() {
        long start = System.nanoTime();
        BuildFailedException e = assertThrows(BuildFailedException.class,
                () -> SiteSync.runBuild(project, "echo started; sleep 30", Duration.ofMillis(700), listener));
        assertTrue(e.timedOut());
        assertTrue(e.getMessage().contains("buildTimeout"), e.getMessage());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "the command was not killed");
    }

    @Test
    void runBuild_whenCommandTimesOut_stopsTheWholeProcessTree() throws Exception {
        // the shell starts a child shell, which starts a sleeping grandchild; both write their pid first
        String command = "bash -c 'sleep 300 & echo $! > grandchild.pid; wait' & echo $! > child.pid; "
                + "echo started; wait";

        BuildFailedException e = assertThrows(BuildFailedException.class,
                () -> SiteSync.runBuild(project, command, Duration.ofSeconds(2), listener));

        assertTrue(e.timedOut());
        for (String file : List.of("child.pid", "grandchild.pid")) {
            long pid = Long.parseLong(Files.readString(project.resolve(file)).trim());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), file + " " + pid
                    + " survived the timeout");
        }
    }

    @Test
    void runBuild_whenProjectDirIsMissing_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SiteSync.runBuild(project.resolve("nope"), "true", Duration.ofSeconds(5), listener));
        assertEquals("projectDir", e.field());
    }

    @Test
    void runBuild_whenCommandIsBlank_throwsInvalidInput() {
        assertEquals("buildCommand", assertThrows(InvalidInputException.class,
                () -> SiteSync.runBuild(project, "  ", Duration.ofSeconds(5), listener)).field());
    }
}
