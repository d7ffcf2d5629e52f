package dev.oneclick.errors;

/**
 * This run lost its project lease while it was running (it could not renew it in time, and another run may have
 * taken over). The run stopped before its next change; rerun it.
 */
public class LeaseLostException extends OneclickException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
