package dev.oneclick.errors;

/**
 * Input refused because it, or the record it would make, is larger than the store keeps (for example a resources
 * record past 350 KB, or past DynamoDB's 400 KB item limit). A web front end answers it with 413. Nothing was
 * written.
 */
public class TooLargeException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(String field, String message) {
        super(field, message);
    }

    public TooLargeException(String field, String message, Throwable cause) {
        super(field, message, cause);
    }
}
