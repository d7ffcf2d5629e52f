package dev.oneclick.engine.internal;

import dev.oneclick.errors.LeaseLostException;
import dev.oneclick.errors.ProjectBusyException;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds a project's lease for one run: takes it (waiting up to the lock wait for another run to finish), renews it
 * on a daemon thread every third of its time to live while the run lasts, and gives it back. A run whose renewal
 * fails past its expiry is stopped before its next change ({@link #check}). A crashed run's lease simply expires.
 */
public final class LeaseKeeper implements AutoCloseable {
    private final ProjectRecords records;
    private final String userId;
    private final String guid;
    private final Duration ttl;
    private final ScheduledExecutorService renewer;
    private final boolean createdItem;
    private final DeploymentRecord record;
    private volatile Instant heldUntil;
    private volatile RuntimeException lost;

    private LeaseKeeper(ProjectRecords records, String userId, String guid, Duration ttl, boolean createdItem,
            DeploymentRecord record, Instant heldUntil) {
        this.records = records;
        this.userId = userId;
        this.guid = guid;
        this.ttl = ttl;
        this.createdItem = createdItem;
        this.record = record;
        this.heldUntil = heldUntil;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oneclick-lease-" + guid);
            t.setDaemon(true);
            return t;
        });
    }

    /** Who this process is, as a lease holder: operation, process id and host. */
    public static String holder(String operation) {
        return operation + " by " + ManagementFactory.getRuntimeMXBean().getName();
    }

    /**
     * Takes the lease, or waits for it up to {@code lockWait} (polling), then fails.
     *
     * @throws ProjectBusyException naming the holder and its expiry when it is still held after the wait
     */
    public static LeaseKeeper acquire(ProjectRecords records, String userId, String guid, String operation,
            Duration ttl, Duration lockWait, java.util.function.Consumer<String> progress) {
        long deadline = System.nanoTime() + lockWait.toNanos();
        String runId = UUID.randomUUID().toString();
        boolean told = false;
        while (true) {
            try {
                Instant start = Instant.now();
                DeploymentTracker.LeaseGrant grant = records.acquireLease(userId, guid, runId, holder(operation),
                        ttl);
                LeaseKeeper k = new LeaseKeeper(records, userId, guid, ttl, grant.createdItem(), grant.record(),
                        start.plus(ttl));
                k.start(runId);
                return k;
            } catch (ProjectBusyException busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw busy;
                }
                if (!told) {
                    progress.accept("Waiting up to " + lockWait + " for " + busy.holder() + " to finish with project "
                            + guid + " (its lease expires at " + busy.expiresAt() + ")");
                    told = true;
                }
                long pause = Math.min(TimeUnit.NANOSECONDS.toMillis(left), Math.max(50, ttl.toMillis() / 10));
                try {
                    Thread.sleep(Math.min(pause, 2_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw busy;
                }
            }
        }
    }

    private volatile String id;

    private void start(String runId) {
        this.id = runId;
        long every = Math.max(1, ttl.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        if (lost != null) {
            return;
        }
        Instant start = Instant.now();
        try {
            if (records.renewLease(userId, guid, id, ttl)) {
                heldUntil = start.plus(ttl);
            } else {
                lost = new LeaseLostException("The lease of project " + guid + " was taken over by another run "
                        + "(this run's lease had expired); this run stopped before its next change. Run it again.",
                        null);
            }
        } catch (RuntimeException e) {
            if (!Instant.now().isBefore(heldUntil)) {
                lost = new LeaseLostException("The lease of project " + guid + " could not be renewed before it "
                        + "expired (" + e.getMessage() + "); this run stopped before its next change. Run it again.", e);
            }
        }
    }

    /** Throws if the lease was lost. */
    public void check() {
        RuntimeException l = lost;
        if (l == null && !Instant.now().isBefore(heldUntil)) {
            renew();
            l = lost;
            if (l == null && !Instant.now().isBefore(heldUntil)) {
                l = new LeaseLostException("The lease of project " + guid + " expired before it could be renewed; "
                        + "this run stopped before its next change. Run it again.", null);
            }
        }
        if (l != null) {
            throw l;
        }
    }

    /** Whether taking the lease created the record (there was none before). */
    public boolean createdItem() {
        return createdItem;
    }

    /**
     * The record as the lease's conditional write left it (what a strongly consistent read right after it would
     * return), or empty when the store did not say.
     */
    public Optional<DeploymentRecord> record() {
        return Optional.ofNullable(record);
    }

    /** The run's random id, as stored in the record. */
    public String runId() {
        return id;
    }

    /**
     * Gives the lease back. A record that the lease itself created and that the run left without anything else is
     * removed, so a run that failed before writing leaves no trace.
     */
    public void release(boolean runWrote) {
        renewer.shutdownNow();
        records.releaseLease(userId, guid, id, createdItem && !runWrote);
    }

    /** Writes the run's final status and gives the lease back, in one write where the store allows it. */
    public void release(String projectName, dev.oneclick.tracking.DeploymentStatus status) {
        renewer.shutdownNow();
        records.releaseLease(userId, guid, id, projectName, status);
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}
