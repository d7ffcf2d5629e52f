package dev.oneclick.maven.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.Deployer;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.LocalSitePreview;
import dev.oneclick.tracking.DeploymentTracker;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.Log;

/**
 * The local target of one Maven run: the local AWS endpoints (s3proxy and dynalite, or LocalStack where Docker
 * runs), one tracker per table, and the preview servers. One instance per JVM, shared by every oneclick goal of
 * the run (so {@code mvn oneclick:deploy oneclick:status oneclick:destroy -Doneclick.target=local} sees one
 * state); closed when the JVM exits. The emulators keep their state in memory: it ends with the Maven run.
 */
public final class LocalTarget {
    private static LocalTarget instance;

    private final LocalAws aws;
    private final Map<String, DeploymentTracker> trackers = new HashMap<>();
    private final Map<String, LocalSitePreview> previews = new HashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Set<String> deployed = ConcurrentHashMap.newKeySet();

    private LocalTarget(LocalAws aws) {
        this.aws = aws;
    }

    /** The local target of this JVM, started on first use. */
    public static synchronized LocalTarget get(Log log, MavenSession session) {
        if (instance == null) {
            log.info("Starting the local AWS endpoints for oneclick.target=local ...");
            LocalAws aws = LocalAws.start();
            LocalTarget t = new LocalTarget(aws);
            // Normally closed when the Maven session ends (the plugin realm is still open then); the shutdown hook
            // covers Ctrl+C while deploy keeps serving.
            Runtime.getRuntime().addShutdownHook(new Thread(t::close, "oneclick-local-shutdown"));
            if (session != null && session.getRequest() != null) {
                ExecutionListener previous = session.getRequest().getExecutionListener();
                session.getRequest().setExecutionListener(new SessionEndCloser(previous, () -> {
                    log.info("Stopping the local AWS endpoints and previews (the local state ends here).");
                    t.close();
                }));
            }
            instance = t;
            log.info("Local AWS (" + aws.backend() + "): S3 " + aws.s3Endpoint() + ", DynamoDB "
                    + aws.dynamoDbEndpoint() + ", region " + aws.region());
            log.info("The local state (bucket, table, preview) lives in memory and ends with this Maven run; "
                    + "chain goals in one run to use it, e.g. mvn oneclick:deploy oneclick:status oneclick:destroy "
                    + "-Doneclick.target=local -Doneclick.local.keepRunning=false");
        }
        return instance;
    }

    /** The local target if one was started in this JVM, else null. */
    public static synchronized LocalTarget current() {
        return instance;
    }

    public LocalAws aws() {
        return aws;
    }

    /** A deployer over the local endpoints: S3-compatible mode, no CDN, the local tracker. */
    public Deployer deployer(String tableName, DeployListener listener) {
        return Deployer.builder()
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

    /** The preview of {@code bucket}, started on first use (a running one is reused when its options match). */
    public synchronized LocalSitePreview preview(String bucket, boolean spaFallback, int port) {
        LocalSitePreview running = previews.get(bucket);
        if (running != null && running.spaFallback() == spaFallback && (port == 0 || running.port() == port)) {
            return running;
        }
        if (running != null) {
            running.close();
        }
        LocalSitePreview p = LocalSitePreview.builder().s3Client(aws.s3Client()).bucket(bucket)
                .spaFallback(spaFallback).port(port).start();
        previews.put(bucket, p);
        return p;
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

    /** Whether {@code guid} was deployed earlier in this run (the only way the local state can hold it). */
    public boolean wasDeployed(String guid) {
        return deployed.contains(guid);
    }

    /** Blocks until the JVM shuts down (Ctrl+C) or the thread is interrupted. */
    public void awaitShutdown() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void close() {
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
        }
        try {
            aws.close();
        } catch (Throwable ignored) {
            // the JVM is exiting (its classes may be gone already); the emulator processes die with it
        } finally {
            closed.countDown();
        }
    }
}
