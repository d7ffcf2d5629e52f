package dev.oneclick.examples.backend;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-client-address limits: a request rate (a bucket4j token bucket per address: {@code burst} requests at once,
 * refilled at {@code perMinute}) and a cap on requests in progress at once. Addresses are the TCP peer's (the
 * backend binds to loopback; behind a reverse proxy, put the limit in the proxy or pass the client address through).
 * At most {@value #MAX_ADDRESSES} addresses keep a bucket; past that the least recently seen is forgotten (it starts
 * again with a full bucket). Thread-safe.
 */
final class ClientLimits {
    static final int MAX_ADDRESSES = 10_000;

    /** A rate: {@code burst} requests at once, refilled greedily at {@code perMinute} requests a minute. */
    record Rate(long burst, long perMinute) {
        Rate {
            if (burst < 1 || perMinute < 1) {
                throw new IllegalArgumentException("a rate needs burst and perMinute of at least 1");
            }
        }
    }

    private final Rate rate;
    private final int maxInProgress;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };
    private final Map<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    ClientLimits(Rate rate, int maxInProgress) {
        this.rate = rate;
        this.maxInProgress = maxInProgress;
    }

    /**
     * Takes one request from the address's bucket.
     *
     * @return 0 when allowed, else the whole seconds (at least 1) until the next request would be
     */
    long tryTake(String address) {
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(address, a -> Bucket.builder().addLimit(Bandwidth.builder()
                    .capacity(rate.burst()).refillGreedy(rate.perMinute(), Duration.ofMinutes(1)).build()).build());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
    }

    /** Enters a request of the address; false (nothing entered) when it already has {@code maxInProgress}. */
    boolean tryEnter(String address) {
        boolean[] entered = {false};
        inProgress.compute(address, (a, n) -> {
            AtomicInteger count = n == null ? new AtomicInteger() : n;
            if (count.get() < maxInProgress) {
                count.incrementAndGet();
                entered[0] = true;
            }
            return count.get() == 0 ? null : count;
        });
        return entered[0];
    }

    /** Leaves a request entered with {@link #tryEnter}. */
    void exit(String address) {
        inProgress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
