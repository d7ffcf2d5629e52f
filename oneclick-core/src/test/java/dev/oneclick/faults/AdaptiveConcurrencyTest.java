package dev.oneclick.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployListener.Progress;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.faults.FaultProxy.Fault;
import dev.oneclick.internal.DefaultDeployer;
import dev.oneclick.local.LocalAws;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The requests a deploy keeps in flight adapt to what the endpoint sustains: s3proxy behind a {@link FaultProxy} that
 * answers 503 SlowDown whenever more than {@link #CAPACITY} requests are open at once, as an overloaded store does.
 * The deployer is built the way users build it (its own clients, the SDK's retry strategy with its real back-off),
 * with {@code concurrency(32)}. Kept at 32 in flight, the deploy drew 71 SlowDown answers; adapting, it starts at 8,
 * halves its limit on each SlowDown and grows back by one, and completes with a few.
 */
class AdaptiveConcurrencyTest {
    private static final int CAPACITY = 6;
    private static final int FILES = 400;
    private static LocalAws local;
    private static FaultProxy proxy;
    private static S3Client direct;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        local = LocalAws.builder().start();
        proxy = new FaultProxy(local.s3Endpoint());
        direct = local.s3ClientBuilder().build();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {direct, proxy, local}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void deploy_whenTheStoreAnswersSlowDownAboveItsCapacity_backsOffAndCompletes() throws Exception {
        Path site = site(tmp.resolve("site"));
        AtomicInteger peak = new AtomicInteger();
        proxy.faults(r -> {
            int open = proxy.inFlight();
            if (!r.s3() || open <= CAPACITY) {
                peak.accumulateAndGet(open, Math::max);
                return Fault.NONE;
            }
            return Fault.S3_SLOW_DOWN;
        });
        String guid = UUID.randomUUID().toString();
        long started = System.nanoTime();
        List<String> progress = new CopyOnWriteArrayList<>();
        DeployListener listener = new DeployListener() {
            @Override
            public void progress(Progress event) {
                progress.add(event.message());
            }
        };
        try (Deployer d = deployer(listener)) {
            d.deploy(DeployRequest.builder().guid(guid).userId("user-adaptive").siteDir(site).build());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<Fault, Integer> injected = proxy.injected();
        int slowDowns = injected.getOrDefault(Fault.S3_SLOW_DOWN, 0);
        int received = proxy.receivedTotal();
        System.out.printf("[adaptive] %d files, capacity %d, concurrency 32: %d requests received, %d answered "
                + "SlowDown, at most %d served at once, %.1f s%n", FILES + 1, CAPACITY, received, slowDowns,
                peak.get(), seconds);

        String bucket = "tmux-builder-" + guid;
        long objects = direct.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .filter(o -> !o.key().startsWith(".oneclick/")).count();
        assertEquals(FILES + 1, objects, "every file is in the bucket");
        assertTrue(slowDowns > 0, "the store never pushed back: the test did not exercise throttling");
        // Fixed at 32 in flight, the same deploy drew 71 SlowDown answers here; adapting, 3.
        assertTrue(progress.stream().anyMatch(m -> m.matches("S3 answered 503 SlowDown or 429 \\d+ times? \\(each "
                + "retried\\); requests in flight went as low as [1-4], and ended at \\d+\\.")), progress.toString());
        assertTrue(slowDowns < FILES / 20, slowDowns + " SlowDown answers for " + FILES + " files: the sync did not "
                + "lower its requests in flight");
    }

    private static Deployer deployer(DeployListener listener) {
        return DefaultDeployer.builder().region("us-east-1")
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(Deployer.Service.S3, proxy.endpoint())
                .endpointOverride(Deployer.Service.DYNAMODB, local.dynamoDbEndpoint())
                .s3Compatible(true).cdnEnabled(false).tableName("adaptive").concurrency(32)
                .lockWait(Duration.ofSeconds(5)).listener(listener).build();
    }

    private static Path site(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("index.html"), "<!doctype html><title>adaptive</title>");
        for (int i = 0; i < FILES; i++) {
            Files.write(dir.resolve("assets/a" + i + ".js"), ("console.log(" + i + ");\n").repeat(20 + i % 50)
                    .getBytes(StandardCharsets.UTF_8));
        }
        return dir;
    }
}
