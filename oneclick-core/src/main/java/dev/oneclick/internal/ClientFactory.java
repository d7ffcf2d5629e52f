package dev.oneclick.internal;

import static software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR;

import dev.oneclick.Deployer.Service;
import dev.oneclick.internal.aws.DirectS3;
import dev.oneclick.internal.aws.ThrottleCounter;
import dev.oneclick.stack.internal.StackClients;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds the SDK clients a deployer needs that were not handed to it: region, credentials (the default chain,
 * created once and only when a client needs it), bounded retries and the endpoint overrides. The S3 and CloudFront
 * clients are {@link Lazy}: built on first use or ahead on a background thread, not with the deployer, so a run pays
 * only for the clients it uses (the tracker's DynamoDB client, which every run uses first, is built at once). Remembers what it made so
 * the deployer closes exactly those.
 */
final class ClientFactory {
    /** Attempts per request (the first and 7 retries), the only retry layer of oneclick's AWS calls. */
    static final int SDK_MAX_ATTEMPTS = 8;
    /**
     * The retry strategy of every client the deployer builds (S3, async S3, CloudFront, the tracker's DynamoDB): the
     * SDK's standard strategy (exponential backoff with jitter, a longer one for throttling, a retry quota), bounded
     * to {@value #SDK_MAX_ATTEMPTS} attempts. No code of oneclick retries an AWS error on top of it.
     */
    static final RetryStrategy RETRY = AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(SDK_MAX_ATTEMPTS).build();

    private final Region region;
    private final Region tableRegion;
    private final Map<Service, URI> endpoints;
    /** Where every service without its own override goes (moto, LocalStack), or null. */
    private final URI awsEndpoint;
    private final List<ExecutionInterceptor> interceptors;
    private final boolean s3Compatible;
    private final RetryStrategy retry;
    private final List<AutoCloseable> made = new ArrayList<>();
    private final List<SdkEventLoopGroup> loops = new ArrayList<>();
    private final ThrottleCounter s3Throttles = new ThrottleCounter();
    private AwsCredentialsProvider credentials;
    /** The default chain when this factory made it (lazily, after {@link #made()} was taken): closed by a closer. */
    private DefaultCredentialsProvider madeCredentials;

    /**
     * @param region where the resources go (S3; CloudFront is global)
     * @param tableRegion where the deployments table is (the DynamoDB client)
     */
    ClientFactory(String region, String tableRegion, AwsCredentialsProvider credentials, Map<Service, URI> endpoints,
            boolean s3Compatible) {
        this(region, tableRegion, credentials, endpoints, null, List.of(), s3Compatible, RETRY);
    }

    /**
     * @param awsEndpoint the endpoint of every service that has no override of its own in {@code endpoints}, or null
     * @param interceptors added to every client built here (call counters, test fakes), in order
     * @param retry the retry strategy of every client (tests: {@link #RETRY} without its backoff waits)
     */
    ClientFactory(String region, String tableRegion, AwsCredentialsProvider credentials, Map<Service, URI> endpoints,
            URI awsEndpoint, List<ExecutionInterceptor> interceptors, boolean s3Compatible, RetryStrategy retry) {
        this.retry = retry;
        this.region = Region.of(region);
        this.tableRegion = Region.of(tableRegion);
        this.credentials = credentials;
        this.endpoints = Map.copyOf(endpoints);
        this.awsEndpoint = awsEndpoint;
        this.interceptors = List.copyOf(interceptors);
        this.s3Compatible = s3Compatible;
        keep(() -> {
            DefaultCredentialsProvider c;
            synchronized (this) {
                c = madeCredentials;
            }
            if (c != null) {
                c.close();
            }
        });
    }

    /** The SDK's region chain, else us-east-1. */
    static String defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            return "us-east-1";
        }
    }

    /** What this factory made, to be closed with the deployer. */
    List<AutoCloseable> made() {
        return List.copyOf(made);
    }

    S3Client s3() {
        return lazyS3().get();
    }

    /** The S3 client, built on its first {@code get()} (or ahead by {@link Lazy#prestart()}). */
    Lazy<S3Client> lazyS3() {
        return lazy(() -> s3Settings(common(S3Client.builder(), region, Service.S3))
                .httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    /** The throttling answers the S3 async client this factory builds has received. */
    ThrottleCounter s3Throttles() {
        return s3Throttles;
    }

    S3AsyncClient s3Async(int concurrency) {
        return lazyS3Async(concurrency).get();
    }

    /**
     * The async client on an event loop group of its own, closed without Netty's graceful quiet period (2 s by
     * default, which {@code NettyNioAsyncHttpClient.close()} waits for): when the deployer closes, every request it
     * made has completed, so nothing is left to drain, and the loop's daemon threads end on their own.
     *
     * <p>One event-loop thread per processor (Netty's default is two), and responses completed on the event loop
     * itself rather than handed to the SDK's completion pool: the sync's callbacks only count, record and start the
     * next request (no blocking call waits there), and a 5,000-file upload from a new JVM took 0.7 s less wall time
     * and 1.5 s less CPU without the hand-offs.
     */
    Lazy<S3AsyncClient> lazyS3Async(int concurrency) {
        Lazy<S3AsyncClient> client = lazy(() -> {
            SdkEventLoopGroup group = SdkEventLoopGroup.builder()
                    .numberOfThreads(Runtime.getRuntime().availableProcessors()).build();
            synchronized (this) {
                loops.add(group);
            }
            return s3Settings(common(S3AsyncClient.builder(), region, Service.S3, s3Throttles))
                    .asyncConfiguration(a -> a.advancedOption(FUTURE_COMPLETION_EXECUTOR, Runnable::run))
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency * 2)
                            .eventLoopGroup(group)
                            .connectionAcquisitionTimeout(Duration.ofMinutes(2)))
                    .build();
        });
        keep(() -> {
            List<SdkEventLoopGroup> groups;
            synchronized (this) {
                groups = List.copyOf(loops);
            }
            for (SdkEventLoopGroup g : groups) {
                g.eventLoopGroup().shutdownGracefully(0, 1, TimeUnit.SECONDS); // not awaited
            }
        });
        return client;
    }

    /**
     * The PutObject, DeleteObject and ListObjectsV2 path without the SDK's pipeline ({@link DirectS3}), with the S3
     * clients' region, credentials, endpoint, addressing and retry strategy, and their throttling count;
     * {@code concurrency * 2} connections, as the async client.
     */
    Lazy<DirectS3> lazyDirectS3(int concurrency) {
        return lazy(() -> new DirectS3(region, endpoints.getOrDefault(Service.S3, awsEndpoint), s3Compatible,
                credentials(), retry, s3Throttles, concurrency * 2));
    }

    /**
     * Whether an HTTP proxy is set for this JVM ({@code http(s).proxyHost}) or its environment
     * ({@code HTTP(S)_PROXY}, either case). The SDK's clients then keep sending the uploads, with their own proxy
     * handling; {@link DirectS3} has none.
     */
    static boolean proxyConfigured() {
        for (String p : new String[] {"http.proxyHost", "https.proxyHost"}) {
            String v = System.getProperty(p);
            if (v != null && !v.isBlank()) {
                return true;
            }
        }
        for (String e : new String[] {"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"}) {
            String v = System.getenv(e);
            if (v != null && !v.isBlank()) {
                return true;
            }
        }
        return false;
    }

    CloudFrontClient cloudFront() {
        return lazyCloudFront().get();
    }

    Lazy<CloudFrontClient> lazyCloudFront() {
        return lazy(() -> common(CloudFrontClient.builder(), Region.AWS_GLOBAL, Service.CLOUDFRONT)
                .httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    DynamoDbClient dynamoDb() {
        return keep(common(DynamoDbClient.builder(), tableRegion, Service.DYNAMODB)
                .httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    /** The full stack's clients, each built on its first use (a static-site run builds none of them). */
    StackClients.Suppliers stackClients() {
        return new StackClients.Suppliers(sync(EcrClient.builder(), Service.ECR), sync(EcsClient.builder(),
                Service.ECS), sync(ElasticLoadBalancingV2Client.builder(), Service.ELB), sync(Ec2Client.builder(),
                Service.EC2), sync(RdsClient.builder(), Service.RDS), sync(SecretsManagerClient.builder(),
                Service.SECRETS_MANAGER), sync(CloudWatchLogsClient.builder(), Service.LOGS),
                // IAM is global: its clients use the aws-global region (as CloudFront's do)
                lazy(() -> common(IamClient.builder(), Region.AWS_GLOBAL, Service.IAM)
                        .httpClientBuilder(ApacheHttpClient.builder()).build()),
                sync(StsClient.builder(), Service.STS));
    }

    /** A lazily built sync client of a regional service, on the Apache HTTP client. */
    private <T extends SdkClient, B extends AwsSyncClientBuilder<B, T> & AwsClientBuilder<B, T>> Lazy<T> sync(
            B builder, Service service) {
        return lazy(() -> common(builder, region, service).httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    /**
     * A client built on its first {@link #get()} (an SDK client costs tens to hundreds of milliseconds to build in a
     * new JVM, and a run often needs only some of them: a no-CDN deploy never calls CloudFront), or ahead of it on a
     * background thread ({@link #prestart()}). Kept to be closed with the deployer; closing it closes the real
     * client if one was built. Not a dynamic proxy of the client interface: making one loads every model class its
     * methods name (about half a second for the S3 interfaces in a new JVM).
     */
    static final class Lazy<T extends AutoCloseable> implements Supplier<T>, AutoCloseable {
        private final CompletableFuture<T> built = new CompletableFuture<>();
        private final Supplier<T> make;
        private final AtomicBoolean started = new AtomicBoolean();

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        /** Builds the client on a daemon thread now, so that a later {@link #get()} finds it ready. */
        void prestart() {
            if (started.compareAndSet(false, true)) {
                Thread t = new Thread(this::build, "oneclick-client-build");
                t.setDaemon(true);
                t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
                t.start();
            }
        }

        private void build() {
            try {
                built.complete(make.get());
            } catch (RuntimeException | Error e) {
                built.completeExceptionally(e);
            }
        }

        @Override
        public T get() {
            if (started.compareAndSet(false, true)) {
                build();
            }
            try {
                return built.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            if (started.compareAndSet(false, true)) {
                built.cancel(false); // never built: nothing to close, and no later get() builds one
                return;
            }
            T client;
            try {
                client = built.join();
            } catch (RuntimeException | Error e) {
                return; // building failed: nothing to close
            }
            client.close();
        }
    }

    private <T extends AutoCloseable> Lazy<T> lazy(Supplier<T> make) {
        return keep(new Lazy<>(make));
    }

    /** Closes what was made (when the deployer could not be built). */
    void closeQuietly() {
        for (AutoCloseable c : made) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    private synchronized <T extends AutoCloseable> T keep(T client) {
        made.add(client);
        return client;
    }

    private synchronized AwsCredentialsProvider credentials() {
        if (credentials == null) {
            DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
            madeCredentials = chain;
            credentials = chain;
        }
        return credentials;
    }

    /**
     * Region, credentials, retries and the service's endpoint override, as every client of the deployer has; the
     * user's interceptors, then {@code own}.
     */
    private <B extends AwsClientBuilder<B, ?>> B common(B b, Region r, Service service,
            ExecutionInterceptor... own) {
        b.region(r).credentialsProvider(credentials()).overrideConfiguration(o -> {
            o.retryStrategy(retry);
            interceptors.forEach(o::addExecutionInterceptor);
            for (ExecutionInterceptor i : own) {
                o.addExecutionInterceptor(i);
            }
        });
        URI endpoint = endpoints.getOrDefault(service, awsEndpoint);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b;
    }

    /** In S3-compatible mode: path-style addressing, checksums only when required. */
    private <B extends S3BaseClientBuilder<B, ?>> B s3Settings(B b) {
        if (s3Compatible) {
            b.forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b;
    }
}
