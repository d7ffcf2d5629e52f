package dev.oneclick.local;

/**
 * A local AWS endpoint could not be started or used. The message says what went wrong and what to do about it
 * (install a tool, free a folder, pick another backend, ...), and includes the output of any process involved.
 */
public class LocalAwsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and how to fix it
     */
    public LocalAwsException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and how to fix it
     * @param cause the underlying failure
     */
    public LocalAwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
