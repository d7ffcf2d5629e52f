package dev.oneclick.site.internal;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The S3 wire for the sync tests: one in-process s3proxy (authorization none, in-memory store) on a free
 * 127.0.0.1 port for the whole test run, and S3 clients configured for an S3-compatible endpoint (path style,
 * checksums only when required) that count the requests they send.
 */
final class TestS3 {
    private static URI endpoint;

    private TestS3() {
    }

    static synchronized URI endpoint() {
        if (endpoint == null) {
            quietLogs();
            try {
                BlobStoreContext ctx = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                        .build(BlobStoreContext.class);
                S3Proxy proxy = S3Proxy.builder().blobStore(ctx.getBlobStore())
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.NONE, null, null).build();
                proxy.start();
                for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
                    Thread.sleep(50);
                }
                endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        proxy.stop();
                    } catch (Exception ignored) {
                        // the JVM is ending
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not start", e);
            }
        }
        return endpoint;
    }

    /** s3proxy brings logback, which logs at DEBUG unless configured: keep the test output readable. */
    static void quietLogs() {
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Counts requests by operation name (PutObject, UploadPart, CopyObject, ...). */
    static final class Counter implements ExecutionInterceptor {
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final java.util.List<String> putKeys = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String name = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
            counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            if (context.request() instanceof software.amazon.awssdk.services.s3.model.PutObjectRequest put) {
                putKeys.add(put.key());
            }
        }

        /** Keys sent with PutObject since the last reset. */
        java.util.List<String> putKeys() {
            return java.util.List.copyOf(putKeys);
        }

        int get(String operation) {
            AtomicInteger n = counts.get(operation);
            return n == null ? 0 : n.get();
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

    static S3AsyncClient client(Counter counter) {
        return S3AsyncClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64))
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build();
    }
}
