package dev.oneclick.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorsTest {
    private static final String G = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encode_whenDecodedForTheSameUser_givesTheKeyBack() {
        String cursor = Cursors.encode(Items.key("user-1", G));
        assertTrue(cursor.matches("[A-Za-z0-9_-]+"), "base64url without padding: " + cursor);
        assertEquals(Items.key("user-1", G), Cursors.decode(cursor, "user-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "%%%", "a b", "eyJ", "bm90IGpzb24"})
    void decode_whenNotBase64JsonKey_throwsInvalidInputForCursor(String cursor) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Cursors.decode(cursor, "user-1"));
        assertEquals("cursor", e.field());
        assertTrue(e.getMessage().contains("Pass null for the first page"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "\"x\"", "{\"userId\":\"user-1\"}", "{\"userId\":\"user-1\",\"projectId\":1}",
        "{\"userId\":\"user-1\",\"projectId\":\"p\",\"x\":1}", "{\"userId\":\"user-1\",\"other\":\"p\"}",
        "{\"userId\":\"user-1\",\"projectId\":\"\"}", "{\"userId\":\"user-1\",\"userId\":\"user-1\"}"})
    void decode_whenJsonIsNotAPagePosition_throwsInvalidInputForCursor(String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Cursors.decode(b64(json), "user-1"));
        assertEquals("cursor", e.field());
    }

    @Test
    void decode_whenAnotherUsersCursor_throwsInvalidInputForCursor() {
        String cursor = Cursors.encode(Items.key("user-2", G));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Cursors.decode(cursor, "user-1"));
        assertTrue(e.getMessage().contains("another user"), e.getMessage());
    }

    @Test
    void decode_whenHuge_throwsWithoutDecoding() {
        assertEquals("cursor", assertThrows(InvalidInputException.class,
                () -> Cursors.decode("A".repeat(100_000), "user-1")).field());
    }
}
