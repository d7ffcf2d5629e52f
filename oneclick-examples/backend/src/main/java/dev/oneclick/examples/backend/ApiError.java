package dev.oneclick.examples.backend;

/** An HTTP error answer of the REST API: a status and a message saying what to fix. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
