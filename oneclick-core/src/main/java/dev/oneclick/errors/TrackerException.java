package dev.oneclick.errors;

/** A DynamoDB call of the deployment tracker failed (endpoint unreachable, throttled past retries, access denied). The message names the table and the operation. */
public class TrackerException extends OneclickException {
    private static final long serialVersionUID = 1L;

    public TrackerException(String message) {
        super(message);
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
    }
}
