package dev.oneclick.internal;

import dev.oneclick.Deployer.Service;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the SDK clients a deployer needs that were not handed to it: region, credentials (the default chain,
 * created once and only when a client needs it), bounded retries and the endpoint overrides. Each client is built
 * on its first call, not with the deployer, so a run pays only for the clients it uses. Remembers what it made so
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
    private final boolean s3Compatible;
    private final RetryStrategy retry;
    private final List<AutoCloseable> made = new ArrayList<>();
    private final List<SdkEventLoopGroup> loops = new ArrayList<>();
    private AwsCredentialsProvider credentials;
    /** The default chain when this factory made it (lazily, after {@link #made()} was taken): closed by a closer. */
    private DefaultCredentialsProvider madeCredentials;

    /**
     * @param region where the resources go (S3; CloudFront is global)
     * @param tableRegion where the deployments table is (the DynamoDB client)
     */
    ClientFactory(String region, String tableRegion, AwsCredentialsProvider credentials, Map<Service, URI> endpoints,
            boolean s3Compatible) {
        this(region, tableRegion, credentials, endpoints, s3Compatible, RETRY);
    }

    /** With another retry strategy (tests: {@link #RETRY} without its backoff waits). */
    ClientFactory(String region, String tableRegion, AwsCredentialsProvider credentials,
            Map<Service, URI> endpoints, boolean s3Compatible, RetryStrategy retry) {
        this.retry = retry;
        this.region = Region.of(region);
        this.tableRegion = Region.of(tableRegion);
        this.credentials = credentials;
        this.endpoints = Map.copyOf(endpoints);
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
        return lazy(S3Client.class, () -> s3Settings(common(S3Client.builder(), region, Service.S3))
                .httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    /**
     * The async client on an event loop group of its own, closed without Netty's graceful quiet period (2 s by
     * default, which {@code NettyNioAsyncHttpClient.close()} waits for): when the deployer closes, every request it
     * made has completed, so nothing is left to drain, and the loop's daemon threads end on their own.
     */
    S3AsyncClient s3Async(int concurrency) {
        S3AsyncClient client = lazy(S3AsyncClient.class, () -> {
            SdkEventLoopGroup group = SdkEventLoopGroup.builder().build();
            synchronized (this) {
                loops.add(group);
            }
            return s3Settings(common(S3AsyncClient.builder(), region, Service.S3))
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

    CloudFrontClient cloudFront() {
        return lazy(CloudFrontClient.class, () -> common(CloudFrontClient.builder(), Region.AWS_GLOBAL,
                Service.CLOUDFRONT).httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    DynamoDbClient dynamoDb() {
        return lazy(DynamoDbClient.class, () -> common(DynamoDbClient.builder(), tableRegion, Service.DYNAMODB)
                .httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    /**
     * A client of {@code type} that builds the real one on its first call (an SDK client costs tens to hundreds of
     * milliseconds to build in a new JVM, and a run often needs only some of them: a no-CDN deploy never calls
     * CloudFront). Closing it closes the real client if one was built. Kept to be closed with the deployer.
     */
    private <T extends AutoCloseable> T lazy(Class<T> type, Supplier<T> make) {
        Lazy<T> handler = new Lazy<>(type, make);
        T proxy = type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
        return keep(proxy);
    }

    private static final class Lazy<T extends AutoCloseable> implements InvocationHandler {
        private final Class<T> type;
        private final Supplier<T> make;
        private volatile T real;
        private boolean closed;

        Lazy(Class<T> type, Supplier<T> make) {
            this.type = type;
            this.make = make;
        }

        private T real() {
            T r = real;
            if (r == null) {
                synchronized (this) {
                    if (closed) {
                        throw new IllegalStateException("the " + type.getSimpleName() + " was closed");
                    }
                    r = real;
                    if (r == null) {
                        r = make.get();
                        real = r;
                    }
                }
            }
            return r;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close":
                    if (method.getParameterCount() == 0) {
                        T r;
                        synchronized (this) {
                            closed = true;
                            r = real;
                        }
                        if (r != null) {
                            r.close();
                        }
                        return null;
                    }
                    break;
                case "equals":
                    if (method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                    break;
                case "hashCode":
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                    break;
                case "toString":
                    if (method.getParameterCount() == 0) {
                        return "lazy " + type.getSimpleName() + (real == null ? " (not built)" : ": " + real);
                    }
                    break;
                default:
                    break;
            }
            try {
                return method.invoke(real(), args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
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

    /** Region, credentials, retries and the service's endpoint override, as every client of the deployer has. */
    private <B extends AwsClientBuilder<B, ?>> B common(B b, Region r, Service service) {
        b.region(r).credentialsProvider(credentials()).overrideConfiguration(o -> o.retryStrategy(retry));
        URI endpoint = endpoints.get(service);
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
