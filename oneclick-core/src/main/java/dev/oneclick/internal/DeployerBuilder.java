package dev.oneclick.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.Deployer;
import dev.oneclick.Deployer.Service;
import dev.oneclick.engine.internal.ProjectRecords;
import dev.oneclick.engine.internal.TrackerRecords;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.internal.aws.DirectS3;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.site.internal.SiteClients;
import dev.oneclick.stack.internal.StackClients;
import dev.oneclick.tracking.DeploymentTracker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds a {@link DefaultDeployer} (obtained from {@link DefaultDeployer#builder()} or {@link Deployer#builder()}). Besides {@link Deployer.Builder}'s settings it takes ready-made SDK clients
 * ({@link #s3Client}, {@link #s3AsyncClient}, {@link #cloudFrontClient}, {@link #dynamoDbClient}); an injected
 * client is used as it is and not closed by the deployer. Not thread-safe.
 */
public final class DeployerBuilder implements Deployer.Builder {
    private String region;
    private AwsCredentialsProvider credentials;
    private final Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    private boolean s3Compatible;
    URI awsEndpoint;
    URI registryEndpoint;
    private DeploymentTracker tracker;
    private String tableName = DeploymentTracker.DEFAULT_TABLE;
    private String tableRegion = DEFAULT_TABLE_REGION;
    ResourceNames names = ResourceNames.defaults();
    DeployListener listener = DeployListener.NONE;
    boolean cdnEnabled = true;
    private int concurrency = 32;
    private S3Client s3Client;
    private S3AsyncClient s3AsyncClient;
    private CloudFrontClient cloudFrontClient;
    private DynamoDbClient dynamoDbClient;
    private ProjectRecords records;
    private String siteUrl;
    private Duration pollInterval = Duration.ofSeconds(15);
    private Duration destroyWaitTimeout = Duration.ofMinutes(20);
    private AwsCall.Sleeper sleeper = AwsCall.REAL_SLEEP;
    Duration lockWait = Duration.ZERO;
    Duration leaseDuration = Duration.ofMinutes(2);
    private final List<ExecutionInterceptor> interceptors = new ArrayList<>();

    /** Public for {@link java.util.ServiceLoader}; use {@link Deployer#builder()} or {@link #builder()}. */
    public DeployerBuilder() {
    }

    @Override
    public DeployerBuilder region(String region) {
        if (region != null && region.isBlank()) {
            throw new InvalidInputException("region", "The region is blank; give one such as us-east-1.");
        }
        this.region = region;
        return this;
    }

    @Override
    public DeployerBuilder credentialsProvider(AwsCredentialsProvider credentials) {
        this.credentials = credentials;
        return this;
    }

    @Override
    public DeployerBuilder endpointOverride(Service service, URI endpoint) {
        Objects.requireNonNull(service, "service");
        if (endpoint == null) {
            endpoints.remove(service);
        } else {
            endpoints.put(service, endpoint);
        }
        return this;
    }

    @Override
    public DeployerBuilder awsEndpoint(URI endpoint) {
        this.awsEndpoint = endpoint;
        return this;
    }

    @Override
    public DeployerBuilder registryEndpoint(URI endpoint) {
        this.registryEndpoint = endpoint;
        return this;
    }

    @Override
    public DeployerBuilder s3Compatible(boolean s3Compatible) {
        this.s3Compatible = s3Compatible;
        return this;
    }

    @Override
    public DeployerBuilder tracker(DeploymentTracker tracker) {
        this.tracker = tracker;
        return this;
    }

    @Override
    public DeployerBuilder tableName(String tableName) {
        if (tableName == null || tableName.isBlank()) {
            throw new InvalidInputException("tableName", "The table name is blank; give one such as "
                    + DeploymentTracker.DEFAULT_TABLE + ".");
        }
        this.tableName = tableName;
        return this;
    }

    @Override
    public DeployerBuilder tableRegion(String tableRegion) {
        if (tableRegion == null || tableRegion.isBlank()) {
            throw new InvalidInputException("tableRegion", "The table region is blank; give one such as "
                    + DEFAULT_TABLE_REGION + " (the default, where the original plan's client reads the table).");
        }
        this.tableRegion = tableRegion.trim();
        return this;
    }

    @Override
    public DeployerBuilder names(ResourceNames names) {
        this.names = Objects.requireNonNull(names, "names");
        return this;
    }

    @Override
    public DeployerBuilder listener(DeployListener listener) {
        this.listener = listener == null ? DeployListener.NONE : listener;
        return this;
    }

    @Override
    public DeployerBuilder cdnEnabled(boolean cdnEnabled) {
        this.cdnEnabled = cdnEnabled;
        return this;
    }

    @Override
    public DeployerBuilder concurrency(int concurrency) {
        if (concurrency < 1 || concurrency > 1024) {
            throw new InvalidInputException("concurrency", "concurrency is " + concurrency
                    + "; give 1 to 1024 requests in flight.");
        }
        this.concurrency = concurrency;
        return this;
    }

    /** Uses this S3 client for bucket calls (not closed by the deployer). */
    public DeployerBuilder s3Client(S3Client client) {
        this.s3Client = client;
        return this;
    }

    /**
     * Uses this async S3 client for the file sync (not closed by the deployer). The deployer cannot see the 503 and 429
     * answers this client's retry strategy retries, so its requests in flight adapt to throughput alone.
     */
    public DeployerBuilder s3AsyncClient(S3AsyncClient client) {
        this.s3AsyncClient = client;
        return this;
    }

    /** Uses this CloudFront client (not closed by the deployer). */
    public DeployerBuilder cloudFrontClient(CloudFrontClient client) {
        this.cloudFrontClient = client;
        return this;
    }

    /** Builds the tracker over this DynamoDB client (not closed by the deployer) unless a tracker is given. */
    public DeployerBuilder dynamoDbClient(DynamoDbClient client) {
        this.dynamoDbClient = client;
        return this;
    }

    /** The {@code siteUrl} recorded when {@link #cdnEnabled} is false (such as a local preview's address). */
    public DeployerBuilder siteUrl(String siteUrl) {
        this.siteUrl = siteUrl;
        return this;
    }

    /** How often a wait polls CloudFront; default 15 s. */
    public DeployerBuilder pollInterval(Duration pollInterval) {
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        return this;
    }

    /** How long destroy waits for a disabled distribution to deploy before leaving it for a rerun; 20 min. */
    public DeployerBuilder destroyWaitTimeout(Duration timeout) {
        this.destroyWaitTimeout = Objects.requireNonNull(timeout, "destroyWaitTimeout");
        return this;
    }

    /** How the deployer sleeps between retries and polls (tests pass one that does not wait). */
    public DeployerBuilder sleeper(AwsCall.Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    @Override
    public DeployerBuilder lockWait(Duration lockWait) {
        if (lockWait == null || lockWait.isNegative()) {
            throw new InvalidInputException("lockWait", "lockWait is " + lockWait + "; give zero (fail at once "
                    + "when another run holds the project) or more (how long to wait for it).");
        }
        this.lockWait = lockWait;
        return this;
    }

    /** How long a run's lease lasts without renewal (renewed every third of it); default 2 minutes. */
    public DeployerBuilder leaseDuration(Duration leaseDuration) {
        if (leaseDuration == null || leaseDuration.toMillis() < 30) {
            throw new InvalidInputException("leaseDuration", "leaseDuration is " + leaseDuration
                    + "; give at least 30 ms (default 2 minutes).");
        }
        this.leaseDuration = leaseDuration;
        return this;
    }

    /**
     * Adds an interceptor to every SDK client the deployer builds itself (not to injected ones): call counters, and
     * in tests the corrections of an emulator or a fake's answers. With an interceptor (or an injected
     * {@link #s3AsyncClient}, or behind an HTTP proxy) the site's single-part uploads also go through the SDK's S3
     * client, so that it sees them; without, they skip the SDK's request pipeline (same requests, signer, endpoint
     * rules and retry strategy; less CPU per file).
     */
    public DeployerBuilder addExecutionInterceptor(ExecutionInterceptor interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /** The record store; default: {@link TrackerRecords} over the tracker. */
    DeployerBuilder records(ProjectRecords records) {
        this.records = records;
        return this;
    }

    @Override
    public DefaultDeployer build() {
        String resolvedRegion = region != null ? region : ClientFactory.defaultRegion();
        ClientFactory make = new ClientFactory(resolvedRegion, tableRegion, credentials, endpoints, awsEndpoint,
                interceptors, s3Compatible, ClientFactory.RETRY);
        try {
            List<ClientFactory.Lazy<?>> lazies = new ArrayList<>();
            Supplier<S3Client> s3 = s3Client != null ? () -> s3Client : add(lazies, make.lazyS3());
            Supplier<S3AsyncClient> s3Async = s3AsyncClient != null ? () -> s3AsyncClient
                    : add(lazies, make.lazyS3Async(concurrency));
            // single-part uploads skip the SDK's pipeline, unless the user's client or interceptors must see them,
            // or a proxy is set (the SDK's clients handle proxies)
            Supplier<DirectS3> directS3 = s3AsyncClient == null && interceptors.isEmpty()
                    && !ClientFactory.proxyConfigured() ? add(lazies, make.lazyDirectS3(concurrency)) : null;
            Supplier<CloudFrontClient> cf = cloudFrontClient != null ? () -> cloudFrontClient
                    : cdnEnabled ? add(lazies, make.lazyCloudFront()) : null;
            ProjectRecords store = records;
            if (store == null) {
                DeploymentTracker t = tracker;
                if (t == null) {
                    DynamoDbClient ddb = dynamoDbClient != null ? dynamoDbClient : make.dynamoDb();
                    t = DeploymentTracker.builder().dynamoDbClient(ddb).tableName(tableName).build();
                }
                store = new TrackerRecords(t);
            }
            SiteClients site = new SiteClients(s3, s3Async, directS3, cf,
                    () -> lazies.forEach(ClientFactory.Lazy::prestart),
                    s3AsyncClient != null ? () -> 0 : make.s3Throttles()::count, AwsCall.standard(sleeper),
                    s3Compatible, cdnEnabled, concurrency, names, siteUrl,
                    endpoints.getOrDefault(Service.S3, awsEndpoint), pollInterval, destroyWaitTimeout);
            StackClients stack = new StackClients(make.stackClients(), AwsCall.standard(sleeper), names,
                    registryEndpoint, pollInterval);
            return new DefaultDeployer(this, resolvedRegion, site, stack, store, make.made());
        } catch (RuntimeException e) {
            make.closeQuietly();
            throw e;
        }
    }

    private static <T extends AutoCloseable> ClientFactory.Lazy<T> add(List<ClientFactory.Lazy<?>> all,
            ClientFactory.Lazy<T> lazy) {
        all.add(lazy);
        return lazy;
    }
}
