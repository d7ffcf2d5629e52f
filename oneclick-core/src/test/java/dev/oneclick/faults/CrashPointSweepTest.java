package dev.oneclick.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.internal.DefaultDeployer;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The crash-point sweep: a child JVM ({@link CrashPointRun}) deploys (or destroys) a small static site against moto
 * and dynalite and halts right after its N-th mutating AWS call, for every N from 1 to the number of mutating calls
 * of a clean run; after each halt a normal run in this JVM, waiting for the halted run's short lease to expire, must
 * converge ({@link Convergence}), and it must have taken over a lease the halted run left only after that lease
 * expired. One moto and one dynalite serve every crash point; each point has its own GUID, so {@value #WORKERS}
 * points run at a time; the children share a class-data-sharing archive ({@link ChildJvm}).
 *
 * <p>The number of mutating calls varies by a few between runs (lease renewals are timed): a point past the end of
 * its child's run is a run that completed; its rerun must converge all the same.
 */
class CrashPointSweepTest {
    static final String USER = "user-crash";
    static final String TABLE = "crash-sweep";
    /** The halted child's lease: short, so the rerun takes over soon after. */
    static final long CHILD_LEASE_MILLIS = 2000;
    /** The rerun's lease: a tenth of it is how often it polls a held lease (the default 2 minutes polls every 2 s). */
    static final Duration RERUN_LEASE = Duration.ofSeconds(10);
    static final int WORKERS = 2;
    private static final Pattern COMPLETED = Pattern.compile("COMPLETED mutating=(\\d+) calls=(\\S*)");
    private static Moto moto;
    private static LocalAws local;
    private static DeploymentTracker tracker;

    @TempDir
    static Path tmp;
    /** The destroy sweep's site: four small files. */
    private static Path site;
    /** The deploy sweep's site: the same and a 9 MB file, so halts fall inside a multipart upload too. */
    private static Path multipartSite;
    private static ChildJvm childJvm;
    private static long classStarted;

    @BeforeAll
    static void start() throws IOException {
        classStarted = System.nanoTime();
        moto = Moto.start();
        local = LocalAws.builder().s3(false).start();
        tracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient()).tableName(TABLE)
                .pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        site = SmallSite.write(tmp.resolve("dist"));
        multipartSite = SmallSite.withMultipartFile(tmp.resolve("dist-multipart"), "assets/video.4d2c9e1f.bin", 9);
        childJvm = new ChildJvm(tmp.resolve("child-jvm"));
    }

    @AfterAll
    static void stop() {
        System.out.printf("[crash-sweep] suite: wall %.1f s (moto, dynalite, both clean runs and both sweeps)%n",
                (System.nanoTime() - classStarted) / 1e9);
        if (moto != null) {
            moto.close();
        }
        if (local != null) {
            local.close();
        }
    }

    private static DefaultDeployer rerunDeployer() {
        return rerunDeployer(tracker);
    }

    private static DefaultDeployer rerunDeployer(DeploymentTracker t) {
        return DefaultDeployer.builder().region("us-east-1").s3Client(moto.s3Client())
                .s3AsyncClient(moto.s3AsyncClient()).cloudFrontClient(moto.cloudFrontClient()).tracker(t)
                .concurrency(2).pollInterval(Duration.ZERO).lockWait(Duration.ofSeconds(30))
                .leaseDuration(RERUN_LEASE).build();
    }

    private static DeployRequest request(String guid, Path siteDir) {
        return DeployRequest.builder().guid(guid).userId(USER).projectName("Crash").siteDir(siteDir)
                .routing(DeployRequest.Routing.ALL).build(); // moto serves no CloudFront Functions (routing ROUTES)
    }

    /** Runs the child; returns its exit status and output. */
    private static Child child(String mode, String guid, Path siteDir, int haltAt) throws IOException,
            InterruptedException {
        return childJvm.run(CrashPointRun.class, List.of(mode, moto.endpoint().toString(),
                local.dynamoDbEndpoint().toString(), TABLE, USER, guid, siteDir.toString(),
                Long.toString(CHILD_LEASE_MILLIS), Integer.toString(haltAt)), 90);
    }

    record Child(int status, String output, long pid) {
        int mutatingCalls() {
            Matcher m = COMPLETED.matcher(output);
            assertTrue(m.find(), "the clean child run completed: " + output);
            return Integer.parseInt(m.group(1));
        }

        String calls() {
            Matcher m = COMPLETED.matcher(output);
            return m.find() ? m.group(2) : "";
        }

        /** Halted, or (a point past the end of this run) completed with fewer mutating calls. */
        void assertHaltedAt(int n) {
            if (status == 0) {
                assertTrue(mutatingCalls() < n, "completed without halting at " + n + ": " + output);
            } else {
                assertEquals(HaltAfterMutatingCall.HALT_STATUS, status, output);
            }
        }

        String summary() {
            return output.lines().filter(l -> l.startsWith("HALTING") || l.startsWith("COMPLETED")).findFirst()
                    .orElse(output.lines().findFirst().orElse(""));
        }
    }

    /** One crash point: what to do before the child, and the rerun (by the given deployer) and its check. */
    interface Point {
        void before(String guid) throws Exception;

        void rerunAndCheck(String guid, DefaultDeployer rerun) throws Exception;
    }

    /**
     * Checks the lease the halted child left (if any: a halt before its first lease write or after its release
     * leaves none): held by the child's process, and taken over by the rerun only once it had expired.
     *
     * @return whether the child left a lease
     */
    private static boolean rerunTakingOverTheLease(String mode, String guid, Child halted, Point point)
            throws Exception {
        Optional<DeploymentRecord.Lease> left = tracker.get(USER, guid).flatMap(DeploymentRecord::lease);
        left.ifPresent(l -> assertTrue(l.holder().startsWith(mode + " by " + halted.pid() + "@"),
                "the lease left names the halted child " + halted.pid() + ": " + l));
        LeaseGrants grants = new LeaseGrants();
        try (DynamoDbClient dynamo = CrashPointRun.dynamoDb(local.dynamoDbEndpoint(), grants)) {
            point.rerunAndCheck(guid, rerunDeployer(DeploymentTracker.builder().dynamoDbClient(dynamo)
                    .tableName(TABLE).pollInterval(Duration.ofMillis(50)).build()));
        }
        Instant granted = grants.first().orElseThrow(() -> new AssertionError("the rerun took no lease"));
        left.ifPresent(l -> assertFalse(granted.isBefore(l.expiresAt()), "the rerun took the halted run's lease at "
                + granted + ", before it expired at " + l.expiresAt()));
        return left.isPresent();
    }

    /** Runs every crash point 1..m, WORKERS at a time; prints the figures line; fails listing the points that did not
     * converge. */
    private static void sweep(String mode, Path siteDir, int m, long started, Point point) throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger converged = new AtomicInteger();
        AtomicInteger pastEnd = new AtomicInteger();
        AtomicInteger leasesTakenOver = new AtomicInteger();
        AtomicLong childNanos = new AtomicLong();
        AtomicLong rerunNanos = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= m; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    String guid = UUID.randomUUID().toString();
                    String what = "";
                    try {
                        point.before(guid);
                        long t0 = System.nanoTime();
                        Child halted = child(mode, guid, siteDir, n);
                        long t1 = System.nanoTime();
                        what = halted.summary();
                        halted.assertHaltedAt(n);
                        if (halted.status() == 0) {
                            pastEnd.incrementAndGet();
                        }
                        if (rerunTakingOverTheLease(mode, guid, halted, point)) {
                            leasesTakenOver.incrementAndGet();
                        }
                        childNanos.addAndGet(t1 - t0);
                        rerunNanos.addAndGet(System.nanoTime() - t1);
                        converged.incrementAndGet();
                    } catch (Exception | AssertionError e) {
                        failures.add("N=" + n + " (" + what + "): " + e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("[crash-sweep] %s: faults injected %d (a halt after each of the clean run's %d mutating "
                + "calls), runs completed %d (past the end of their run), runs halted and converged on rerun %d, runs "
                + "that did not %d; halted runs' leases taken over after expiry %d; wall %.1f s (children %.1f s, "
                + "reruns+checks %.1f s, %d at a time)%n", mode, m, m, pastEnd.get(), converged.get() - pastEnd.get(),
                m - converged.get(), leasesTakenOver.get(), (System.nanoTime() - started) / 1e9,
                childNanos.get() / 1e9, rerunNanos.get() / 1e9, WORKERS);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void deploy_whenTheJvmHaltsAfterEachMutatingCall_rerunConvergesToOneOfEachWithTheSiteAndAFullRecord()
            throws Exception {
        long started = System.nanoTime();
        Convergence check = new Convergence(moto, tracker, USER, multipartSite);
        AtomicInteger abandonedUploads = new AtomicInteger();
        String cleanGuid = UUID.randomUUID().toString();
        Child clean = child("deploy", cleanGuid, multipartSite, 0);
        assertEquals(0, clean.status(), clean.output());
        check.assertDeployed(cleanGuid, false); // written by the child JVM only
        check.rememberHeaders(cleanGuid);
        check.removeDirectly(cleanGuid);
        System.out.println("[crash-sweep] deploy: clean run's mutating calls: " + clean.calls());
        sweep("deploy", multipartSite, clean.mutatingCalls(), started, new Point() {
            @Override
            public void before(String guid) {
            }

            @Override
            public void rerunAndCheck(String guid, DefaultDeployer rerun) throws IOException {
                rerun.deploy(request(guid, multipartSite));
                check.assertDeployed(guid);
                abandonedUploads.addAndGet(moto.s3Client().listMultipartUploads(b -> b.bucket(Convergence.name(guid)))
                        .uploads().size());
                check.removeDirectly(guid);
            }
        });
        // A halted run's unfinished multipart upload stays (no run knows its id): the bucket's lifecycle rule
        // (deploy-safety issue) is what aborts it.
        System.out.println("[crash-sweep] deploy: multipart uploads the halted runs left unfinished: "
                + abandonedUploads.get());
    }

    @Test
    void destroy_whenTheJvmHaltsAfterEachMutatingCall_rerunEndsDestroyedWithNothingOfTheProjectLeft()
            throws Exception {
        long started = System.nanoTime();
        Convergence check = new Convergence(moto, tracker, USER, site);
        String cleanGuid = UUID.randomUUID().toString();
        rerunDeployer().deploy(request(cleanGuid, site));
        Child clean = child("destroy", cleanGuid, site, 0);
        assertEquals(0, clean.status(), clean.output());
        check.assertDestroyed(cleanGuid);
        System.out.println("[crash-sweep] destroy: clean run's mutating calls: " + clean.calls());
        sweep("destroy", site, clean.mutatingCalls(), started, new Point() {
            @Override
            public void before(String guid) {
                rerunDeployer().deploy(request(guid, site));
            }

            @Override
            public void rerunAndCheck(String guid, DefaultDeployer rerun) {
                rerun.destroy(guid, USER);
                check.assertDestroyed(guid);
            }
        });
    }
}
