package dev.oneclick.local;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;

/**
 * SDK clients with {@link MotoCorrections} for a moto that is already running, typically one a {@link Moto} in
 * another JVM started (a child JVM handed {@link Moto#endpoint()} as an argument):
 *
 * <pre>{@code
 * try (MotoClients moto = MotoClients.forEndpoint(URI.create(args[0]))) {
 *     S3Client s3 = moto.configure(S3Client.builder()).build();
 * }
 * }</pre>
 *
 * <p>The corrections remember what they need per instance: the origin access control ids this instance's clients
 * sent. Another JVM's clients (or another instance) do not know them, so a distribution made elsewhere reads back
 * without its origin access control id until a client of this instance updates it (as moto itself answers). This
 * class does not start, reset or stop moto. Thread-safe; {@link #close()} closes the corrections' side client, not
 * the clients built through {@link #configure}.
 */
public final class MotoClients implements AutoCloseable {
    private final URI endpoint;
    private final Region region;
    private final MotoCorrections corrections = new MotoCorrections(this::sideCloudFrontClient);

    private MotoClients(URI endpoint, Region region) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.region = Objects.requireNonNull(region, "region");
    }

    /** Clients for the moto at {@code endpoint} (e.g. {@code http://127.0.0.1:40125}), region us-east-1. */
    public static MotoClients forEndpoint(URI endpoint) {
        return new MotoClients(endpoint, Clients.REGION);
    }

    /** Clients for the moto at {@code endpoint} in {@code region}. */
    public static MotoClients forEndpoint(URI endpoint, Region region) {
        return new MotoClients(endpoint, region);
    }

    public URI endpoint() {
        return endpoint;
    }

    public Region region() {
        return region;
    }

    /**
     * Sets up any SDK client builder for this moto as {@link Moto#configure} does: endpoint override, region, static
     * test credentials, the corrections' interceptors (once), path-style for S3. For sync clients use an Apache HTTP
     * client without {@code Expect: 100-continue} ({@link #syncHttp()}).
     */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        Objects.requireNonNull(builder, "builder");
        ClientOverrideConfiguration existing = builder.overrideConfiguration();
        ClientOverrideConfiguration.Builder override = existing == null ? ClientOverrideConfiguration.builder()
                : existing.toBuilder();
        for (ExecutionInterceptor interceptor : corrections.interceptors()) {
            if (!override.executionInterceptors().contains(interceptor)) {
                override.addExecutionInterceptor(interceptor);
            }
        }
        builder.endpointOverride(endpoint).region(region).credentialsProvider(Clients.CREDENTIALS)
                .overrideConfiguration(override.build());
        if (builder instanceof S3BaseClientBuilder<?, ?> s3) {
            s3.forcePathStyle(true);
        }
        return builder;
    }

    /** An Apache HTTP client builder without {@code Expect: 100-continue}, which moto answers twice. */
    public static ApacheHttpClient.Builder syncHttp() {
        return ApacheHttpClient.builder().expectContinueEnabled(false);
    }

    /** The client the corrections read listed distributions' configurations with; closed with them. */
    private CloudFrontClient sideCloudFrontClient() {
        return configure(CloudFrontClient.builder()).httpClientBuilder(syncHttp()).build();
    }

    @Override
    public void close() {
        corrections.close();
    }
}
