package dev.oneclick.errors;

/** The deployments table exists but has another key schema or lacks the projectId-index; it is reported, never used. */
public class TableSchemaMismatchException extends TrackerException {
    private static final long serialVersionUID = 1L;

    public TableSchemaMismatchException(String message) {
        super(message);
    }

    public TableSchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
