package dev.oneclick.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.internal.DefaultDeployer;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-point sweep of the full stack: a child JVM ({@link FullStackCrashRun}) deploys (or destroys) the full
 * stack (an existing image, PostgreSQL, a small frontend) against moto and dynalite and halts right after its N-th
 * mutating AWS call, for every N from 1 to the number of mutating calls of a clean run; after each halt a normal run
 * in this JVM, once the halted run's short lease has expired, must converge ({@link StackConvergence}): one of each
 * resource, the record DEPLOYED with every id (or DESTROYED with nothing of the project left), nothing tagged with
 * the project's GUID that the record does not list. One moto and one dynalite serve every point; each point has its
 * own GUID, so {@value CrashPointSweepTest#WORKERS} points run at a time.
 */
class FullStackCrashSweepTest {
    private static final String USER = "user-stack-crash";
    private static final String TABLE = "stack-crash-sweep";
    private static Moto moto;
    private static LocalAws local;
    private static DeploymentTracker tracker;
    private static Path site;
    private static ChildJvm childJvm;
    private static Convergence siteCheck;
    private static StackConvergence check;
    private static long classStarted;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        classStarted = System.nanoTime();
        moto = Moto.builder().environment("MOTO_ECS_SERVICE_RUNNING", "1")
                .environment("MOTO_IAM_LOAD_MANAGED_POLICIES", "true").start(); // AmazonECSTaskExecutionRolePolicy
        local = LocalAws.builder().s3(false).start();
        tracker = DeploymentTracker.builder().dynamoDbClient(local.dynamoDbClient()).tableName(TABLE)
                .pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        site = SmallSite.write(tmp.resolve("dist"));
        childJvm = new ChildJvm(tmp.resolve("child-jvm"));
        siteCheck = new Convergence(moto, tracker, USER, site);
        check = new StackConvergence(moto, siteCheck, tracker, USER);
    }

    @AfterAll
    static void stop() {
        System.out.printf("[stack-crash-sweep] suite: wall %.1f s (moto, dynalite, both clean runs and both "
                + "sweeps)%n", (System.nanoTime() - classStarted) / 1e9);
        if (check != null) {
            check.close();
        }
        if (moto != null) {
            moto.close();
        }
        if (local != null) {
            local.close();
        }
    }

    /** The rerun: a normal deployer in this JVM, waiting up to 30 s for a halted run's lease to expire. */
    private static DefaultDeployer rerunDeployer() {
        return FullStackCrashRun.deployer(moto.endpoint(), moto.s3Client(), moto.s3AsyncClient(),
                moto.cloudFrontClient(), tracker)
                .lockWait(Duration.ofSeconds(30)).leaseDuration(CrashPointSweepTest.RERUN_LEASE).build();
    }

    private static void deploy(String guid) {
        try (DefaultDeployer d = rerunDeployer()) {
            d.deploy(FullStackCrashRun.request(guid, USER, site));
        }
    }

    private static void destroy(String guid) {
        try (DefaultDeployer d = rerunDeployer()) {
            d.destroy(guid, USER, true);
        }
    }

    private static CrashPointSweepTest.Child child(String mode, String guid, int haltAt) throws IOException,
            InterruptedException {
        return childJvm.run(FullStackCrashRun.class, List.of(mode, moto.endpoint().toString(),
                local.dynamoDbEndpoint().toString(), TABLE, USER, guid, site.toString(),
                Long.toString(CrashPointSweepTest.CHILD_LEASE_MILLIS), Integer.toString(haltAt)), 120);
    }

    interface Point {
        void before(String guid) throws Exception;

        void rerunAndCheck(String guid) throws Exception;
    }

    private static void sweep(String mode, int m, long started, Point point) throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger converged = new AtomicInteger();
        AtomicInteger pastEnd = new AtomicInteger();
        AtomicLong childNanos = new AtomicLong();
        AtomicLong rerunNanos = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CrashPointSweepTest.WORKERS);
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
                        CrashPointSweepTest.Child halted = child(mode, guid, n);
                        long t1 = System.nanoTime();
                        childNanos.addAndGet(t1 - t0);
                        what = halted.summary();
                        halted.assertHaltedAt(n);
                        if (halted.status() == 0) {
                            pastEnd.incrementAndGet();
                        }
                        point.rerunAndCheck(guid);
                        rerunNanos.addAndGet(System.nanoTime() - t1);
                        converged.incrementAndGet();
                    } catch (Exception | AssertionError e) {
                        failures.add("N=" + n + " (" + what + "): " + e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(20, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("[stack-crash-sweep] %s: faults injected %d (a halt after each of the clean run's %d "
                + "mutating calls), runs completed %d (past the end of their run), halted and converged on rerun %d, "
                + "not converged %d; wall %.1f s (children %.1f s, reruns+checks+cleanup %.1f s, %d at a time)%n",
                mode, m, m, pastEnd.get(), converged.get() - pastEnd.get(), m - converged.get(),
                (System.nanoTime() - started) / 1e9, childNanos.get() / 1e9, rerunNanos.get() / 1e9,
                CrashPointSweepTest.WORKERS);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void deploy_whenTheJvmHaltsAfterEachMutatingCall_rerunConvergesToOneOfEachResourceAndAFullRecord()
            throws Exception {
        long started = System.nanoTime();
        String cleanGuid = UUID.randomUUID().toString();
        CrashPointSweepTest.Child clean = child("deploy", cleanGuid, 0);
        assertEquals(0, clean.status(), clean.output());
        check.assertDeployed(cleanGuid);
        siteCheck.rememberHeaders(cleanGuid);
        destroy(cleanGuid);
        System.out.println("[stack-crash-sweep] deploy: clean run's mutating calls: " + clean.calls());
        sweep("deploy", clean.mutatingCalls(), started, new Point() {
            @Override
            public void before(String guid) {
            }

            @Override
            public void rerunAndCheck(String guid) throws IOException {
                deploy(guid);
                check.assertDeployed(guid);
                destroy(guid); // keeps moto small
            }
        });
    }

    @Test
    void destroy_whenTheJvmHaltsAfterEachMutatingCall_rerunEndsDestroyedWithNothingOfTheProjectLeft()
            throws Exception {
        long started = System.nanoTime();
        String cleanGuid = UUID.randomUUID().toString();
        deploy(cleanGuid);
        CrashPointSweepTest.Child clean = child("destroy", cleanGuid, 0);
        assertEquals(0, clean.status(), clean.output());
        check.assertDestroyed(cleanGuid);
        System.out.println("[stack-crash-sweep] destroy: clean run's mutating calls: " + clean.calls());
        sweep("destroy", clean.mutatingCalls(), started, new Point() {
            @Override
            public void before(String guid) {
                deploy(guid);
            }

            @Override
            public void rerunAndCheck(String guid) {
                destroy(guid);
                check.assertDestroyed(guid);
            }
        });
    }
}
