package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void parse_whenKnownInAnyCase_returnsTarget() {
        assertEquals(Target.AWS, Target.parse("aws"));
        assertEquals(Target.LOCAL, Target.parse(" Local "));
    }

    @Test
    void parse_whenBlank_returnsAws() {
        assertEquals(Target.AWS, Target.parse(null));
        assertEquals(Target.AWS, Target.parse(""));
    }

    @Test
    void parse_whenUnknown_returnsNull() {
        assertNull(Target.parse("moon"));
    }
}
