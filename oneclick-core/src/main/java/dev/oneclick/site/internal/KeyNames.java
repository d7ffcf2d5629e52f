package dev.oneclick.site.internal;

import dev.oneclick.errors.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Which file names become S3 keys a browser can ask for as typed. Tried against s3proxy and moto
 * ({@code OddKeyNamesTest}): both store and return every one of these names; what decides is the path a link to the
 * file makes a browser send through CloudFront.
 * <ul>
 *   <li>{@code +}: served. S3's REST API (what CloudFront's origin access control signs) and CloudFront keep it as
 *       a plus (only S3's website endpoint reads it as a space, and oneclick does not use that endpoint).</li>
 *   <li>{@code #} and {@code ?}: refused. A link {@code a#b.html} asks for {@code a} (the rest is the fragment),
 *       {@code a?b.html} for {@code a} with a query string.</li>
 *   <li>{@code %}: refused. A browser or CloudFront decodes {@code %xx}, so {@code a%20b.html} is fetched as
 *       {@code a b.html}, and a lone {@code %} is a malformed path.</li>
 *   <li>a name ending in a space: refused. URL parsers strip trailing spaces from a link, and such a name cannot
 *       be made on Windows.</li>
 *   <li>control characters (U+0000-U+001F, U+007F): refused. S3's XML listing cannot carry them (the plain
 *       ListObjectsV2 answer no longer parses), and moto loses a key with a new line.</li>
 * </ul>
 */
final class KeyNames {
    private KeyNames() {
    }

    /**
     * Checks one site-relative key.
     *
     * @throws InvalidInputException (field {@code siteDir}) naming the file and what to rename
     */
    static void check(Path siteDir, String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw refuse(siteDir, key, "is longer than the 1024 bytes S3 allows in a key. Shorten it.");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (hasControlCharacter(String.valueOf(c))) {
                throw refuse(siteDir, key, String.format("contains the control character U+%04X, which S3 cannot list"
                        + " and a link cannot carry. Rename it.", (int) c));
            }
            if (c == '#' || c == '?' || c == '%') {
                throw refuse(siteDir, key, "contains '" + c + "', which a browser does not send as typed ("
                        + (c == '%' ? "'%' starts an escape such as %20" : c == '#' ? "'#' starts the fragment"
                        : "'?' starts the query string") + "), so a link to it would not reach it. Rename it"
                        + " (letters, digits, '-', '_', '.', '+' and spaces inside a name are fine).");
            }
        }
        for (String part : key.split("/")) {
            if (part.endsWith(" ")) {
                throw refuse(siteDir, key, "has a name ending in a space ('" + part + "'), which links lose (URL "
                        + "parsers strip trailing spaces). Rename it.");
            }
        }
    }

    /** Whether the key holds a control character (U+0000-U+001F, U+007F), which S3's XML bodies cannot carry. */
    static boolean hasControlCharacter(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static InvalidInputException refuse(Path siteDir, String key, String why) {
        return new InvalidInputException("siteDir", "The file '" + printable(key) + "' in the site folder "
                + siteDir.toAbsolutePath() + " " + why + " Nothing was uploaded.");
    }

    /** The key with control characters shown as \\uXXXX, so the message itself stays one readable line. */
    static String printable(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
