package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class TimingsTest {
    /** A log that keeps its debug lines. */
    private static final class Kept extends SystemStreamLog {
        final List<String> debug = new ArrayList<>();
        final boolean debugEnabled;

        Kept(boolean debugEnabled) {
            this.debugEnabled = debugEnabled;
        }

        @Override
        public boolean isDebugEnabled() {
            return debugEnabled;
        }

        @Override
        public void debug(CharSequence content) {
            debug.add(content.toString());
        }
    }

    @Test
    void mark_whenDebugIsOn_logsWhatAndTheMillisecondsSinceJvmStart() {
        Kept log = new Kept(true);

        Timings.mark(log, "planned");

        assertEquals(1, log.debug.size());
        assertTrue(log.debug.get(0).matches("timing: planned at \\d+ ms after JVM start"), log.debug.get(0));
    }

    @Test
    void mark_whenDebugIsOff_logsNothing() {
        Kept log = new Kept(false);

        Timings.mark(log, "planned");

        assertTrue(log.debug.isEmpty(), log.debug.toString());
    }
}
