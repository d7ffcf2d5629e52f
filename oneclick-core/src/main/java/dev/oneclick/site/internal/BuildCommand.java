package dev.oneclick.site.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.BuildFailedException;
import dev.oneclick.errors.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Runs the site's build command before a deploy. A command that runs past its timeout is stopped with its whole
 * process tree ({@link ProcessTree}): npm, node and whatever else the shell started, not only the shell.
 */
final class BuildCommand {
    /** How many of the last output lines a failure message ends with. */
    private static final int OUTPUT_TAIL_LINES = 20;
    /** How long the output of a finished command is still read (a background process may hold the pipe). */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

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
        SyncEvents.progress(out, "Running the build: " + command);
        Process p;
        try {
            p = new ProcessBuilder("bash", "-c", command).directory(projectDir.toFile()).redirectErrorStream(true)
                    .start();
            p.getOutputStream().close(); // no input: a command that asks waits for nothing
        } catch (IOException e) {
            throw new BuildFailedException("The build command '" + command + "' could not be run in " + projectDir
                    + ": " + e.getMessage(), -1, false, e);
        }
        Thread reader = new Thread(() -> readLines(p, tail, out), "oneclick-build-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            ProcessTree.stop(p.toHandle());
            Thread.currentThread().interrupt();
            throw new BuildFailedException("The build command '" + command + "' was interrupted and stopped.", -1,
                    false, e);
        }
        if (!finished) {
            ProcessTree.stop(p.toHandle());
        }
        awaitOutput(reader);
        int exit = finished ? p.exitValue() : -1;
        String last;
        synchronized (tail) {
            last = tail.isEmpty() ? "" : "\nLast output:\n" + String.join("\n", tail);
        }
        if (!finished) {
            throw new BuildFailedException("The build command '" + command + "' did not finish within " + limit
                    + " and was stopped with every process it started. Fix the build, or raise buildTimeout." + last,
                    -1, true, null);
        }
        if (exit != 0) {
            throw new BuildFailedException("The build command '" + command + "' failed with exit code " + exit
                    + " in " + projectDir + ". Fix the build and deploy again." + last, exit, false, null);
        }
        SyncEvents.progress(out, "Build finished.");
    }

    /** Streams the command's output lines (stdout and stderr together) to the listener, keeping the last ones. */
    private static void readLines(Process p, Deque<String> tail, DeployListener out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > OUTPUT_TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                SyncEvents.progress(out, line);
            }
        } catch (IOException e) {
            // the pipe closed under the reader: the process tree was stopped
        }
    }

    /**
     * Waits for the output to be read to its end; a process the build left running in the background may keep the
     * pipe open, so the wait is bounded.
     */
    private static void awaitOutput(Thread reader) {
        try {
            reader.join(OUTPUT_DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
