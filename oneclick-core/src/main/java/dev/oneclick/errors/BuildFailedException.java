package dev.oneclick.errors;

/**
 * The project's build command failed: it exited with a non-zero code, could not be started, or ran past its
 * timeout. The message names the command, the exit code or the timeout, and ends with the last lines the
 * command printed; nothing has been deployed.
 */
public class BuildFailedException extends OneclickException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final boolean timedOut;

    public BuildFailedException(String message, int exitCode, boolean timedOut, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.timedOut = timedOut;
    }

    /** The command's exit code, or -1 when it never ran to an exit (not started, or killed on timeout). */
    public int exitCode() {
        return exitCode;
    }

    /** Whether the command was killed because it ran past its timeout. */
    public boolean timedOut() {
        return timedOut;
    }
}
