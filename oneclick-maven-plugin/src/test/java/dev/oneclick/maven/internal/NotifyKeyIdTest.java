package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotifyKeyIdTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void of_whenNeitherFileNorEnvironmentNamesOne_isOne() {
        assertEquals(1, NotifyKeyId.of(List.of(SECRET), "notify.secret", null));
        assertEquals(1, NotifyKeyId.of(null, "null", " "));
    }

    @Test
    void of_whenFileHasKidLine_usesIt() {
        assertEquals(3, NotifyKeyId.of(List.of(SECRET, "kid=3", ""), "notify.secret", null));
        assertEquals(12, NotifyKeyId.of(List.of(SECRET, " keyId = 12 "), "notify.secret", "12"));
    }

    @Test
    void of_whenOnlyEnvironment_usesIt() {
        assertEquals(2, NotifyKeyId.of(null, "null", "2"));
        assertEquals(2, NotifyKeyId.of(List.of(SECRET), "notify.secret", "2"));
    }

    @Test
    void of_whenFileAndEnvironmentDisagree_failsNamingBoth() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> NotifyKeyId.of(List.of(SECRET, "kid=3"), "notify.secret", "2"));
        assertEquals("notifySecretFile", e.field());
        assertTrue(e.getMessage().contains("key id 3") && e.getMessage().contains(NotifyKeyId.ENV + " is 2"),
                e.getMessage());
    }

    @Test
    void of_whenMalformed_failsWithoutEchoingTheSecret() {
        for (List<String> lines : List.of(List.of(SECRET, "kid=0"), List.of(SECRET, "kid=abc"),
                List.of(SECRET, "kid=1234567"), List.of(SECRET, SECRET), List.of(SECRET, "kid=1", "kid=2"))) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> NotifyKeyId.of(lines, "notify.secret", null), lines.toString());
            assertEquals("notifySecretFile", e.field());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> NotifyKeyId.of(null, "null", "-1"));
    }
}
