package dev.oneclick.errors;

/** The tracker has no record of that user and project. */
public class ProjectNotFoundException extends TrackerException {
    private static final long serialVersionUID = 1L;

    public ProjectNotFoundException(String message) {
        super(message);
    }

    public ProjectNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
