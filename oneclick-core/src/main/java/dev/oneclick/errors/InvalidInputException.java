package dev.oneclick.errors;

/**
 * Input that oneclick refuses before it writes anything: a bad GUID, a blank user id, a name that breaks an
 * AWS rule, a missing site folder, an oversized resources map. {@link #field()} names the input to fix
 * (for example {@code guid}, {@code userId}, {@code siteDir}), so a front end can point at its own parameter.
 */
public class InvalidInputException extends OneclickException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public InvalidInputException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The name of the input that was refused, such as {@code guid} or {@code siteDir}. */
    public String field() {
        return field;
    }
}
