package dev.oneclick.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.faults.FaultProxy.Fault;
import dev.oneclick.internal.DefaultDeployer;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import dev.oneclick.local.MotoClients;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deploys through {@link FaultProxy}s in front of moto (S3 + CloudFront) and dynalite (the record). Under each fault
 * mix a deploy either completes with the site in the bucket or fails with a typed {@code dev.oneclick.errors} error
 * naming the operation; then a deploy without faults completes. After every run no object carries an
 * {@code x-amz-meta-oneclick-sha256} that does not match its bytes, and every run ends within a bound.
 */
class NetworkFaultsTest {
    private static final String USER = "user-faults";
    private static final Duration RUN_BOUND = Duration.ofMinutes(3);
    /** An operation name in a message: PutObject, UpdateItem, CreateDistributionWithTags, ... */
    /** An AWS operation name: a verb and a noun ({@code GetItem}), or DynamoDB's bare {@code Query} and {@code Scan}. */
    private static final Pattern OPERATION = Pattern.compile("\\b((Create|Put|Update|Delete|Get|List|Head|Copy|Upload"
            + "|Complete|Abort|Tag|Describe|Query)[A-Z][A-Za-z]*|Query|Scan)\\b");
    private static Moto moto;
    private static LocalAws local;
    private static FaultProxy motoProxy;
    private static FaultProxy dynamoProxy;
    private static final List<AutoCloseable> opened = new ArrayList<>();
    private static DeploymentTracker tracker;
    private static DeploymentTracker directTracker;
    private static CloudFrontClient cloudFront;
    private static S3Client s3;
    private static S3AsyncClient s3Async;
    private static final ExecutorService runner = Executors.newCachedThreadPool();
    private static final Figures all = new Figures();
    private static long classStarted;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        classStarted = System.nanoTime();
        moto = Moto.start();
        local = LocalAws.builder().s3(false).start();
        motoProxy = new FaultProxy(moto.endpoint());
        dynamoProxy = new FaultProxy(local.dynamoDbEndpoint());
        cloudFront = keep(moto.configure(CloudFrontClient.builder()).endpointOverride(motoProxy.endpoint())
                .httpClientBuilder(MotoClients.syncHttp()).build());
        s3 = keep(moto.configure(S3Client.builder()).endpointOverride(motoProxy.endpoint())
                .httpClientBuilder(MotoClients.syncHttp()).build());
        s3Async = keep(moto.configure(S3AsyncClient.builder()).endpointOverride(motoProxy.endpoint())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build());
        DynamoDbClient dynamo = keep(local.dynamoDbClientBuilder().endpointOverride(dynamoProxy.endpoint()).build());
        tracker = DeploymentTracker.builder().dynamoDbClient(dynamo).tableName("faults")
                .pollInterval(Duration.ofMillis(50)).build();
        directTracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient()).tableName("faults")
                .pollInterval(Duration.ofMillis(50)).build();
        directTracker.ensureTable();
    }

    @AfterAll
    static void stop() throws Exception {
        System.out.printf("[faults] suite: scenarios %d, faults injected %d, runs completed %d, runs failed cleanly "
                + "and converged on rerun %d, runs that did not %d, wall %.1f s%n", all.scenarios, all.injected,
                all.completed, all.failedCleanlyAndConverged, all.notConverged, (System.nanoTime() - classStarted)
                        / 1e9);
        runner.shutdownNow();
        for (AutoCloseable c : opened) {
            c.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {motoProxy, dynamoProxy, moto, local}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static <T extends AutoCloseable> T keep(T c) {
        opened.add(c);
        return c;
    }

    private static DefaultDeployer deployer() {
        return DefaultDeployer.builder().region("us-east-1").s3Client(s3).s3AsyncClient(s3Async)
                .cloudFrontClient(cloudFront).tracker(tracker).concurrency(4).pollInterval(Duration.ZERO)
                .lockWait(Duration.ofSeconds(5)).sleeper(d -> Thread.sleep(Math.min(d.toMillis() / 10, 200)))
                .build();
    }

    /**
     * For requests matching {@code where}: with probability {@code p} starts a burst of 1 to {@code maxBurst}
     * consecutive faults drawn from {@code kinds}; at most {@code cap} faults per run. Seeded: the same mix each time.
     */
    private static Function<FaultProxy.Request, Fault> bursts(long seed, Predicate<FaultProxy.Request> where,
            double p, int maxBurst, int cap, Fault... kinds) {
        Random random = new Random(seed);
        int[] left = {0};
        int[] total = {0};
        Fault[] current = {Fault.NONE};
        return r -> {
            synchronized (random) {
                if (!where.test(r) || total[0] >= cap) {
                    return Fault.NONE;
                }
                if (left[0] == 0 && random.nextDouble() < p) {
                    left[0] = 1 + random.nextInt(maxBurst);
                    current[0] = kinds[random.nextInt(kinds.length)];
                }
                if (left[0] > 0) {
                    left[0]--;
                    total[0]++;
                    return current[0];
                }
                return Fault.NONE;
            }
        };
    }

    /** One scenario's figures; {@link #all} adds up every scenario of the class. */
    private static final class Figures {
        int scenarios;
        int injected;
        int completed;
        int failedCleanlyAndConverged;
        int notConverged;
        final List<String> notes = new ArrayList<>();

        void add(Figures f) {
            scenarios++;
            injected += f.injected;
            completed += f.completed;
            failedCleanlyAndConverged += f.failedCleanlyAndConverged;
            notConverged += f.notConverged;
        }
    }

    /** What a scenario runs under faults: a deploy, or a destroy of a project a faultless deploy made first. */
    private enum Op {
        DEPLOY, DESTROY
    }

    private Figures scenario(String name, Op op, Path site, int runs, Function<Integer, Function<FaultProxy.Request,
            Fault>[]> faultsOf) throws Exception {
        return scenario(name, op, site, runs, faultsOf, NetworkFaultsTest::deployer, (guid, failure) -> { });
    }

    /**
     * Runs {@code runs} deploys (or destroys) of {@code site} by {@code faulty}'s deployer with the fault mixes
     * {@code faultsOf(i)} on moto's and dynalite's proxies; {@code afterFaultyRun} sees each run's GUID and what it threw (null: it
     * completed) while the proxies still hold its counts; each failed run is followed by one without faults. Checks,
     * prints and returns the figures.
     */
    private Figures scenario(String name, Op op, Path site, int runs, Function<Integer, Function<FaultProxy.Request,
            Fault>[]> faultsOf, Supplier<DefaultDeployer> faulty, BiConsumer<String, Throwable> afterFaultyRun)
            throws Exception {
        long started = System.nanoTime();
        Figures f = new Figures();
        Convergence check = new Convergence(moto, directTracker, USER, site);
        String label = op.name().toLowerCase(Locale.ROOT);
        for (int i = 0; i < runs; i++) {
            String guid = UUID.randomUUID().toString();
            if (op == Op.DESTROY) {
                Throwable setUp = bounded(() -> deployer().deploy(request(guid, site)));
                if (setUp != null) {
                    throw new AssertionError("the faultless deploy before the destroy failed", setUp);
                }
            }
            Function<FaultProxy.Request, Fault>[] mix = faultsOf.apply(i);
            motoProxy.clearCounts();
            dynamoProxy.clearCounts();
            motoProxy.faults(mix[0]);
            dynamoProxy.faults(mix[1]);
            Throwable failure;
            try {
                DefaultDeployer d = faulty.get();
                failure = bounded(op == Op.DEPLOY ? () -> d.deploy(request(guid, site)) : () -> d.destroy(guid, USER));
                afterFaultyRun.accept(guid, failure);
            } finally {
                motoProxy.faults(r -> Fault.NONE);
                dynamoProxy.faults(r -> Fault.NONE);
            }
            int injected = motoProxy.injectedTotal() + dynamoProxy.injectedTotal();
            f.injected += injected;
            f.notes.add(label + " " + i + ": injected " + motoProxy.injected() + " " + dynamoProxy.injected() + " -> "
                    + (failure == null ? "completed" : failure.getClass().getSimpleName() + ": "
                            + firstLine(failure.getMessage())));
            assertHashesMatchBytes(Convergence.name(guid));
            try {
                if (failure != null) {
                    assertTypedNamingTheOperation(failure);
                    Throwable again = bounded(op == Op.DEPLOY ? () -> deployer().deploy(request(guid, site))
                            : () -> deployer().destroy(guid, USER));
                    if (again != null) {
                        throw new AssertionError("the rerun without faults failed", again);
                    }
                }
                if (op == Op.DEPLOY) {
                    check.assertDeployed(guid);
                } else {
                    check.assertDestroyed(guid);
                }
                if (failure == null) {
                    f.completed++;
                } else {
                    f.failedCleanlyAndConverged++;
                }
            } catch (AssertionError e) {
                f.notConverged++;
                f.notes.add(label + " " + i + " did not converge: " + e);
            }
            check.removeDirectly(guid);
        }
        System.out.printf("[faults] %s, %s: faults injected %d, runs completed %d, runs failed cleanly and converged"
                + " on rerun %d, runs that did not %d, wall %.1f s%n", label, name, f.injected, f.completed,
                f.failedCleanlyAndConverged, f.notConverged, (System.nanoTime() - started) / 1e9);
        f.notes.forEach(n -> System.out.println("[faults]   " + n));
        synchronized (all) {
            all.add(f);
        }
        assertEquals(0, f.notConverged, String.join("\n", f.notes));
        return f;
    }

    private static DeployRequest request(String guid, Path site) {
        return DeployRequest.builder().guid(guid).userId(USER).projectName("Faults").siteDir(site)
                .routing(DeployRequest.Routing.ALL).build(); // moto serves no CloudFront Functions (routing ROUTES)
    }

    /** Runs a deploy or destroy with a time bound; returns what it threw, null when it completed. */
    private static Throwable bounded(Runnable deploy) throws InterruptedException {
        Future<?> f = runner.submit(deploy);
        try {
            f.get(RUN_BOUND.toSeconds(), TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("a deploy outlived its bound of " + RUN_BOUND);
        }
    }

    private static void assertTypedNamingTheOperation(Throwable failure) {
        if (!(failure instanceof OneclickException)) {
            throw new AssertionError("not a typed oneclick error: " + failure, failure);
        }
        String message = failure.getMessage();
        if (failure instanceof AwsRequestException a) {
            assertTrue(a.operation() != null && message.contains(a.operation()), message);
        } else {
            assertTrue(OPERATION.matcher(message).find(), "the message names no operation: " + message);
        }
    }

    /** No object carries a content hash that is not the hash of its bytes. */
    private static void assertHashesMatchBytes(String bucket) {
        S3Client direct = moto.s3Client();
        List<S3Object> objects;
        try {
            objects = direct.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().toList();
        } catch (NoSuchBucketException e) {
            return;
        }
        for (S3Object o : objects) {
            HeadObjectResponse head = direct.headObject(b -> b.bucket(bucket).key(o.key()));
            String stated = head.metadata().get("oneclick-sha256");
            if (stated != null) {
                String actual = Convergence.sha256(direct.getObjectAsBytes(b -> b.bucket(bucket).key(o.key()))
                        .asByteArray());
                assertEquals(actual, stated, "x-amz-meta-oneclick-sha256 of " + bucket + "/" + o.key());
            }
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private Path smallSite(String name) throws IOException {
        return SmallSite.write(tmp.resolve(name));
    }

    @SuppressWarnings("unchecked")
    private static Function<FaultProxy.Request, Fault>[] mix(Function<FaultProxy.Request, Fault> moto,
            Function<FaultProxy.Request, Fault> dynamo) {
        return new Function[] {moto, dynamo};
    }

    private static Function<FaultProxy.Request, Fault> none() {
        return r -> Fault.NONE;
    }

    @Test
    void deploy_whenConnectionsResetMidRequestAndResponseBodies_completesOrFailsTypedAndTheRerunConverges()
            throws Exception {
        Path site = smallSite("resets");
        Figures f = scenario(RESETS, Op.DEPLOY, site, 3, i -> resets(i, 0.15));
        assertTrue(f.injected > 0, "no fault was injected");
    }

    private static final String RESETS = "connection resets mid request/response body (S3, CloudFront, DynamoDB)";

    private static Function<FaultProxy.Request, Fault>[] resets(int i, double p) {
        return mix(bursts(11 + i, r -> true, p, 2, 8, Fault.RESET_REQUEST, Fault.RESET_RESPONSE),
                bursts(21 + i, r -> true, 0.1, 1, 3, Fault.RESET_REQUEST, Fault.RESET_RESPONSE));
    }

    @Test
    void deploy_whenS3AnswersBurstsOf500AndSlowDown_completesOrFailsTypedAndTheRerunConverges() throws Exception {
        Path site = smallSite("s3-5xx");
        Figures f = scenario("S3 bursts of 500 InternalError and 503 SlowDown", Op.DEPLOY, site, 3,
                i -> mix(bursts(31 + i, FaultProxy.Request::s3, 0.2, 3, 10, Fault.S3_500, Fault.S3_SLOW_DOWN),
                        none()));
        assertTrue(f.injected > 0, "no fault was injected");
    }

    @Test
    void deploy_whenCloudFrontThrottles_completesOrFailsTypedAndTheRerunConverges() throws Exception {
        Path site = smallSite("cf-throttling");
        Figures f = scenario(CF_THROTTLING_MIX, Op.DEPLOY, site, 3, i -> cloudFrontThrottling(41 + i));
        assertTrue(f.injected > 0, "no fault was injected");
    }

    private static final String CF_THROTTLING_MIX = "CloudFront bursts of 400 Throttling and 429 "
            + "TooManyRequestsException";

    private static Function<FaultProxy.Request, Fault>[] cloudFrontThrottling(long seed) {
        return mix(bursts(seed, FaultProxy.Request::cloudFront, 0.4, 4, 10, Fault.CLOUDFRONT_THROTTLING,
                Fault.CLOUDFRONT_TOO_MANY_REQUESTS), none());
    }

    @Test
    void deploy_whenDynamoDbAnswers500AndThrottling_completesOrFailsTypedAndTheRerunConverges() throws Exception {
        Path site = smallSite("dynamo-faults");
        Figures f = scenario("DynamoDB bursts of 500 and 400 ThrottlingException", Op.DEPLOY, site, 3,
                i -> mix(none(), bursts(51 + i, r -> true, 0.2, 3, 8, Fault.DYNAMO_500, Fault.DYNAMO_THROTTLING)));
        assertTrue(f.injected > 0, "no fault was injected");
    }

    @Test
    void deploy_whenEveryRequestIsDelayed_completesWithTheSite() throws Exception {
        Path site = smallSite("latency");
        motoProxy.latency(80);
        dynamoProxy.latency(80);
        Figures f = scenario("80 ms added to every request", Op.DEPLOY, site, 1,
                i -> mix(r -> Fault.LATENCY, r -> Fault.LATENCY));
        assertEquals(1, f.completed);
    }

    @Test
    void deploy_whenAPartOfAMultipartUploadIsReset_retriesItAndCompletesWithTheSite() throws Exception {
        Path site = SmallSite.withMultipartFile(tmp.resolve("multipart"), "assets/video.4d2c9e1f.bin", 7);
        Figures f = scenario("connection reset during UploadPart (9 MB file, multipart)", Op.DEPLOY, site, 2,
                i -> mix(bursts(61 + i, FaultProxy.Request::uploadPart, 1.0, 1, 1, Fault.RESET_REQUEST), none()));
        assertTrue(f.injected >= 2, "a part was reset in each run");
        assertEquals(2, f.completed, "each reset part was retried and the deploy completed");
    }

    @Test
    void destroy_whenConnectionsResetMidRequestAndResponseBodies_completesOrFailsTypedAndTheRerunLeavesNothing()
            throws Exception {
        Figures f = scenario(RESETS, Op.DESTROY, smallSite("destroy-resets"), 2, i -> resets(100 + i, 0.3));
        assertTrue(f.injected > 0, "no fault was injected");
    }

    @Test
    void destroy_whenS3AnswersBurstsOf500AndSlowDown_completesOrFailsTypedAndTheRerunLeavesNothing()
            throws Exception {
        Figures f = scenario("S3 bursts of 500 InternalError and 503 SlowDown", Op.DESTROY,
                smallSite("destroy-s3-5xx"), 2, i -> mix(bursts(131 + i, FaultProxy.Request::s3, 0.8, 3, 10,
                        Fault.S3_500, Fault.S3_SLOW_DOWN), none()));
        assertTrue(f.injected > 0, "no fault was injected");
    }

    @Test
    void destroy_whenCloudFrontThrottles_completesOrFailsTypedAndTheRerunLeavesNothing() throws Exception {
        Figures f = scenario(CF_THROTTLING_MIX, Op.DESTROY, smallSite("destroy-cf-throttling"), 2,
                i -> cloudFrontThrottling(141 + i));
        assertTrue(f.injected > 0, "no fault was injected");
    }

    @Test
    void destroy_whenDynamoDbAnswers500AndThrottling_completesOrFailsTypedAndTheRerunLeavesNothing()
            throws Exception {
        Figures f = scenario("DynamoDB bursts of 500 and 400 ThrottlingException", Op.DESTROY,
                smallSite("destroy-dynamo-faults"), 2, i -> mix(none(), bursts(151 + i, r -> true, 0.3, 3, 8,
                        Fault.DYNAMO_500, Fault.DYNAMO_THROTTLING)));
        assertTrue(f.injected > 0, "no fault was injected");
    }

    /** The production deployer's SDK attempts (ClientFactory); the engine adds none of its own (AwsCall runs a
     * request once), so this is the whole bound. */
    private static final int SDK_ATTEMPTS = 8;

    /**
     * The production clients' retry strategy (the SDK's standard one, {@value #SDK_ATTEMPTS} attempts) without the
     * retry quota's help and without its backoff, so that a test does not wait for it. Also {@link DirectS3Test}'s.
     */
    static RetryStrategy retryWithoutWaits() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(SDK_ATTEMPTS)
                .circuitBreakerEnabled(false).backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()).build();
    }

    /**
     * A deployer (with a 2 s lease) whose clients retry as the production ones do (the SDK's standard strategy, {@value #SDK_ATTEMPTS}
     * attempts, here without the retry quota's help and without its backoff, so the test does not wait for it), with
     * no retries of the engine's own on top.
     */
    private static DefaultDeployer productionRetries() {
        RetryStrategy retry = retryWithoutWaits();
        CloudFrontClient cf = keep(moto.configure(CloudFrontClient.builder()).endpointOverride(motoProxy.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(retry)).httpClientBuilder(MotoClients.syncHttp())
                .build());
        S3Client s3p = keep(moto.configure(S3Client.builder()).endpointOverride(motoProxy.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(retry)).httpClientBuilder(MotoClients.syncHttp())
                .build());
        S3AsyncClient s3a = keep(moto.configure(S3AsyncClient.builder()).endpointOverride(motoProxy.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(retry)).httpClientBuilder(NettyNioAsyncHttpClient
                        .builder()).build());
        DynamoDbClient dynamo = keep(local.dynamoDbClientBuilder().endpointOverride(dynamoProxy.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(retry)).build());
        DeploymentTracker t = DeploymentTracker.builder().dynamoDbClient(dynamo).tableName("faults")
                .pollInterval(Duration.ofMillis(50)).build();
        return DefaultDeployer.builder().region("us-east-1").s3Client(s3p).s3AsyncClient(s3a).cloudFrontClient(cf)
                .tracker(t).concurrency(4).pollInterval(Duration.ZERO).lockWait(Duration.ofSeconds(5))
                .leaseDuration(Duration.ofSeconds(2)) // one a failed run could not give back expires within 5 s
                .sleeper(d -> Thread.sleep(Math.min(d.toMillis() / 10, 200))).build();
    }

    /**
     * An endpoint that answers 503 to every request: the deploy fails with a typed error naming the operation, no
     * request is sent more often than the SDK's attempts ({@value #SDK_ATTEMPTS}: one retry layer), at most 20 distinct requests are sent (no loop of new requests), nothing is sent
     * once the run has returned (no retry or lease renewal goes on), and the next run without faults completes.
     */
    private void assertBoundedWhenAnswering503Forever(String name, String siteName,
            Function<FaultProxy.Request, Fault>[] mix) throws Exception {
        int[] sent = new int[1];
        Figures f = scenario(name + " forever", Op.DEPLOY, smallSite(siteName), 1, i -> mix,
                NetworkFaultsTest::productionRetries, (guid, failure) -> {
                    assertTrue(failure instanceof OneclickException, "a typed error: " + failure);
                    Map<String, Integer> received = new java.util.TreeMap<>(motoProxy.received());
                    received.putAll(dynamoProxy.received());
                    int total = motoProxy.receivedTotal() + dynamoProxy.receivedTotal();
                    int most = received.values().stream().mapToInt(Integer::intValue).max().orElse(0);
                    System.out.printf("[faults]   %s forever: %d requests, %d distinct, at most %d of one (bound %d)"
                            + ", failed with %s%n", name, total, received.size(), most, SDK_ATTEMPTS,
                            failure.getClass().getSimpleName());
                    received.forEach((k, n) -> assertTrue(n <= SDK_ATTEMPTS, k + " sent " + n
                            + " times: " + received));
                    assertTrue(received.size() <= 20, "distinct requests of a run under 503: " + received);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    assertEquals(total, motoProxy.receivedTotal() + dynamoProxy.receivedTotal(),
                            "requests sent after the run returned");
                    sent[0] = total;
                });
        assertEquals(1, f.failedCleanlyAndConverged, "the run under 503 failed, the rerun converged");
        assertTrue(sent[0] > 1, "the 503 was retried");
    }

    @Test
    void deploy_whenDynamoDbStartsAnswering503MidRun_failsTypedAndNoRenewalOrRetryGoesOnAfterIt() throws Exception {
        boolean[] leaseTaken = {false};
        assertBoundedWhenAnswering503Forever("DynamoDB (once the lease is taken) 503 ServiceUnavailable",
                "dynamo-503-mid-run", mix(none(), r -> {
                    synchronized (leaseTaken) {
                        if (leaseTaken[0]) {
                            return Fault.DYNAMO_503;
                        }
                        // a new project's lease is the PutItem that creates its record
                        leaseTaken[0] = r.headers().getOrDefault("x-amz-target", "").endsWith(".PutItem");
                        return Fault.NONE;
                    }
                }));
    }

    @Test
    void deploy_whenS3Answers503SlowDownForever_failsTypedAfterABoundedNumberOfRequests() throws Exception {
        assertBoundedWhenAnswering503Forever("S3 503 SlowDown", "s3-503-forever",
                mix(r -> r.s3() ? Fault.S3_SLOW_DOWN : Fault.NONE, none()));
    }

    @Test
    void deploy_whenCloudFrontAnswers503Forever_failsTypedAfterABoundedNumberOfRequests() throws Exception {
        assertBoundedWhenAnswering503Forever("CloudFront 503 ServiceUnavailable", "cf-503-forever",
                mix(r -> r.cloudFront() ? Fault.CLOUDFRONT_503 : Fault.NONE, none()));
    }

    @Test
    void deploy_whenDynamoDbAnswers503Forever_failsTypedAfterABoundedNumberOfRequests() throws Exception {
        assertBoundedWhenAnswering503Forever("DynamoDB 503 ServiceUnavailable", "dynamo-503-forever",
                mix(none(), r -> Fault.DYNAMO_503));
    }

    @Test
    void deploy_whenEveryPartOfAMultipartUploadIsReset_failsTypedNamingUploadPartAndAbortsTheUpload()
            throws Exception {
        Path site = SmallSite.withMultipartFile(tmp.resolve("multipart-abandoned"), "assets/video.5e3d0a2b.bin", 8);
        List<String> left = new ArrayList<>();
        Figures f = scenario("every UploadPart reset (9 MB file, multipart)", Op.DEPLOY, site, 1,
                i -> mix(r -> r.uploadPart() ? Fault.RESET_REQUEST : Fault.NONE, none()),
                NetworkFaultsTest::deployer, (guid, failure) -> {
                    assertTrue(failure instanceof AwsRequestException a && a.operation().equals("UploadPart"),
                            "fails naming UploadPart: " + failure);
                    moto.s3Client().listMultipartUploads(b -> b.bucket(Convergence.name(guid))).uploads()
                            .forEach(u -> left.add(u.key() + " " + u.uploadId()));
                });
        assertEquals(1, f.failedCleanlyAndConverged);
        assertEquals(List.of(), left, "multipart uploads left in the bucket after the failed run");
    }
}
