package dev.oneclick.text.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void of_whenPrintableAscii_keepsIt() {
        assertEquals("tmux-builder 'x' \"y\" \\z", Printable.of("tmux-builder 'x' \"y\" \\z", 80));
    }

    @Test
    void of_whenControlAndNonAsciiCharacters_escapesEach() {
        assertEquals("a\\u000ab\\u0009c\\u007f\\u00e9\\u0441\\u1f600", Printable.of("a\nb\tc\u007fé\u0441😀", 80));
    }

    @Test
    void of_whenLongerThanTheLimit_cutsAndMarksIt() {
        assertEquals("abc...", Printable.of("abcdef", 3));
        assertEquals("abc", Printable.of("abc", 3));
    }

    @Test
    void of_whenNull_isEmpty() {
        assertEquals("", Printable.of(null, 10));
    }
}
