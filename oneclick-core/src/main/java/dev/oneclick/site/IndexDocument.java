package dev.oneclick.site;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.text.internal.Printable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The site's entry page (the index document): the key served for {@code /} (CloudFront's default root object) and
 * for client-side routes (the SPA fallback). {@value #DEFAULT} unless told otherwise; {@value #NONE} for a tree
 * without an entry page (an asset-only package, a docs folder whose entry page is elsewhere), which also turns the
 * SPA fallback off. Input field: {@code indexDocument}.
 */
public final class IndexDocument {
    /** The default index document. */
    public static final String DEFAULT = "index.html";
    /** The value that means "no entry page". */
    public static final String NONE = "none";

    private IndexDocument() {
    }

    /**
     * Checks an index document as given: null or {@value #NONE} (any case) mean no entry page and give null; else a
     * file name or '/'-separated path inside the site folder, such as {@code index.html} or {@code app/main.html}.
     *
     * @throws InvalidInputException (field {@code indexDocument}) when the value is blank, starts or ends with
     *     {@code /}, holds {@code .} or {@code ..} segments, a backslash or control characters
     */
    public static String check(String value) {
        if (value == null || value.trim().toLowerCase(Locale.ROOT).equals(NONE)) {
            return null;
        }
        String v = value.trim();
        boolean bad = v.isEmpty() || v.startsWith("/") || v.endsWith("/") || v.contains("\\") || v.contains("//");
        for (int i = 0; i < v.length() && !bad; i++) {
            char c = v.charAt(i);
            bad = c < 0x20 || c == 0x7f;
        }
        for (String segment : v.split("/", -1)) {
            bad |= segment.equals(".") || segment.equals("..");
        }
        if (bad) {
            throw new InvalidInputException("indexDocument", "The index document '" + Printable.of(value, 80)
                    + "' is not a file path inside the site folder such as " + DEFAULT + " or app/main.html; give "
                    + "one, or '" + NONE + "' for a site without an entry page (which also turns the SPA fallback off).");
        }
        return v;
    }

    /**
     * Checks that the site folder holds its index document ({@code indexDocument} as {@link #check} returns it; null:
     * nothing to check).
     *
     * @throws InvalidInputException (field {@code indexDocument}) when the file is missing, naming the index document
     *     and what to set instead
     */
    public static void checkSite(Path siteDir, String indexDocument) {
        if (indexDocument == null || siteDir == null || !Files.isDirectory(siteDir)) {
            return;
        }
        if (Files.isRegularFile(siteDir.resolve(indexDocument))) {
            return;
        }
        List<String> top = new ArrayList<>();
        int count = 0;
        try (Stream<Path> entries = Files.list(siteDir)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                count++;
                if (top.size() < 5) {
                    top.add(p.getFileName() + (Files.isDirectory(p) ? "/" : ""));
                }
            }
        } catch (IOException e) {
            // the listing is only a hint
        }
        String found = count == 0 ? "it is empty" : "its top level holds " + String.join(", ", top)
                + (count > top.size() ? " and " + (count - top.size()) + " more" : "");
        throw new InvalidInputException("indexDocument", "The site folder " + siteDir.toAbsolutePath() + " has no "
                + indexDocument + " (the index document; " + found + "). Point siteDir at the folder that holds the "
                + "built " + indexDocument + ", set indexDocument to the site's entry page, or indexDocument=" + NONE
                + " to deploy a tree without an entry page (the SPA fallback is then off).");
    }
}
