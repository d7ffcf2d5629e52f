package dev.oneclick.maven.internal;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.site.CacheRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the {@code cacheRules} parameter: entries {@code glob=cache-control} separated by semicolons or new
 * lines (a Cache-Control value has commas, so commas do not separate rules). The first '=' splits glob from value.
 */
public final class CacheRules {
    private CacheRules() {
    }

    /** The rules in order, or null when {@code text} is null or blank (the core's defaults apply). */
    public static List<CacheRule> parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<CacheRule> rules = new ArrayList<>();
        for (String entry : text.split("[;\\r\\n]+")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new InvalidInputException("cacheRules", "The cache rule '" + e + "' is not glob=cache-control; "
                        + "write e.g. assets/**=public, max-age=31536000, immutable; **=no-cache "
                        + "(rules separated by ';' or new lines).");
            }
            String glob = e.substring(0, eq).trim();
            String value = e.substring(eq + 1).trim();
            if (glob.isEmpty() || value.isEmpty()) {
                throw new InvalidInputException("cacheRules", "The cache rule '" + e + "' has an empty glob or value.");
            }
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidInputException("cacheRules", "The Cache-Control value of '" + glob
                        + "' contains control characters.");
            }
            rules.add(new CacheRule(glob, value));
        }
        if (rules.isEmpty()) {
            return null;
        }
        return List.copyOf(rules);
    }
}
