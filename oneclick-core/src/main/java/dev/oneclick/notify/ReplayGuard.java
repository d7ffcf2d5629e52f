package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers which events were processed, so a replayed or retried event is answered as a duplicate and has no
 * effect. Keyed by project and event id. Implementations must be thread-safe; the default keeps entries in memory
 * (one backend instance); a backend with several instances implements it over a shared store.
 */
public interface ReplayGuard {
    /** Whether this event was processed successfully before (and is still remembered). */
    boolean isProcessed(ProjectGuid guid, String eventId, Instant now);

    /** Records a successfully processed event. */
    void markProcessed(ProjectGuid guid, String eventId, Instant now);

    /**
     * Whether the guard can remember one more event now: 0 when it can, else the seconds until it can (a bounded
     * guard that is full of events still inside the window). The receiver answers 503 with that {@code Retry-After}
     * and processes nothing, rather than let the guard forget an event that could still be replayed. Default 0.
     */
    default long secondsUntilRoom(Instant now) {
        return 0;
    }

    /** An in-memory guard of 100,000 entries, each kept for 10 minutes (twice the signature window). */
    static ReplayGuard inMemory() {
        return inMemory(100_000, NotifyReceiver.DEFAULT_WINDOW.multipliedBy(2));
    }

    /**
     * An in-memory guard. An entry expires {@code retention} after it was recorded; while {@code maxEntries}
     * unexpired entries are held, {@link #secondsUntilRoom} says how long until the oldest expires, and the receiver
     * refuses new events until then (no entry is dropped before it expires). Keep {@code retention} at least twice
     * the signature window.
     *
     * @throws dev.oneclick.errors.InvalidInputException (field {@code maxEntries} or {@code retention}) for a limit below 1
     *     or a retention that is missing, zero or negative
     */
    static ReplayGuard inMemory(int maxEntries, Duration retention) {
        return new InMemoryReplayGuard(maxEntries, retention);
    }
}
