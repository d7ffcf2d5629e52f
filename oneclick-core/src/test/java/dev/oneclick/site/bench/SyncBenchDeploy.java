package dev.oneclick.site.bench;

import dev.oneclick.DeployListener;
import dev.oneclick.internal.aws.DirectS3;
import dev.oneclick.internal.aws.ThrottleCounter;
import dev.oneclick.site.internal.SiteSync;
import dev.oneclick.site.internal.SyncPlan;
import dev.oneclick.site.internal.SyncResult;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * One deploy of a site folder with {@link SiteSync}, as the benchmark runs it: a Netty async client and
 * {@link DirectS3} (as a deployer that builds its own clients has them) with up to 32 requests in flight against an
 * S3-compatible endpoint. Used in-process by {@link SyncBench} and as its own JVM
 * for the memory measurement ({@code SyncBenchDeploy <endpoint> <bucket> <siteDir>}), where it ends by printing its
 * peak resident set size (VmHWM).
 */
public final class SyncBenchDeploy {
    /** Requests in flight. */
    public static final int CONCURRENCY = 32;
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("bench", "bench"));

    private SyncBenchDeploy() {
    }

    /** The outcome of one deploy: time, result, and client-side request counts by operation. */
    public record Outcome(Duration time, SyncResult result, SyncPlan plan, Map<String, Integer> requests) {
        int count(String op) {
            return requests.getOrDefault(op, 0);
        }
    }

    /**
     * A client that counts its requests by operation into {@link #counts}, like the deployer's long-lived client,
     * and the {@link DirectS3} the deployer sends single-part uploads with (its PUTs are counted from the plan).
     */
    public static final class CountingClient implements AutoCloseable {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final S3AsyncClient s3;
        final ThrottleCounter throttles = new ThrottleCounter();
        final DirectS3 direct;

        public CountingClient(URI endpoint) {
            s3 = client(endpoint, new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    String op = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
                    counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
                }
            });
            direct = new DirectS3(Region.US_EAST_1, endpoint, true, CREDENTIALS, AwsRetryStrategy
                    .standardRetryStrategy().toBuilder().maxAttempts(8).build(), throttles, CONCURRENCY * 2);
        }

        @Override
        public void close() {
            s3.close();
            try {
                direct.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** One deploy with a new client (closed afterwards; the close is not timed). */
    public static Outcome deploy(URI endpoint, String bucket, Path site) {
        long start = System.nanoTime();
        try (CountingClient client = new CountingClient(endpoint)) {
            return deploy(client, bucket, site, start);
        }
    }

    /** One deploy with a client that lives on, as a {@code Deployer} holds its S3 client. */
    public static Outcome deploy(CountingClient client, String bucket, Path site) {
        return deploy(client, bucket, site, System.nanoTime());
    }

    private static Outcome deploy(CountingClient client, String bucket, Path site, long start) {
        client.counts.clear();
        SiteSync sync = new SiteSync(client.s3, () -> client.direct, CONCURRENCY, client.throttles::count,
                DeployListener.NONE, "bench");
        sync.prefetch(bucket);
        SyncPlan plan = sync.plan(bucket, sync.scan(site, null), true, 100_000, true);
        SyncResult result = sync.apply(bucket, plan);
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Integer> snapshot = new java.util.TreeMap<>();
        client.counts.forEach((k, v) -> snapshot.put(k, v.get()));
        long direct = plan.uploads().stream().filter(f -> f.size() < SiteSync.MULTIPART_THRESHOLD).count();
        if (direct > 0) {
            snapshot.put("PutObject (direct)", (int) direct);
        }
        return new Outcome(time, result, plan, snapshot);
    }

    /**
     * A client set up as the deployer's {@code ClientFactory} sets up its S3 async client for an S3-compatible
     * endpoint: path style, checksums only when required, responses completed on the event loop, one loop thread
     * per processor.
     */
    static S3AsyncClient client(URI endpoint, ExecutionInterceptor interceptor) {
        return S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .asyncConfiguration(a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
                        Runnable::run))
                .credentialsProvider(CREDENTIALS)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(CONCURRENCY * 2)
                        .eventLoopGroupBuilder(SdkEventLoopGroup.builder()
                                .numberOfThreads(Runtime.getRuntime().availableProcessors()))
                        .connectionAcquisitionTimeout(Duration.ofMinutes(2)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(interceptor))
                .build();
    }

    /** Keeps slf4j-simple (the test classpath's logger) to warnings, before any logger is made. */
    static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** Peak resident set size of this process in kB, from /proc/self/status. */
    static long vmHwmKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        quietLogs();
        Outcome o = deploy(URI.create(args[0]), args[1], Path.of(args[2]));
        System.out.println("DEPLOY uploaded=" + o.result().filesUploaded() + " bytes=" + o.result().bytesUploaded()
                + " ms=" + o.time().toMillis() + " requests=" + o.requests() + " vmhwm_kb=" + vmHwmKb());
    }
}
