package dev.oneclick.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ItemsTest {
    @Test
    void timestamp_whenAnyInstant_isFixedWidthUtcWithMicrosAndZ() {
        assertEquals("2025-01-02T03:04:05.000000Z", Items.timestamp(Instant.parse("2025-01-02T03:04:05Z")));
        assertEquals("2025-01-02T03:04:05.123456Z",
                Items.timestamp(Instant.parse("2025-01-02T03:04:05.123456789Z")));
    }
}
