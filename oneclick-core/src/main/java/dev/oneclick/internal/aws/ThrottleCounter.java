package dev.oneclick.internal.aws;

import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the throttling answers a client receives, per attempt (so also the ones its retry strategy retried and the
 * caller never sees): HTTP 503 (S3's SlowDown, ServiceUnavailable) and 429. The static-site sync reads the count to
 * lower how many requests it keeps in flight. Thread-safe.
 */
public final class ThrottleCounter implements ExecutionInterceptor {
    private final LongAdder count = new LongAdder();

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes executionAttributes) {
        record(context.httpResponse().statusCode());
    }

    /** Counts {@code status} if it is a throttling answer (for requests sent without the SDK's pipeline). */
    public void record(int status) {
        if (status == 503 || status == 429) {
            count.increment();
        }
    }

    /** Throttling answers received so far. */
    public long count() {
        return count.sum();
    }
}
