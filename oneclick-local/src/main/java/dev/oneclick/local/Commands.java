package dev.oneclick.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** Runs short-lived commands (npm, node --version) through commons-exec with a timeout and captured output. */
final class Commands {

    private static final int OUTPUT_LIMIT = 32 * 1024;

    private Commands() {
    }

    /**
     * Runs {@code executable args...} in {@code workDir} and returns its combined output.
     *
     * @param what what the command does, for error messages ("npm ci for dynalite 4.0.0")
     * @throws LocalAwsException when it cannot start, exits non-zero or outlives {@code timeout}; the message
     *     holds the command's output
     */
    static String run(Path executable, List<String> args, Path workDir, Duration timeout, String what) {
        CommandLine command = new CommandLine(executable.toFile());
        args.forEach(arg -> command.addArgument(arg, false));
        OutputTail output = new OutputTail(OUTPUT_LIMIT);
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(workDir.toFile())
                .setExecuteStreamHandler(new PumpStreamHandler(output, output))
                .get();
        executor.setWatchdog(watchdog);
        try {
            executor.execute(command);
            return output.text();
        } catch (ExecuteException e) {
            if (watchdog.killedProcess()) {
                throw new LocalAwsException(what + " did not finish within " + timeout.toSeconds() + " s and was"
                        + " stopped. Command: " + describe(command) + " in " + workDir + "\nOutput:\n"
                        + output.text(), e);
            }
            throw new LocalAwsException(what + " failed with exit code " + e.getExitValue() + ". Command: "
                    + describe(command) + " in " + workDir + "\nOutput:\n" + output.text(), e);
        } catch (IOException e) {
            throw new LocalAwsException(what + " could not be started (" + e.getMessage() + "). Command: "
                    + describe(command) + " in " + workDir, e);
        }
    }

    static String describe(CommandLine command) {
        return String.join(" ", command.toStrings());
    }
}
