package dev.oneclick.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. Remembers accepted event ids. */
public final class ReplayGuard {
    private final ConcurrentHashMap<String, Instant> seen = new ConcurrentHashMap<>();
    private final Duration keep;

    public ReplayGuard(Duration keep) {
        this.keep = keep;
    }

    public boolean seen(String key, Instant now) {
        seen.values().removeIf(t -> t.plus(keep).isBefore(now));
        return seen.containsKey(key);
    }

    public void remember(String key, Instant now) {
        seen.put(key, now);
    }
}
