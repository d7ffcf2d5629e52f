package dev.oneclick.errors;

/**
 * Base of every error oneclick throws. Nothing in oneclick prints and swallows an error: each failure
 * reaches the caller as a subtype of this class whose message says what went wrong and what to fix.
 */
public class OneclickException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OneclickException(String message) {
        super(message);
    }

    public OneclickException(String message, Throwable cause) {
        super(message, cause);
    }
}
