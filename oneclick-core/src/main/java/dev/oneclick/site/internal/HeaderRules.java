package dev.oneclick.site.internal;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.site.CacheRule;
import dev.oneclick.site.CacheRules;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cache-Control resolution: the user's {@link CacheRule}s first (java.nio glob over the site-relative key, first
 * match wins), then the defaults described in {@link CacheRules}. Immutable and thread-safe.
 */
public final class HeaderRules {
    private final List<CacheRule> rules;
    private final List<PathMatcher> matchers;
    private final FileSystem fs = FileSystems.getDefault();

    private HeaderRules(List<CacheRule> rules) {
        this.rules = List.copyOf(rules);
        List<PathMatcher> m = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            CacheRule rule = rules.get(i);
            if (rule.glob().isBlank() || rule.cacheControl().isBlank()) {
                throw new InvalidInputException("cacheRules",
                        "Cache rule " + (i + 1) + " needs both a glob and a Cache-Control value, got " + rule);
            }
            if (rule.cacheControl().chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new InvalidInputException("cacheRules", "Cache rule " + (i + 1)
                        + " has a Cache-Control value with control or non-ASCII characters: " + rule.cacheControl());
            }
            try {
                m.add(fs.getPathMatcher("glob:" + rule.glob()));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("cacheRules",
                        "Cache rule " + (i + 1) + " has an invalid glob '" + rule.glob() + "': " + e.getMessage(), e);
            }
        }
        this.matchers = List.copyOf(m);
    }

    /** Rules tried before the defaults; null or empty means the defaults alone. */
    public static HeaderRules of(List<CacheRule> rules) {
        return new HeaderRules(rules == null ? List.of() : rules);
    }

    public List<CacheRule> rules() {
        return rules;
    }

    /** The Cache-Control for a '/'-separated site-relative key. */
    public String cacheControl(String key) {
        if (!matchers.isEmpty()) {
            java.nio.file.Path p = fs.getPath(key);
            for (int i = 0; i < matchers.size(); i++) {
                if (matchers.get(i).matches(p)) {
                    return rules.get(i).cacheControl();
                }
            }
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".html") || lower.endsWith(".htm")) {
            return CacheRules.NO_CACHE;
        }
        return CacheRules.isFingerprinted(key) ? CacheRules.IMMUTABLE : CacheRules.NO_CACHE;
    }

    /** The Content-Type for a key (see {@link ContentTypes}). */
    public String contentType(String key) {
        return ContentTypes.forName(key);
    }

    /** Whether a Cache-Control value lets clients keep a file without revalidating (so it is never invalidated). */
    public static boolean isImmutable(String cacheControl) {
        return cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("immutable");
    }
}
