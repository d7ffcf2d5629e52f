package dev.oneclick.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.naming.ProjectGuid;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryReplayGuardTest {
    static final ProjectGuid A = ProjectGuid.parse("3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab");
    static final ProjectGuid B = ProjectGuid.parse("11111111-2222-4333-8444-555555555555");
    static final Instant T = Instant.parse("2026-11-26T06:00:00Z");

    @Test
    void isProcessed_whenMarked_isTrueUntilRetentionEnds() {
        ReplayGuard guard = ReplayGuard.inMemory(10, Duration.ofMinutes(10));
        guard.markProcessed(A, "e1", T);

        assertTrue(guard.isProcessed(A, "e1", T.plusSeconds(599)));
        assertFalse(guard.isProcessed(A, "e1", T.plusSeconds(600)));
    }

    @Test
    void isProcessed_whenOtherProjectOrId_isFalse() {
        ReplayGuard guard = ReplayGuard.inMemory();
        guard.markProcessed(A, "e1", T);

        assertFalse(guard.isProcessed(B, "e1", T));
        assertFalse(guard.isProcessed(A, "e2", T));
    }

    @Test
    void secondsUntilRoom_whenFullOfUnexpiredEntries_refusesAndForgetsNothing() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(3, Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) {
            assertEquals(0, guard.secondsUntilRoom(T.plusSeconds(i)));
            guard.markProcessed(A, "e" + i, T.plusSeconds(i));
        }

        assertEquals(600, guard.secondsUntilRoom(T.plusSeconds(1)), "room again when e0 expires, at T+600");
        guard.markProcessed(A, "e3", T.plusSeconds(5)); // a concurrent event past the check: kept, nothing dropped
        assertEquals(4, guard.size());
        assertTrue(guard.isProcessed(A, "e0", T.plusSeconds(5)));
        assertTrue(guard.isProcessed(A, "e3", T.plusSeconds(5)));
        assertEquals(0, guard.secondsUntilRoom(T.plusSeconds(601)), "e0 and e1 expired");
    }

    @Test
    void isProcessed_whenEntriesExpired_removesThem() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(100, Duration.ofMinutes(1));
        guard.markProcessed(A, "e1", T);
        guard.markProcessed(A, "e2", T.plusSeconds(30));

        guard.isProcessed(A, "x", T.plusSeconds(61));

        assertEquals(1, guard.size());
    }

    @Test
    void inMemory_whenBadLimits_throwsInvalidInputNamingTheParameter() {
        assertEquals("maxEntries", assertThrows(InvalidInputException.class,
                () -> ReplayGuard.inMemory(0, Duration.ofMinutes(1))).field());
        assertEquals("retention", assertThrows(InvalidInputException.class,
                () -> ReplayGuard.inMemory(1, Duration.ZERO)).field());
        assertEquals("retention", assertThrows(InvalidInputException.class,
                () -> ReplayGuard.inMemory(1, null)).field());
    }
}
