package dev.oneclick.examples.backend;

/** An HTTP error answer of the REST API: a status, a message saying what to fix, optionally a Retry-After. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final long retryAfterSeconds;

    ApiError(int status, String message) {
        this(status, message, 0);
    }

    ApiError(int status, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    /** Seconds for the Retry-After header, or 0 for none. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
