package dev.oneclick.site;

import java.util.regex.Pattern;

/**
 * The Cache-Control values oneclick applies when no {@link CacheRule} matches, and the test for fingerprinted
 * file names that decides between them.
 *
 * <p>Rules given by the user are tried first, in order; the first whose glob matches the file's site-relative
 * path wins. When none matches, the defaults apply:
 * <ol>
 *   <li>{@code *.html} / {@code *.htm}: {@link #NO_CACHE} (a browser revalidates the page on every visit);</li>
 *   <li>a fingerprinted file ({@link #isFingerprinted(String)}, such as {@code app.3f9a1c2b.js} or
 *       {@code index-BwX8Kz1q.css}): {@link #IMMUTABLE}, since a new build gives it a new name;</li>
 *   <li>everything else: {@link #NO_CACHE}.</li>
 * </ol>
 * Only paths that are not immutable are invalidated on the CDN when they change.
 */
public final class CacheRules {
    /** Cache-Control for fingerprinted assets: one year, never revalidated. */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** Cache-Control for HTML and other files whose name does not change with their content. */
    public static final String NO_CACHE = "no-cache";

    private static final Pattern HASH_CHARS = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    private static final Pattern WORD = Pattern.compile("[a-z]{4,}|[A-Z][a-z]{3,}");

    private CacheRules() {
    }

    /**
     * Whether a file name carries a content hash written in by a bundler: a segment of 8 to 64 characters from
     * {@code [A-Za-z0-9_-]}, mixing letters and digits, placed after a {@code .} or {@code -} in the name before
     * the extension, and not made of dictionary-like words. {@code app.3f9a1c2b.js}, {@code index-BwX8Kz1q.css},
     * {@code chunk-5ZQWZ3JN.js} and {@code main.3f9a1c2b8e7d6c5a4b3c.js} are fingerprinted; {@code app.js},
     * {@code my-component-name.js}, {@code 2024-01-15-report.pdf} and {@code jquery-3.6.0.min.js} are not.
     *
     * @param fileName a file name or a '/'-separated path (only the last segment is looked at)
     */
    public static boolean isFingerprinted(String fileName) {
        String name = fileName.substring(fileName.lastIndexOf('/') + 1);
        int ext = name.lastIndexOf('.');
        if (ext <= 0) {
            return false;
        }
        String base = name.substring(0, ext);
        for (int i = 1; i < base.length(); i++) {
            char c = base.charAt(i - 1);
            if (c != '.' && c != '-') {
                continue;
            }
            int end = base.indexOf('.', i);
            String candidate = base.substring(i, end < 0 ? base.length() : end);
            if (looksLikeHash(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksLikeHash(String s) {
        if (!HASH_CHARS.matcher(s).matches()) {
            return false;
        }
        boolean digit = false;
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            digit |= c >= '0' && c <= '9';
            letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        if (!digit || !letter) {
            return false;
        }
        for (String part : s.split("[-_]")) {
            if (WORD.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }
}
