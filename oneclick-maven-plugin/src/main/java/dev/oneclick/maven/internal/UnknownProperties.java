package dev.oneclick.maven.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;

/**
 * Finds {@code oneclick.*} user properties ({@code -Doneclick.x=...}) that name no parameter of the goal, so that a
 * mistyped property ({@code -Doneclick.sitedir=dist}) is reported instead of silently ignored, with the nearest known
 * name as a suggestion. The known names come from the plugin descriptor (the {@code property} of each
 * {@code @Parameter}), plus the few system properties the local target reads itself.
 */
public final class UnknownProperties {
    /** The prefix of every property of this plugin. */
    public static final String PREFIX = "oneclick.";

    /** Read as system properties (by oneclick-local, the core and the forked goal), not parameters of a goal. */
    public static final Set<String> SYSTEM_PROPERTIES = Set.of(
            "oneclick.hashCache", // the core's HashCache.PROPERTY
            "oneclick.classDataArchive", // ClassDataArchive's switch
            "oneclick.local.backend", // LocalAws.BACKEND_PROPERTY
            "oneclick.dynalite.dir", // DynaliteInstaller.DIR_PROPERTY
            "oneclick.home"); // DynaliteInstaller.HOME_PROPERTY

    /** Names already reported, per Maven session (a property is reported once per run, not once per goal). */
    private static final WeakHashMap<Object, Set<String>> REPORTED = new WeakHashMap<>();

    private UnknownProperties() {
    }

    /**
     * The warnings for {@code userProperties} (every name given with {@code -D}): one for each {@code oneclick.*}
     * name that is neither a parameter of this goal ({@code goalProperties}) nor of another goal of the plugin
     * ({@code pluginProperties}: used in a chained run such as {@code deploy status}) nor a system property of the
     * local target. Names are sorted.
     */
    public static List<String> warnings(String goal, Collection<String> userProperties,
            Collection<String> goalProperties, Collection<String> pluginProperties) {
        Set<String> known = new TreeSet<>(goalProperties);
        Set<String> all = new TreeSet<>(pluginProperties);
        all.addAll(goalProperties);
        all.addAll(SYSTEM_PROPERTIES);
        List<String> out = new ArrayList<>();
        for (String name : new TreeSet<>(userProperties)) {
            if (!name.startsWith(PREFIX) || all.contains(name)) {
                continue;
            }
            String near = nearest(name, all);
            String hint = near == null ? " (oneclick:" + goal + " takes " + String.join(", ", known) + ")"
                    : ": did you mean " + near + "?" + (near.equalsIgnoreCase(name) ? " (property names are "
                            + "case-sensitive)" : "");
            out.add("Unknown property " + name + " is ignored: it names no parameter of oneclick:" + goal + hint);
        }
        return out;
    }

    /**
     * The warnings of {@link #warnings} that were not reported yet in {@code session} (any object identifying the
     * run, such as the MavenSession; null: no memory), marking them reported.
     */
    public static List<String> newWarnings(Object session, String goal, Collection<String> userProperties,
            Collection<String> goalProperties, Collection<String> pluginProperties) {
        List<String> all = warnings(goal, userProperties, goalProperties, pluginProperties);
        if (session == null) {
            return all;
        }
        List<String> fresh = new ArrayList<>();
        synchronized (REPORTED) {
            Set<String> done = REPORTED.computeIfAbsent(session, s -> Collections.synchronizedSet(new TreeSet<>()));
            for (String w : all) {
                // the property name is the key: the same typo is reported once even when the goals differ
                String name = w.substring("Unknown property ".length(), w.indexOf(' ', "Unknown property ".length()));
                if (done.add(name)) {
                    fresh.add(w);
                }
            }
        }
        return fresh;
    }

    /**
     * The known name nearest to {@code name}: one equal ignoring case first, else the smallest Levenshtein distance
     * (compared in lower case) within a third of the name's length after the prefix (at least 2); null if none is
     * that near.
     */
    public static String nearest(String name, Collection<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String k : new TreeSet<>(known)) {
            if (k.toLowerCase(Locale.ROOT).equals(lower)) {
                return k;
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new TreeSet<>(known)) {
            int d = levenshtein(lower, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int limit = Math.max(2, (name.length() - PREFIX.length()) / 3);
        return bestDistance <= limit ? best : null;
    }

    /** The edit distance (insertions, deletions, substitutions) between two strings. */
    public static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The property of a parameter expression such as {@code ${oneclick.guid}}, or null for other expressions. */
    public static String propertyOf(String expression) {
        if (expression == null || !expression.startsWith("${") || !expression.endsWith("}")) {
            return null;
        }
        String p = expression.substring(2, expression.length() - 1);
        return p.startsWith(PREFIX) ? p : null;
    }
}
