package dev.oneclick.errors;

/** A project GUID that is not a UUID (for example {@code 3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab}). */
public class InvalidGuidException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public InvalidGuidException(String message) {
        super("guid", message);
    }
}
