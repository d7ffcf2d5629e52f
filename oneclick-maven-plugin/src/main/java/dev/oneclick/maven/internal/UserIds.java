package dev.oneclick.maven.internal;

/** The default user id: the OS user name made safe for a tag value and a DynamoDB key. */
public final class UserIds {
    private static final int MAX = 128;

    private UserIds() {
    }

    /** {@code name} with every character outside {@code [A-Za-z0-9_.:/=+@-]} replaced by '-'; "local" if empty. */
    public static String fromUserName(String name) {
        if (name == null || name.isBlank()) {
            return "local";
        }
        StringBuilder out = new StringBuilder(Math.min(name.length(), MAX));
        name.trim().codePoints().limit(MAX).forEach(cp -> {
            boolean ok = cp < 0x80 && (Character.isLetterOrDigit(cp) || "_.:/=+@-".indexOf(cp) >= 0);
            out.append(ok ? (char) cp : '-');
        });
        String id = out.toString();
        return id.chars().allMatch(c -> c == '-') ? "local" : id;
    }
}
