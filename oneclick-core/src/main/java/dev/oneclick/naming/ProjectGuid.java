package dev.oneclick.naming;

import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.text.internal.Printable;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A project's GUID: a UUID in its 36-character hyphenated form, accepted in any letter case and kept in
 * lowercase, because every AWS name built from it (an S3 bucket above all) must be lowercase.
 */
public final class ProjectGuid implements Comparable<ProjectGuid> {
    /** ASCII only: the character classes are spelled out so that no Unicode digit or letter passes. */
    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String SHAPE =
            "a GUID must be a UUID of 36 characters: 8-4-4-4-12 hexadecimal digits (0-9 and a-f; letter case "
                    + "is ignored, the GUID is lower-cased) separated by hyphens, for example "
                    + "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    private final String value;

    private ProjectGuid(String value) {
        this.value = value;
    }

    /**
     * Parses a GUID.
     *
     * @throws InvalidGuidException if {@code text} is null, blank or not a UUID
     */
    public static ProjectGuid parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidGuidException("The project GUID is missing; " + SHAPE + ".");
        }
        if (text.length() != 36) {
            throw new InvalidGuidException("The project GUID '" + printable(text) + "' has " + text.length()
                    + " characters; " + SHAPE + ".");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (!UUID.matcher(lower).matches()) {
            throw new InvalidGuidException("The project GUID '" + printable(text) + "' is not a UUID; " + SHAPE + ".");
        }
        return new ProjectGuid(lower);
    }

    /** Whether {@code text} would parse. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidGuidException e) {
            return false;
        }
    }

    /** The GUID in lowercase. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProjectGuid other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public int compareTo(ProjectGuid o) {
        return value.compareTo(o.value);
    }

    /** Shows control and non-ASCII characters as escapes so an error message cannot be forged or garbled. */
    static String printable(String text) {
        return Printable.of(text, 80);
    }
}
