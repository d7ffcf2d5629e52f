package dev.oneclick.site.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Bounds how many asynchronous calls run at once without ever blocking: a call over the limit waits in a queue
 * and starts when a running one completes. The limit is an {@link AdaptiveLimit}, told of every completion (and the
 * bytes the call carried); when it grows, waiting calls start at once. Safe to use from SDK completion threads (a
 * multipart upload submits its parts from the callback of its CreateMultipartUpload), so it cannot deadlock the way a
 * blocking semaphore held across nested calls can. A call cancelled (its returned future) while it waits never
 * starts. Thread-safe.
 */
final class AsyncLimiter {
    private final AdaptiveLimit limit;
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private int running;

    /** At most {@code limit} calls at once, always. */
    AsyncLimiter(int limit) {
        this(AdaptiveLimit.fixed(check(limit)));
    }

    AsyncLimiter(AdaptiveLimit limit) {
        this.limit = limit;
    }

    /** Up to {@code ceiling} calls at once, adapting to throughput and to {@code throttles} ({@link AdaptiveLimit}). */
    static AsyncLimiter adaptive(int ceiling, LongSupplier throttles) {
        return new AsyncLimiter(new AdaptiveLimit(ceiling, throttles, System::nanoTime));
    }

    private static int check(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        return limit;
    }

    /** Starts {@code call} now or once a slot frees up; the returned future completes with the call's result. */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        return submit(0, call);
    }

    /** As {@link #submit(Supplier)}, for a call that sends {@code bytes} of body (what throughput is measured in). */
    <T> CompletableFuture<T> submit(long bytes, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> f;
            try {
                f = call.get();
            } catch (Throwable t) {
                f = CompletableFuture.failedFuture(t);
            }
            f.whenComplete((v, e) -> {
                // the caller's dependents run before the slot is handed on, so a failure can cancel the calls
                // still waiting before one of them starts
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
                release(bytes);
            });
        };
        boolean now;
        synchronized (this) {
            now = running < limit.current();
            if (now) {
                running++;
            } else {
                waiting.add(new Waiting(result, start));
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    /** The limit now (for tests and progress). */
    synchronized int limit() {
        return limit.current();
    }

    /** Throttling answers the endpoint gave while this limiter was in use. */
    synchronized long throttled() {
        return limit.throttled();
    }

    /** The lowest limit so far. */
    synchronized int lowest() {
        return limit.lowest();
    }

    private void release(long bytes) {
        List<Runnable> next = null;
        synchronized (this) {
            running--;
            limit.completed(bytes, !waiting.isEmpty());
            while (running < limit.current()) {
                Waiting w = waiting.poll();
                if (w == null) {
                    break;
                }
                if (!w.result().isDone()) { // cancelled while waiting: never started
                    running++;
                    if (next == null) {
                        next = new ArrayList<>(1);
                    }
                    next.add(w.start());
                }
            }
        }
        if (next != null) {
            next.forEach(Runnable::run);
        }
    }

    /** A call waiting for a slot, and the future its caller holds. */
    private record Waiting(CompletableFuture<?> result, Runnable start) {
    }
}
