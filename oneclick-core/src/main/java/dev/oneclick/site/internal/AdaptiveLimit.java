package dev.oneclick.site.internal;

import java.util.function.LongSupplier;

/**
 * How many S3 requests a sync keeps in flight, adapted to what the endpoint sustains. It starts at {@link #START}
 * (or the ceiling, when lower) and measures throughput over windows of completed requests (each window at least
 * {@link #MIN_WINDOW} requests and twice the current limit). Throughput counts each request as
 * {@link #REQUEST_BYTES} bytes on top of its body, so that a window of small files and one of large files compare.
 *
 * <ul>
 *   <li><b>Growth.</b> After a window in which requests had to wait for a slot, the limit doubles (below the
 *       threshold set by the last throttling, at first the ceiling) or grows by an eighth (above it), up to the
 *       ceiling, as long as throughput keeps up: a window at the new limit moving at least {@link #KEEPS_UP} of what
 *       the window before moved.</li>
 *   <li><b>Too far.</b> When throughput falls after a growth, the limit goes back to where it was and stays there
 *       for {@link #HOLD_AFTER_FALL} windows before it probes again.</li>
 *   <li><b>Throttling.</b> When the endpoint answered 503 (S3's SlowDown) or 429 since the last window, the limit
 *       halves (at least 1), that becomes the threshold for doubling, and it holds for {@link #HOLD_AFTER_THROTTLE}
 *       windows. The SDK's retry strategy still retries the throttled requests with its back-off.</li>
 * </ul>
 * Not thread-safe: {@link AsyncLimiter} calls it under its own lock.
 */
final class AdaptiveLimit {
    /** The limit a sync starts with. */
    static final int START = 8;
    /** A request's fixed cost, counted as this many bytes moved. */
    static final long REQUEST_BYTES = 64 * 1024;
    /** Throughput after a growth must be at least this share of the window's before it, or the growth is undone. */
    static final double KEEPS_UP = 0.95;
    /** The fewest requests in a measuring window. */
    static final int MIN_WINDOW = 8;
    static final int HOLD_AFTER_THROTTLE = 4;
    static final int HOLD_AFTER_FALL = 16;

    private final int ceiling;
    /** False for a {@link #fixed} limit. */
    private final boolean adapts;
    private final LongSupplier throttles;
    private final LongSupplier clock;
    private int limit;
    private int threshold;
    private int before;
    private boolean grew;
    private int hold;
    private long throttlesSeen;
    private final long throttlesAtStart;
    private int lowest;
    private double lastRate = Double.NaN;
    private long windowStart;
    private long windowWork;
    private int windowCalls;
    private boolean windowWaited;

    /**
     * @param ceiling the most requests ever in flight (the deployer's {@code concurrency}), at least 1
     * @param throttles a running count of throttling answers (503, 429) the S3 client received; never decreases
     * @param clock nanoseconds, such as {@link System#nanoTime()}
     */
    AdaptiveLimit(int ceiling, LongSupplier throttles, LongSupplier clock) {
        this(ceiling, Math.min(ceiling, START), true, throttles, clock);
    }

    private AdaptiveLimit(int ceiling, int start, boolean adapts, LongSupplier throttles, LongSupplier clock) {
        if (ceiling < 1) {
            throw new IllegalArgumentException("ceiling must be at least 1");
        }
        this.ceiling = ceiling;
        this.adapts = adapts;
        this.throttles = throttles;
        this.clock = clock;
        this.limit = start;
        this.threshold = ceiling;
        this.throttlesSeen = throttles.getAsLong();
        this.throttlesAtStart = throttlesSeen;
        this.lowest = limit;
        this.windowStart = clock.getAsLong();
    }

    /** A limit that never changes: {@code limit} requests in flight. */
    static AdaptiveLimit fixed(int limit) {
        return new AdaptiveLimit(limit, limit, false, () -> 0, () -> 0);
    }

    int current() {
        return limit;
    }

    /** The lowest limit so far. */
    int lowest() {
        return lowest;
    }

    /** Throttling answers seen since this limit was made. */
    long throttled() {
        return throttles.getAsLong() - throttlesAtStart;
    }

    /**
     * One request completed.
     *
     * @param bytes the body it carried
     * @param waited whether requests were waiting for a slot when it completed (the limit was what held them back)
     */
    void completed(long bytes, boolean waited) {
        windowCalls++;
        windowWork += bytes + REQUEST_BYTES;
        windowWaited |= waited;
        if (!adapts || windowCalls < Math.max(MIN_WINDOW, 2 * limit)) {
            return;
        }
        long now = clock.getAsLong();
        double rate = windowWork * 1e9 / Math.max(1, now - windowStart);
        boolean limited = windowWaited;
        windowStart = now;
        windowWork = 0;
        windowCalls = 0;
        windowWaited = false;
        boolean grewLast = grew;
        grew = false;

        long t = throttles.getAsLong();
        if (t != throttlesSeen) {
            throttlesSeen = t;
            threshold = Math.max(1, limit / 2);
            limit = threshold;
            lowest = Math.min(lowest, limit);
            hold = HOLD_AFTER_THROTTLE;
            lastRate = Double.NaN;
            return;
        }
        if (grewLast && rate < lastRate * KEEPS_UP) {
            limit = before;
            hold = HOLD_AFTER_FALL;
            lastRate = Double.NaN;
            return;
        }
        lastRate = rate;
        if (hold > 0) {
            hold--;
            return;
        }
        if (limited && limit < ceiling) {
            before = limit;
            limit = Math.min(ceiling, limit < threshold ? limit * 2 : limit + Math.max(1, limit / 8));
            grew = true;
        }
    }
}
