package dev.oneclick.errors;

/** Another writer changed the record since it was read: the version guard refused a stale write. Read the record again and retry. */
public class ConcurrentUpdateException extends TrackerException {
    private static final long serialVersionUID = 1L;

    public ConcurrentUpdateException(String message) {
        super(message);
    }

    public ConcurrentUpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
