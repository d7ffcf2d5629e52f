package dev.oneclick.notify;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.naming.ProjectGuid;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded, expiring, synchronized in-memory {@link ReplayGuard} that refuses, rather than forgets, when full. */
final class InMemoryReplayGuard implements ReplayGuard {
    private final int maxEntries;
    private final Duration retention;
    /** key to expiry, in insertion order (which is expiry order, retention being fixed). */
    private final LinkedHashMap<String, Instant> entries = new LinkedHashMap<>();

    InMemoryReplayGuard(int maxEntries, Duration retention) {
        if (maxEntries < 1) {
            throw new InvalidInputException("maxEntries", "The replay guard must hold at least 1 entry, not "
                    + maxEntries + ".");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new InvalidInputException("retention", "The replay guard's retention must be a positive duration, not "
                    + retention + "; keep it at least twice the signature window.");
        }
        this.maxEntries = maxEntries;
        this.retention = retention;
    }

    private static String key(ProjectGuid guid, String eventId) {
        return guid.value() + "/" + eventId;
    }

    @Override
    public synchronized boolean isProcessed(ProjectGuid guid, String eventId, Instant now) {
        expire(now);
        return entries.containsKey(key(guid, eventId));
    }

    @Override
    public synchronized void markProcessed(ProjectGuid guid, String eventId, Instant now) {
        expire(now);
        String key = key(guid, eventId);
        entries.remove(key);
        // never dropped before it expires: the receiver asks secondsUntilRoom first, so the map passes maxEntries
        // only by the events that were in progress at once when it filled
        entries.put(key, now.plus(retention));
    }

    @Override
    public synchronized long secondsUntilRoom(Instant now) {
        expire(now);
        if (entries.size() < maxEntries) {
            return 0;
        }
        Instant oldest = entries.values().iterator().next();
        return Math.max(1, java.time.Duration.between(now, oldest).toSeconds() + 1);
    }

    /** Number of entries held (for tests). */
    public synchronized int size() {
        return entries.size();
    }

    private void expire(Instant now) {
        Iterator<Map.Entry<String, Instant>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().isAfter(now)) {
                return;
            }
            it.remove();
        }
    }
}
