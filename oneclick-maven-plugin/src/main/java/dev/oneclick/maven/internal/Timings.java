package dev.oneclick.maven.internal;

import java.lang.management.ManagementFactory;
import org.apache.maven.plugin.logging.Log;

/**
 * Start-up profile lines at debug level: {@code timing: <what> at <n> ms after JVM start}, shown with {@code -X} or
 * only for oneclick with {@code -Dorg.slf4j.simpleLogger.log.dev.oneclick=debug}. Costs nothing when debug is off.
 */
public final class Timings {
    private Timings() {
    }

    /** Logs that {@code what} happened now, in milliseconds since the JVM started. */
    public static void mark(Log log, String what) {
        if (log.isDebugEnabled()) {
            log.debug("timing: " + what + " at " + ManagementFactory.getRuntimeMXBean().getUptime()
                    + " ms after JVM start");
        }
    }
}
