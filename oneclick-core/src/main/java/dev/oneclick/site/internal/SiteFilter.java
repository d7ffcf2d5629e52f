package dev.oneclick.site.internal;

import dev.oneclick.errors.InvalidInputException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Which files of a site folder are not uploaded. Immutable and thread-safe.
 *
 * <p>Patterns are java.nio globs. A pattern without {@code /} matches a file or folder name at any depth
 * ({@code *.map}, {@code node_modules}); a pattern with {@code /} matches the path from the site's top
 * ({@code drafts/**}, {@code /robots.txt}; a leading {@code /} is dropped); a pattern ending in {@code /} matches
 * folders only. A matched folder takes everything in it along.
 *
 * <p>A path is excluded when a user exclude matches it, or when a default exclude ({@link #DEFAULT_EXCLUDES})
 * matches it and no include (the user's, or {@link #DEFAULT_INCLUDES}) matches it or one of its folders. Includes
 * only bring back what the defaults leave out; user excludes always win.
 */
final class SiteFilter {
    /** Left out unless included: dot-files and dot-folders, the project's secrets and tool folders. */
    static final List<String> DEFAULT_EXCLUDES = List.of(".*", "notify.sh", "SYSTEM_PROMPT.md", "node_modules/",
            "target/", "*.pem", "*.key", "id_rsa*");
    /** Served although a default would leave it out: the top-level {@code .well-known/} folder (RFC 8615). */
    static final List<String> DEFAULT_INCLUDES = List.of("/.well-known/");

    private static final FileSystem FS = FileSystems.getDefault();

    private final List<Glob> excludes;
    private final List<Glob> defaults;
    private final List<Glob> includes;

    private SiteFilter(List<String> excludes, List<String> includes) {
        this.excludes = compile(excludes, "excludes");
        this.defaults = compile(DEFAULT_EXCLUDES, "excludes");
        List<String> inc = new ArrayList<>(DEFAULT_INCLUDES);
        inc.addAll(includes);
        this.includes = compile(inc, "includes");
    }

    /**
     * The defaults plus the user's patterns (null: none).
     *
     * @throws InvalidInputException (field {@code excludes} or {@code includes}) for a blank or invalid glob
     */
    static SiteFilter of(List<String> excludes, List<String> includes) {
        return new SiteFilter(excludes == null ? List.of() : excludes, includes == null ? List.of() : includes);
    }

    /** Whether the '/'-separated site-relative {@code path} (a folder when {@code folder}) is left out. */
    boolean excluded(String path, boolean folder) {
        if (matches(excludes, path, folder)) {
            return true;
        }
        return matches(defaults, path, folder) && !matches(includes, path, folder);
    }

    /** Whether a pattern matches the path or one of the folders it lies in. */
    private static boolean matches(List<Glob> globs, String path, boolean folder) {
        if (globs.isEmpty()) {
            return false;
        }
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length; i++) {
            boolean isFolder = folder || i < parts.length - 1;
            String prefix = i == parts.length - 1 ? path : String.join("/", java.util.Arrays.copyOf(parts, i + 1));
            for (Glob g : globs) {
                if (g.folderOnly && !isFolder) {
                    continue;
                }
                if (g.matcher.matches(FS.getPath(g.anchored ? prefix : parts[i]))) {
                    return true;
                }
            }
        }
        return false;
    }

    private record Glob(PathMatcher matcher, boolean anchored, boolean folderOnly) {
    }

    private static List<Glob> compile(List<String> patterns, String field) {
        List<Glob> out = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw == null ? "" : raw.trim();
            boolean folderOnly = p.endsWith("/");
            p = folderOnly ? p.substring(0, p.length() - 1) : p;
            boolean anchored = p.contains("/");
            p = p.startsWith("/") ? p.substring(1) : p;
            if (p.isEmpty()) {
                throw new InvalidInputException(field, "The " + field + " pattern '" + raw + "' is empty. Give a glob "
                        + "such as *.map, drafts/** or node_modules/.");
            }
            try {
                out.add(new Glob(FS.getPathMatcher("glob:" + p), anchored, folderOnly));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field, "The " + field + " pattern '" + raw + "' is not a valid glob: "
                        + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }
}
