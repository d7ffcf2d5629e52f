package dev.oneclick.site.internal;

import dev.oneclick.local.LocalAws;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** S3 clients for the sync tests: the local backend's client configuration plus a request counter. */
final class TestS3 {
    private TestS3() {
    }

    /** Counts requests by operation name (PutObject, UploadPart, CopyObject, ...) and the keys PutObject sent. */
    static final class Counter implements ExecutionInterceptor {
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final List<String> putKeys = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String name = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
            counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            if (context.request() instanceof PutObjectRequest put) {
                putKeys.add(put.key());
            }
        }

        int get(String operation) {
            AtomicInteger n = counts.get(operation);
            return n == null ? 0 : n.get();
        }

        /** Keys sent with PutObject since the last reset. */
        List<String> putKeys() {
            return List.copyOf(putKeys);
        }

        void reset() {
            counts.clear();
            putKeys.clear();
        }

        @Override
        public String toString() {
            return counts.toString();
        }
    }

    static S3AsyncClient client(LocalAws aws, Counter counter) {
        return aws.s3AsyncClientBuilder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64))
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build();
    }
}
