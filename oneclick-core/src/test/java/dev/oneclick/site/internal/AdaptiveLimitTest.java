package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link AdaptiveLimit} against a model endpoint: each completion takes the time the endpoint's throughput at the
 * current limit gives it (requests per second as a function of the requests in flight), and requests always wait, so
 * the limit is what holds them back. The clock is the test's, so every run is the same.
 */
class AdaptiveLimitTest {
    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong throttles = new AtomicLong();

    /** Runs {@code completions} requests of 1 KiB against {@code rate}; returns the limit after each window. */
    private List<Integer> run(AdaptiveLimit limit, int completions, IntToDoubleFunction rate) {
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < completions; i++) {
            clock.addAndGet((long) (1e9 / rate.applyAsDouble(limit.current())));
            int before = limit.current();
            limit.completed(1024, true);
            if (limit.current() != before) {
                seen.add(limit.current());
            }
        }
        return seen;
    }

    private AdaptiveLimit limit(int ceiling) {
        return new AdaptiveLimit(ceiling, throttles::get, clock::get);
    }

    @Test
    void completed_whileThroughputGrowsWithTheRequestsInFlight_growsToTheCeiling() {
        AdaptiveLimit limit = limit(32);
        assertEquals(AdaptiveLimit.START, limit.current());
        List<Integer> steps = run(limit, 200, n -> 100.0 * n);
        assertEquals(List.of(16, 32), steps);
        assertEquals(32, limit.current());
    }

    @Test
    void completed_whenMoreRequestsInFlightMakeTheEndpointSlower_goesBackAndStays() {
        // an endpoint that moves most at 16 in flight and less beyond (an overloaded disk, a small server)
        AdaptiveLimit limit = limit(64);
        List<Integer> steps = run(limit, 400, n -> n <= 16 ? 100.0 * n : 1600.0 - 60 * (n - 16));
        assertEquals(List.of(16, 32, 16), steps.subList(0, 3));
        assertEquals(16, limit.current());
    }

    @Test
    void completed_whenThroughputIsFlat_keepsGrowingOnlyWhileItKeepsUp() {
        AdaptiveLimit limit = limit(32);
        run(limit, 400, n -> 1000.0);
        assertEquals(32, limit.current(), "flat throughput keeps up: the limit may grow to the ceiling");
    }

    @Test
    void completed_whenTheEndpointThrottles_halvesThenGrowsByOneEighthAtATime() {
        AdaptiveLimit limit = limit(32);
        run(limit, 200, n -> 100.0 * n);
        assertEquals(32, limit.current());
        throttles.incrementAndGet();
        List<Integer> steps = run(limit, 64, n -> 100.0 * n);
        assertEquals(16, steps.get(0), "halved at the next window");
        // held for a few windows, then additive growth: 16 -> 18 -> 20 ...
        steps = run(limit, 2000, n -> 100.0 * n);
        assertEquals(List.of(18, 20, 22, 24, 27, 30, 32), steps);
    }

    @Test
    void completed_whenThrottledAgainAndAgain_neverGoesBelowOne() {
        AdaptiveLimit limit = limit(32);
        for (int i = 0; i < 20; i++) {
            throttles.incrementAndGet(); // a throttling answer in every window
            run(limit, Math.max(AdaptiveLimit.MIN_WINDOW, 2 * limit.current()), n -> 10.0 * n);
        }
        assertEquals(1, limit.current());
    }

    @Test
    void completed_whenNothingWaitsForASlot_doesNotGrow() {
        AdaptiveLimit limit = limit(32);
        for (int i = 0; i < 500; i++) {
            clock.addAndGet(1_000_000);
            limit.completed(1024, false);
        }
        assertEquals(AdaptiveLimit.START, limit.current());
    }

    @Test
    void limits_belowTheStartAndFixed_stayWhereTheyAre() {
        AdaptiveLimit one = limit(1);
        run(one, 100, n -> 100.0 * n);
        assertEquals(1, one.current());
        AdaptiveLimit fixed = AdaptiveLimit.fixed(32);
        throttles.incrementAndGet();
        run(fixed, 500, n -> 100.0 * n);
        assertEquals(32, fixed.current());
        assertThrows(IllegalArgumentException.class, () -> limit(0));
        assertTrue(AdaptiveLimit.REQUEST_BYTES > 0);
    }
}
