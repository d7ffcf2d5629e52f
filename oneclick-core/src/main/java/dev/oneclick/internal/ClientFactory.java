package dev.oneclick.internal;

import dev.oneclick.Deployer.Service;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
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
 * created once and only when a client needs it), bounded retries and the endpoint overrides. Remembers what it made
 * so the deployer closes exactly those.
 */
final class ClientFactory {
    private static final int SDK_MAX_ATTEMPTS = 8;

    private final Region region;
    private final Map<Service, URI> endpoints;
    private final boolean s3Compatible;
    private final RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(SDK_MAX_ATTEMPTS).build();
    private final List<AutoCloseable> made = new ArrayList<>();
    private AwsCredentialsProvider credentials;

    ClientFactory(String region, AwsCredentialsProvider credentials, Map<Service, URI> endpoints,
            boolean s3Compatible) {
        this.region = Region.of(region);
        this.credentials = credentials;
        this.endpoints = Map.copyOf(endpoints);
        this.s3Compatible = s3Compatible;
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
        return keep(s3Settings(common(S3Client.builder(), region, Service.S3))
                .httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    S3AsyncClient s3Async(int concurrency) {
        return keep(s3Settings(common(S3AsyncClient.builder(), region, Service.S3))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency * 2)
                        .connectionAcquisitionTimeout(Duration.ofMinutes(2)))
                .build());
    }

    CloudFrontClient cloudFront() {
        return keep(common(CloudFrontClient.builder(), Region.AWS_GLOBAL, Service.CLOUDFRONT)
                .httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    DynamoDbClient dynamoDb() {
        return keep(common(DynamoDbClient.builder(), region, Service.DYNAMODB)
                .httpClientBuilder(ApacheHttpClient.builder()).build());
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

    private <T extends AutoCloseable> T keep(T client) {
        made.add(client);
        return client;
    }

    private AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = keep(DefaultCredentialsProvider.builder().build());
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
