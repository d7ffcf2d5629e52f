package dev.oneclick.maven.internal;

import java.util.Locale;

/** Where a goal deploys: AWS (or the endpoints given), or the local emulators with a local preview. */
public enum Target {
    AWS,
    LOCAL;

    /** The target named by {@code text} (case-insensitive; null or blank means AWS), or null if unknown. */
    public static Target parse(String text) {
        if (text == null || text.isBlank()) {
            return AWS;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "aws" -> AWS;
            case "local" -> LOCAL;
            default -> null;
        };
    }
}
