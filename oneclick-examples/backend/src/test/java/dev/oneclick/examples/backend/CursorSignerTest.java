package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CursorSignerTest {
    private final CursorSigner signer = new CursorSigner("0123456789abcdef0123456789abcdef".getBytes(
            StandardCharsets.UTF_8));

    @Test
    void verify_whenSignedForTheSameUser_returnsTheTrackerCursor() {
        String signed = signer.sign("alice", "inner-cursor/+=");
        assertEquals(Optional.of("inner-cursor/+="), signer.verify("alice", signed));
    }

    @Test
    void verify_whenSignedForAnotherUser_returnsEmpty() {
        assertTrue(signer.verify("bob", signer.sign("alice", "inner")).isEmpty());
    }

    @Test
    void verify_whenAnyCharacterChanged_returnsEmpty() {
        String signed = signer.sign("alice", "inner");
        for (int i = 0; i < signed.length(); i++) {
            char c = signed.charAt(i);
            String changed = signed.substring(0, i) + (c == 'a' ? 'b' : 'a') + signed.substring(i + 1);
            assertTrue(signer.verify("alice", changed).isEmpty(), changed);
        }
    }

    @Test
    void verify_whenMalformed_returnsEmpty() {
        for (String bad : new String[] {"", ".", "abc", "!!!.00", "x".repeat(5000)}) {
            assertTrue(signer.verify("alice", bad).isEmpty(), bad);
        }
    }
}
