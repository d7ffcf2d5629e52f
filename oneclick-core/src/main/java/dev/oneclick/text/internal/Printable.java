package dev.oneclick.text.internal;

import java.util.Locale;

/** Quoting untrusted text into error messages. Not part of the public API. */
public final class Printable {
    private Printable() {
    }

    /**
     * The text cut to {@code maxChars} (then {@code ...}), with every character outside printable ASCII shown as a
     * {@code \}{@code uXXXX} escape, so a message that quotes it can be neither forged (no raw newline) nor garbled
     * (no control or look-alike characters). Null reads as the empty text.
     */
    public static String of(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > maxChars ? text.substring(0, maxChars) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04x", cp));
            }
        });
        return out.toString();
    }
}
