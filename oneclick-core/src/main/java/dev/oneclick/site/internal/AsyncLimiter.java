package dev.oneclick.site.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bounds how many asynchronous calls run at once without ever blocking: a call over the limit waits in a queue
 * and starts when a running one completes. Safe to use from SDK completion threads (a multipart upload submits
 * its parts from the callback of its CreateMultipartUpload), so it cannot deadlock the way a blocking semaphore
 * held across nested calls can. A call cancelled (its returned future) while it waits never starts. Thread-safe.
 */
final class AsyncLimiter {
    private final int limit;
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private int running;

    AsyncLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
    }

    /** Starts {@code call} now or once a slot frees up; the returned future completes with the call's result. */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
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
                release();
            });
        };
        boolean now;
        synchronized (this) {
            now = running < limit;
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

    private void release() {
        Waiting next;
        synchronized (this) {
            do {
                next = waiting.poll();
            } while (next != null && next.result().isDone()); // cancelled while waiting: never started
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.start().run();
        }
    }

    /** A call waiting for a slot, and the future its caller holds. */
    private record Waiting(CompletableFuture<?> result, Runnable start) {
    }
}
