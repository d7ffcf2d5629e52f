package dev.oneclick.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidGuidException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectGuidTest {
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    @Test
    void parse_whenLowercaseUuid_keepsIt() {
        assertEquals(GUID, ProjectGuid.parse(GUID).value());
        assertEquals(GUID, ProjectGuid.parse(GUID).toString());
    }

    @Test
    void parse_whenUppercaseUuid_normalisesToLowercase() {
        assertEquals(GUID, ProjectGuid.parse(GUID.toUpperCase()).value());
    }

    @Test
    void parse_whenMixedCaseUuid_normalisesToLowercase() {
        assertEquals(GUID, ProjectGuid.parse("3F2b8C1e-9D4a-4E6b-8A7c-1234567890Ab").value());
    }

    @Test
    void equals_whenSameUuidInOtherCase_isEqual() {
        assertEquals(ProjectGuid.parse(GUID), ProjectGuid.parse(GUID.toUpperCase()));
        assertEquals(ProjectGuid.parse(GUID).hashCode(), ProjectGuid.parse(GUID.toUpperCase()).hashCode());
        assertEquals(0, ProjectGuid.parse(GUID).compareTo(ProjectGuid.parse(GUID.toUpperCase())));
    }

    @Test
    void parse_whenNull_throwsInvalidGuidSayingItIsMissing() {
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(null));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertShapeExplained(e);
        assertEquals("guid", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "   ", "\t", "\n"})
    void parse_whenBlank_throwsInvalidGuidSayingItIsMissing(String text) {
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(text));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertShapeExplained(e);
    }

    @Test
    void parse_whenTooLong_throwsInvalidGuidWithTheLength() {
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(GUID + "0"));
        assertTrue(e.getMessage().contains("37 characters"), e.getMessage());
        assertShapeExplained(e);
    }

    @Test
    void parse_whenVeryLong_throwsWithAShortenedMessage() {
        String text = "a".repeat(10_000);
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(text));
        assertTrue(e.getMessage().length() < 500, "message length " + e.getMessage().length());
        assertTrue(e.getMessage().contains("10000 characters"), e.getMessage());
    }

    @Test
    void parse_whenTooShort_throwsInvalidGuid() {
        InvalidGuidException e =
                assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(GUID.substring(1)));
        assertShapeExplained(e);
    }

    @Test
    void parse_whenNoHyphens_throwsInvalidGuid() {
        assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(GUID.replace("-", "")));
        // 36 characters but hyphens in the wrong places
        assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse("3f2b8c1e9-d4a-4e6b-8a7c-1234567890ab"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "../../etc/passwd-9d4a-4e6b-8a7c-1234",   // path traversal, 36 chars
        "3f2b8c1e/9d4a-4e6b-8a7c-1234567890ab",   // slash instead of hyphen
        "../2b8c1e-9d4a-4e6b-8a7c-1234567890ab",  // leading ../
        "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab/..",
        "3f2b8c1e-9d4a-4e6b-8a7c-12345678\\0ab"
    })
    void parse_whenPathCharacters_throwsInvalidGuid(String text) {
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(text));
        assertShapeExplained(e);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "３f2b8c1e-9d4a-4e6b-8a7c-1234567890ab",   // fullwidth digit three (U+FF13)
        "3f2b8c1e-9d4a-4e6b-8a7c-１２３４567890ab", // fullwidth digits
        "3f2b8с1е-9d4a-4e6b-8a7c-1234567890ab",   // Cyrillic es (U+0441) and ie (U+0435)
        "3f2b8c1e-9d4а-4e6b-8a7c-1234567890ab",   // Cyrillic a (U+0430)
        "3f2b8c1e-9d4a-4e6b-8a7c-١٢٣٤567890ab",   // Arabic-Indic digits (U+0661..)
        "3f2b8c1e-9d4a-4e6b-8a7c-1234567890aｂ",   // fullwidth b
        "3f2b8c1e\u20109d4a-4e6b-8a7c-1234567890ab" // Unicode hyphen (U+2010)
    })
    void parse_whenUnicodeLookAlikes_throwsInvalidGuidWithEscapedText(String text) {
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(text));
        assertShapeExplained(e);
        assertTrue(e.getMessage().contains("\\u"), "non-ASCII shown as an escape: " + e.getMessage());
        assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "3f2b8c1e'; DROP TABLE deployments; --",
        "3f2b8c1e-9d4a-4e6b-8a7c-1234'; DROP--",
        "$(id)b8c1e-9d4a-4e6b-8a7c-1234567890ab",
        "`id`2b8c1e-9d4a-4e6b-8a7c-1234567890ab",
        "3f2b8c1e-9d4a-4e6b-8a7c-12345678;rm -r",
        "3f2b8c1e-9d4a-4e6b-8a7c-1234567890a*",
        "3f2b8c1e-9d4a-4e6b-8a7c-12345678 0ab",
        "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ag"  // 'g' is not hexadecimal
    })
    void parse_whenSqlOrShellMetacharacters_throwsInvalidGuid(String text) {
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(text));
        assertShapeExplained(e);
    }

    @Test
    void parse_whenTrailingNewline_throwsInvalidGuid() {
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(GUID + "\n"));
        assertShapeExplained(e);
        assertFalse(e.getMessage().contains("\n"), "newline escaped in the message: " + e.getMessage());
    }

    @Test
    void parse_whenNewlineInjectedInside_throwsInvalidGuidWithoutRawNewline() {
        String injected = "3f2b8c1e-9d4a-4e6b-8a7c-12345\nFAKE:1";
        assertEquals(36, injected.length());
        InvalidGuidException e = assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse(injected));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("\\u000a"), e.getMessage());
    }

    @Test
    void parse_whenCarriageReturnAndNul_throwsInvalidGuid() {
        assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse("3f2b8c1e-9d4a-4e6b-8a7c-1234567890\r\n"));
        assertThrows(InvalidGuidException.class, () -> ProjectGuid.parse("3f2b8c1e-9d4a-4e6b-8a7c-1234567890a\0"));
    }

    @Test
    void isValid_whenGoodAndBad_answersWithoutThrowing() {
        assertTrue(ProjectGuid.isValid(GUID.toUpperCase()));
        assertFalse(ProjectGuid.isValid(null));
        assertFalse(ProjectGuid.isValid("../" + GUID));
    }

    private static void assertShapeExplained(InvalidGuidException e) {
        assertTrue(e.getMessage().contains("8-4-4-4-12"), "message says what a GUID looks like: " + e.getMessage());
        assertTrue(e.getMessage().contains("hexadecimal"), e.getMessage());
        // upper case is accepted (and lower-cased), so the message must not imply only lowercase is allowed
        assertTrue(e.getMessage().contains("letter case is ignored"), e.getMessage());
        assertFalse(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("lowercase hexadecimal"),
                e.getMessage());
        assertEquals("guid", e.field());
    }
}
