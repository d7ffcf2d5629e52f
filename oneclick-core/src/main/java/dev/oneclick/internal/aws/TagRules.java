package dev.oneclick.internal.aws;

import dev.oneclick.errors.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tag rules CloudFront (and S3) enforce, checked before anything is written: at most {@value #MAX_TAGS} tags on
 * a resource, keys of 1-{@value #MAX_KEY} characters and values of at most {@value #MAX_VALUE}, made of letters,
 * digits, spaces and {@code _ . : / = + - @}, and no key starting with the reserved {@code aws:} prefix.
 */
public final class TagRules {
    public static final int MAX_TAGS = 50;
    public static final int MAX_KEY = 128;
    public static final int MAX_VALUE = 256;
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private TagRules() {
    }

    /**
     * Checks the tags a resource is to carry.
     *
     * @return the tags unchanged
     * @throws InvalidInputException (field {@code tags}) naming the first tag that breaks a rule
     */
    public static Map<String, String> check(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw bad("A resource can carry at most " + MAX_TAGS + " tags; these are " + tags.size() + ".");
        }
        tags.forEach((k, v) -> {
            if (k == null || k.isEmpty() || k.length() > MAX_KEY) {
                throw bad("The tag key '" + printable(k) + "' must have 1 to " + MAX_KEY + " characters.");
            }
            if (k.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw bad("The tag key '" + printable(k) + "' starts with the reserved prefix aws:.");
            }
            if (v == null || v.length() > MAX_VALUE) {
                throw bad("The value of tag '" + printable(k) + "' must have at most " + MAX_VALUE + " characters.");
            }
            if (!ALLOWED.matcher(k).matches() || !ALLOWED.matcher(v).matches()) {
                throw bad("The tag '" + printable(k) + "' = '" + printable(v) + "' has a character tags do not allow "
                        + "(allowed: letters, digits, spaces and _ . : / = + - @).");
            }
        });
        return tags;
    }

    private static String printable(String s) {
        return s == null ? "null" : s.replaceAll("\\p{Cntrl}", "?");
    }

    private static InvalidInputException bad(String message) {
        return new InvalidInputException("tags", message + " Nothing was created or changed.");
    }
}
