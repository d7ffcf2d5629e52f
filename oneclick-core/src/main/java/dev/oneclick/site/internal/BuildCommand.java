package dev.oneclick.site.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.BuildFailedException;
import dev.oneclick.errors.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

/** Runs the site's build command before a deploy. */
final class BuildCommand {
    /** How many of the last output lines a failure message ends with. */
    private static final int OUTPUT_TAIL_LINES = 20;

    private BuildCommand() {
    }

    /**
     * Runs a build command with {@code bash -c} in {@code projectDir}, streaming each output line (stdout and
     * stderr) to {@link DeployListener#progress}.
     *
     * @throws InvalidInputException (field {@code projectDir}) when the folder does not exist, (field
     *     {@code buildCommand}) when the command is blank
     * @throws BuildFailedException when the command exits non-zero, cannot start, or runs past {@code timeout}
     *     (it is then killed); the message ends with the last lines of its output
     */
    static void run(Path projectDir, String command, Duration timeout, DeployListener listener) {
        DeployListener out = listener == null ? DeployListener.NONE : listener;
        if (command == null || command.isBlank()) {
            throw new InvalidInputException("buildCommand", "The build command is blank.");
        }
        if (projectDir == null || !Files.isDirectory(projectDir)) {
            throw new InvalidInputException("projectDir", "The build command runs in the project folder, and "
                    + (projectDir == null ? "none was given" : projectDir.toAbsolutePath() + " is not a folder")
                    + ".");
        }
        Duration limit = timeout == null ? Duration.ofMinutes(15) : timeout;
        if (limit.isNegative() || limit.isZero()) {
            throw new InvalidInputException("buildTimeout", "The build timeout must be positive, got " + limit);
        }
        Deque<String> tail = new ArrayDeque<>();
        LogOutputStream lines = new LogOutputStream(0, StandardCharsets.UTF_8) {
            @Override
            protected void processLine(String line, int level) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > OUTPUT_TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                SyncEvents.progress(out, line);
            }
        };
        CommandLine cl = new CommandLine("bash").addArgument("-c").addArgument(command, false);
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(limit).get();
        DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(projectDir)
                .setExecuteStreamHandler(new PumpStreamHandler(lines, lines)).get();
        executor.setWatchdog(watchdog);
        executor.setExitValues(null);
        SyncEvents.progress(out, "Running the build: " + command);
        int exit;
        try {
            exit = executor.execute(cl);
        } catch (IOException e) {
            throw new BuildFailedException("The build command '" + command + "' could not be run in " + projectDir
                    + ": " + e.getMessage(), -1, false, e);
        } finally {
            try {
                lines.close();
            } catch (IOException ignored) {
                // the stream only buffers in memory
            }
        }
        String last;
        synchronized (tail) {
            last = tail.isEmpty() ? "" : "\nLast output:\n" + String.join("\n", tail);
        }
        if (watchdog.killedProcess()) {
            throw new BuildFailedException("The build command '" + command + "' did not finish within " + limit
                    + " and was stopped. Fix the build, or raise buildTimeout." + last, -1, true, null);
        }
        if (exit != 0) {
            throw new BuildFailedException("The build command '" + command + "' failed with exit code " + exit
                    + " in " + projectDir + ". Fix the build and deploy again." + last, exit, false, null);
        }
        SyncEvents.progress(out, "Build finished.");
    }
}
