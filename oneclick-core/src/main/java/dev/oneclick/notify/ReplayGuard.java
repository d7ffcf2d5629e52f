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

    /** An in-memory guard of at most 100,000 entries, each kept for 10 minutes (twice the signature window). */
    static ReplayGuard inMemory() {
        return inMemory(100_000, NotifyReceiver.DEFAULT_WINDOW.multipliedBy(2));
    }

    /**
     * An in-memory guard. An entry expires {@code retention} after it was recorded; when {@code maxEntries} are
     * held, the oldest is dropped first. Keep {@code retention} at least twice the signature window.
     *
     * @throws dev.oneclick.errors.InvalidInputException (field {@code maxEntries} or {@code retention}) for a limit below 1
     *     or a retention that is missing, zero or negative
     */
    static ReplayGuard inMemory(int maxEntries, Duration retention) {
        return new InMemoryReplayGuard(maxEntries, retention);
    }
}
