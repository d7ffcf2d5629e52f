package dev.oneclick.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Real local DynamoDB and S3 endpoints, for tests and the local preview, in the style of Testcontainers'
 * {@code LocalStackContainer}: start, feed {@link #dynamoDbEndpoint()} / {@link #s3Endpoint()} (or the ready-made
 * clients) to the code under test, close.
 *
 * <pre>{@code
 * try (LocalAws aws = LocalAws.start()) {
 *     aws.s3Client().createBucket(b -> b.bucket("tmux-builder-demo"));
 * }
 * }</pre>
 *
 * <p>The backend comes from {@link Builder#backend}, else the system property {@value #BACKEND_PROPERTY}, else the
 * environment variable {@value #BACKEND_ENV}, else {@code auto}: LocalStack when a Docker engine answers, else the
 * emulators ({@link Dynalite} and {@link S3Proxy}). The choice is logged at INFO.
 *
 * <p>The clients this class hands out are created on first use, shared, thread-safe and closed by {@link #close()}:
 * do not close them yourself. For clients with other settings, start from {@link #s3ClientBuilder()} and friends.
 */
public final class LocalAws implements AutoCloseable {

    /** System property naming the backend: {@code auto}, {@code emulators} or {@code localstack}. */
    public static final String BACKEND_PROPERTY = "oneclick.local.backend";
    /** Environment variable naming the backend, read when the system property is not set. */
    public static final String BACKEND_ENV = "ONECLICK_LOCAL_BACKEND";

    private static final Logger LOG = LoggerFactory.getLogger(LocalAws.class);

    private final Backend backend;
    private final Dynalite dynalite;
    private final S3Proxy s3Proxy;
    private final LocalStackBackend localStack;
    private final URI dynamoDbEndpoint;
    private final URI s3Endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private DynamoDbClient dynamoDbClient;
    private S3Client s3Client;
    private S3AsyncClient s3AsyncClient;
    private boolean closed;

    private LocalAws(Dynalite dynalite, S3Proxy s3Proxy) {
        this.backend = Backend.EMULATORS;
        this.dynalite = dynalite;
        this.s3Proxy = s3Proxy;
        this.localStack = null;
        this.dynamoDbEndpoint = dynalite == null ? null : dynalite.endpoint();
        this.s3Endpoint = s3Proxy == null ? null : s3Proxy.endpoint();
        this.region = Clients.REGION;
        this.credentials = Clients.CREDENTIALS;
    }

    private LocalAws(LocalStackBackend localStack, boolean s3, boolean dynamoDb) {
        this.backend = Backend.LOCALSTACK;
        this.dynalite = null;
        this.s3Proxy = null;
        this.localStack = localStack;
        this.dynamoDbEndpoint = dynamoDb ? localStack.endpoint() : null;
        this.s3Endpoint = s3 ? localStack.endpoint() : null;
        this.region = localStack.region();
        this.credentials = localStack.credentials();
    }

    /**
     * Starts DynamoDB and S3 on the configured backend.
     *
     * @throws LocalAwsException when a server cannot start (the message says why and what to do)
     */
    public static LocalAws start() {
        return builder().start();
    }

    /** A builder for choosing the backend, the services, or folders for s3proxy's objects and dynalite's tables. */
    public static Builder builder() {
        return new Builder();
    }

    /** The backend that runs: {@link Backend#EMULATORS} or {@link Backend#LOCALSTACK}, never {@code AUTO}. */
    public Backend backend() {
        return backend;
    }

    /**
     * The DynamoDB endpoint, e.g. {@code http://127.0.0.1:40123}.
     *
     * @throws IllegalStateException when DynamoDB was not started
     */
    public URI dynamoDbEndpoint() {
        if (dynamoDbEndpoint == null) {
            throw new IllegalStateException("DynamoDB was not started (LocalAws.builder().dynamoDb(false))");
        }
        return dynamoDbEndpoint;
    }

    /**
     * The S3 endpoint, e.g. {@code http://127.0.0.1:40124}; use path-style addressing.
     *
     * @throws IllegalStateException when S3 was not started
     */
    public URI s3Endpoint() {
        if (s3Endpoint == null) {
            throw new IllegalStateException("S3 was not started (LocalAws.builder().s3(false))");
        }
        return s3Endpoint;
    }

    /** The region the endpoints answer for: us-east-1. */
    public Region region() {
        return region;
    }

    /** Static test credentials accepted by the backend. */
    public AwsCredentialsProvider credentialsProvider() {
        return credentials;
    }

    /** A shared DynamoDB client for this backend (closed by {@link #close()}). */
    public synchronized DynamoDbClient dynamoDbClient() {
        if (dynamoDbClient == null) {
            dynamoDbClient = register(dynamoDbClientBuilder().build());
        }
        return dynamoDbClient;
    }

    /** A shared sync S3 client: path-style, checksums only when required (closed by {@link #close()}). */
    public synchronized S3Client s3Client() {
        if (s3Client == null) {
            s3Client = register(s3ClientBuilder().build());
        }
        return s3Client;
    }

    /** A shared async (Netty) S3 client: path-style, checksums only when required (closed by {@link #close()}). */
    public synchronized S3AsyncClient s3AsyncClient() {
        if (s3AsyncClient == null) {
            s3AsyncClient = register(s3AsyncClientBuilder().build());
        }
        return s3AsyncClient;
    }

    /** A new builder set up for {@link #dynamoDbEndpoint()}; the client it builds is the caller's to close. */
    public DynamoDbClientBuilder dynamoDbClientBuilder() {
        return Clients.dynamoDb(dynamoDbEndpoint(), region, credentials);
    }

    /** A new builder set up for {@link #s3Endpoint()}; the client it builds is the caller's to close. */
    public S3ClientBuilder s3ClientBuilder() {
        return Clients.s3(s3Endpoint(), region, credentials);
    }

    /** A new async builder set up for {@link #s3Endpoint()}; the client it builds is the caller's to close. */
    public S3AsyncClientBuilder s3AsyncClientBuilder() {
        return Clients.s3Async(s3Endpoint(), region, credentials);
    }

    /**
     * One line naming the backend and its endpoints, e.g.
     * {@code backend=emulators (dynalite 4.0.0 at http://127.0.0.1:40123, s3proxy 2.6.0 at http://127.0.0.1:40124)}.
     */
    public String description() {
        List<String> parts = new ArrayList<>();
        if (localStack != null) {
            parts.add(localStack.toString());
        }
        if (dynalite != null) {
            parts.add("dynalite " + Dynalite.VERSION + " at " + dynalite.endpoint());
        }
        if (s3Proxy != null) {
            parts.add("s3proxy " + S3Proxy.VERSION + " at " + s3Proxy.endpoint());
        }
        return "backend=" + backend.id() + " (" + String.join(", ", parts) + ")";
    }

    @Override
    public String toString() {
        return "LocalAws[" + description() + "]";
    }

    /** Closes the shared clients and stops the servers. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> all = new ArrayList<>(clients);
        all.add(dynalite);
        all.add(s3Proxy);
        all.add(localStack);
        for (AutoCloseable closeable : all) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", closeable, e);
            }
        }
    }

    private <T extends SdkAutoCloseable> T register(T client) {
        if (closed) {
            client.close();
            throw new IllegalStateException("this LocalAws is closed");
        }
        clients.add(client);
        return client;
    }

    /** Chooses the backend and services; {@link #start()} starts them. */
    public static final class Builder {
        private Backend backend;
        private boolean s3 = true;
        private boolean dynamoDb = true;
        private Path s3Directory;
        private Path dynamoDbDirectory;
        private BooleanSupplier dockerCheck = LocalStackBackend::isDockerAvailable;

        private Builder() {
        }

        /** Replaces the Docker engine check of the {@code auto} backend (for tests). */
        Builder dockerCheck(BooleanSupplier dockerCheck) {
            this.dockerCheck = dockerCheck;
            return this;
        }

        /**
         * The backend; {@code null} (the default) reads {@value #BACKEND_PROPERTY} / {@value #BACKEND_ENV}, default
         * {@code auto}.
         */
        public Builder backend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** Whether to start S3 (default true). */
        public Builder s3(boolean s3) {
            this.s3 = s3;
            return this;
        }

        /** Whether to start DynamoDB (default true). */
        public Builder dynamoDb(boolean dynamoDb) {
            this.dynamoDb = dynamoDb;
            return this;
        }

        /**
         * Keep s3proxy's objects in this folder instead of memory (for big data sets, or to keep them across
         * restarts). Implies the emulators when the backend is {@code auto}; not possible with LocalStack.
         */
        public Builder s3Directory(Path s3Directory) {
            this.s3Directory = s3Directory;
            return this;
        }

        /**
         * Keep dynalite's tables and items in this folder (a LevelDB database, see {@link Dynalite#start(Path)})
         * instead of memory, so a later start on the same folder sees them again. Implies the emulators when the
         * backend is {@code auto}; not possible with LocalStack.
         */
        public Builder dynamoDbDirectory(Path dynamoDbDirectory) {
            this.dynamoDbDirectory = dynamoDbDirectory;
            return this;
        }

        /**
         * Starts the chosen servers.
         *
         * @throws LocalAwsException when the settings contradict each other or a server cannot start
         */
        public LocalAws start() {
            if (!s3 && !dynamoDb) {
                throw new LocalAwsException("nothing to start: both S3 and DynamoDB are switched off");
            }
            Backend chosen = resolve();
            if (chosen == Backend.LOCALSTACK) {
                if (s3Directory != null) {
                    throw new LocalAwsException("an s3proxy folder (" + s3Directory + ") was given but the backend is"
                            + " localstack: drop the folder or use the emulators backend");
                }
                if (dynamoDbDirectory != null) {
                    throw new LocalAwsException("a dynalite folder (" + dynamoDbDirectory + ") was given but the"
                            + " backend is localstack: drop the folder or use the emulators backend");
                }
                LocalAws aws = new LocalAws(LocalStackBackend.start(s3, dynamoDb), s3, dynamoDb);
                LOG.info("oneclick-local: {}", aws.description());
                return aws;
            }
            LocalAws aws = startEmulators();
            LOG.info("oneclick-local: {}", aws.description());
            return aws;
        }

        private Backend resolve() {
            Backend requested = backend;
            if (requested == null) {
                String setting = DynaliteInstaller.setting(BACKEND_PROPERTY, BACKEND_ENV);
                requested = setting == null ? Backend.AUTO : Backend.parse(setting);
            }
            if (requested != Backend.AUTO) {
                return requested;
            }
            if (s3Directory != null || dynamoDbDirectory != null) {
                LOG.info("oneclick-local: backend auto with a data folder: using the emulators");
                return Backend.EMULATORS;
            }
            if (dockerCheck.getAsBoolean()) {
                LOG.info("oneclick-local: backend auto: a Docker engine answers, using LocalStack");
                return Backend.LOCALSTACK;
            }
            LOG.info("oneclick-local: backend auto: no Docker engine answers, using the emulators"
                    + " (dynalite + s3proxy)");
            return Backend.EMULATORS;
        }

        /** Starts s3proxy on another thread while dynalite starts, and cleans up both if either fails. */
        private LocalAws startEmulators() {
            Path dir = s3Directory;
            Path dynamoDir = dynamoDbDirectory;
            CompletableFuture<S3Proxy> s3Future = s3
                    ? CompletableFuture.supplyAsync(() -> dir == null ? S3Proxy.start() : S3Proxy.start(dir),
                            task -> {
                                Thread thread = new Thread(task, "oneclick-local-s3proxy-start");
                                thread.setDaemon(true);
                                thread.start();
                            })
                    : CompletableFuture.completedFuture(null);
            Dynalite dynalite;
            try {
                dynalite = !dynamoDb ? null : dynamoDir == null ? Dynalite.start() : Dynalite.start(dynamoDir);
            } catch (RuntimeException e) {
                s3Future.thenAccept(proxy -> {
                    if (proxy != null) {
                        proxy.close();
                    }
                });
                throw e;
            }
            try {
                return new LocalAws(dynalite, s3Future.join());
            } catch (CompletionException e) {
                if (dynalite != null) {
                    dynalite.close();
                }
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }
}
