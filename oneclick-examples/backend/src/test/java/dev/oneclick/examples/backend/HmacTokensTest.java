package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HmacTokensTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HmacTokens at(Instant now) {
        return new HmacTokens(KEY, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void authenticate_whenIssuedByTheSameKey_returnsTheUser() {
        String token = at(T0).issue("user.with.dots@example.com");
        assertEquals(Optional.of("user.with.dots@example.com"), at(T0.plusSeconds(60)).authenticate(token));
    }

    @Test
    void authenticate_whenExpired_returnsEmpty() {
        String token = at(T0).issue("alice");
        assertEquals(Optional.empty(), at(T0.plus(Duration.ofHours(1))).authenticate(token));
    }

    @Test
    void authenticate_whenExpiryExtended_returnsEmpty() {
        String token = at(T0).issue("alice");
        String[] parts = token.split("\\.");
        String extended = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2];
        assertEquals(Optional.empty(), at(T0).authenticate(extended));
    }

    @Test
    void authenticate_whenSignedWithAnotherKey_returnsEmpty() {
        byte[] other = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
        String token = new HmacTokens(other, Duration.ofHours(1), Clock.fixed(T0, ZoneOffset.UTC)).issue("alice");
        assertEquals(Optional.empty(), at(T0).authenticate(token));
    }

    @Test
    void authenticate_whenMalformed_returnsEmpty() {
        HmacTokens tokens = at(T0);
        for (String bad : new String[] {"", ".", "..", "abc", "a.b.c", "YWxpY2U.notanumber.00", "x".repeat(5000)}) {
            assertTrue(tokens.authenticate(bad).isEmpty(), bad);
        }
    }

    @Test
    void constructor_whenKeyShort_throws() {
        assertThrows(IllegalArgumentException.class,
                () -> new HmacTokens(new byte[16], Duration.ofHours(1), Clock.systemUTC()));
    }
}
