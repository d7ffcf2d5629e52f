package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {
    @Test
    void submit_whenManyCallsRace_neverRunsMoreThanTheLimitAndCompletesAll() {
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
        try {
            AsyncLimiter limiter = new AsyncLimiter(3);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int n = i;
                all.add(limiter.submit(() -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    CompletableFuture<Integer> f = new CompletableFuture<>();
                    timer.schedule(() -> {
                        running.decrementAndGet();
                        f.complete(n);
                    }, 2, TimeUnit.MILLISECONDS);
                    return f;
                }));
            }
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i, all.get(i).join());
            }
            assertEquals(3, peak.get());
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void submit_whenCallThrows_failsItsFutureAndFreesTheSlot() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        CompletableFuture<Object> bad = limiter.submit(() -> {
            throw new IllegalStateException("boom");
        });
        CompletionException e = assertThrows(CompletionException.class, bad::join);
        assertTrue(e.getCause() instanceof IllegalStateException);
        assertEquals("ok", limiter.submit(() -> CompletableFuture.completedFuture("ok")).join());
    }

    @Test
    void submit_whenAWaitingCallIsCancelled_neverStartsItAndStartsTheNextOne() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        CompletableFuture<String> gate = new CompletableFuture<>();
        List<String> started = new ArrayList<>();
        CompletableFuture<String> first = limiter.submit(() -> {
            started.add("first");
            return gate;
        });
        CompletableFuture<String> second = limiter.submit(() -> {
            started.add("second");
            return CompletableFuture.completedFuture("second");
        });
        CompletableFuture<String> third = limiter.submit(() -> {
            started.add("third");
            return CompletableFuture.completedFuture("third");
        });
        // a failure of the running call cancels the waiting one before the slot is handed on
        first.whenComplete((v, e) -> second.cancel(false));

        gate.completeExceptionally(new IllegalStateException("part 1 failed"));

        assertEquals("third", third.join());
        assertTrue(second.isCancelled());
        assertEquals(List.of("first", "third"), started);
    }

    @Test
    void release_whenTheAdaptiveLimitGrows_startsWaitingCallsAtOnce() {
        long[] now = {0};
        AsyncLimiter limiter = new AsyncLimiter(new AdaptiveLimit(32, () -> 0, () -> now[0]));
        List<CompletableFuture<String>> gates = new ArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            limiter.submit(1024, () -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                CompletableFuture<String> g = new CompletableFuture<>();
                synchronized (gates) {
                    gates.add(g);
                }
                return g.whenComplete((v, e) -> running.decrementAndGet());
            });
        }
        assertEquals(AdaptiveLimit.START, peak.get(), "starts at " + AdaptiveLimit.START);
        // complete the calls one by one, each a millisecond later: throughput grows with the limit
        for (int i = 0; i < 200; i++) {
            CompletableFuture<String> g;
            synchronized (gates) {
                g = gates.get(i);
            }
            now[0] += 1_000_000L / Math.max(1, running.get());
            g.complete("done");
        }
        assertEquals(32, limiter.limit());
        assertEquals(32, peak.get(), "the calls waiting started as the limit grew");
    }
}
