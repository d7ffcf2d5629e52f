package dev.oneclick.engine.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.Plan;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a deploy kind's steps: in order for plan and deploy, in reverse for destroy (every step checks what it found
 * before any step deletes anything), each under the project's lease when it changes anything. Knows no resource
 * kind. Thread-safe: runs of different projects may share one engine.
 */
public final class StepEngine {
    private final ProjectRecords records;
    private final Duration leaseTtl;
    private final Duration lockWait;

    public StepEngine(ProjectRecords records, Duration leaseTtl, Duration lockWait) {
        this.records = Objects.requireNonNull(records, "records");
        this.leaseTtl = leaseTtl;
        this.lockWait = lockWait;
    }

    public ProjectRecords records() {
        return records;
    }

    /** Who a run is for and where. */
    public record Project(String guid, String userId, String projectName, String region, Map<String, String> tags,
            DeployListener listener) {
    }

    /** Runs {@code body} on the record as it is, without a lease: for plans, which change nothing. */
    public <T> T readOnly(Project p, Function<Run, T> body) {
        return body.apply(newRun(p, records.get(p.userId(), p.guid())));
    }

    /**
     * Runs {@code body} holding the project's lease: creates the table if needed, takes the lease (waiting up to the
     * lock wait), hands the body a run on the record as the lease found it, and gives the lease back however the
     * body ends.
     *
     * @throws dev.oneclick.errors.ProjectBusyException when another run holds the lease past the lock wait
     */
    public <T> T exclusive(Project p, String operation, Function<Run, T> body) {
        records.ensureReady();
        LeaseKeeper lease = LeaseKeeper.acquire(records, p.userId(), p.guid(), operation, leaseTtl, lockWait,
                m -> p.listener().progress(new DeployListener.Progress(p.guid(), m)));
        Run run;
        try {
            // a record the lease itself just created holds nothing yet: the run starts from no record; otherwise from
            // the record the lease's write returned (no second read)
            Optional<DeploymentRecord> start = lease.createdItem() ? Optional.empty() : lease.record();
            run = newRun(p, lease.createdItem() || start.isPresent() ? start : records.get(p.userId(), p.guid()));
        } catch (RuntimeException e) {
            lease.close();
            releaseQuietly(lease, false, e);
            throw e;
        }
        run.holding(lease);
        T result;
        try {
            result = body.apply(run);
        } catch (RuntimeException e) {
            releaseQuietly(lease, run.wrote(), e);
            throw e;
        }
        Optional<DeploymentStatus> last = run.finalStatus();
        if (last.isPresent()) {
            lease.release(p.projectName(), last.get());
        } else {
            lease.release(run.wrote());
        }
        return result;
    }

    private static void releaseQuietly(LeaseKeeper lease, boolean wrote, RuntimeException failure) {
        try {
            lease.release(wrote);
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
        }
    }

    private Run newRun(Project p, Optional<DeploymentRecord> record) {
        return new Run(p.guid(), p.userId(), p.projectName(), p.region(), p.tags(), p.listener(), records, record);
    }

    /** Each step's plan, in order, after pointing out reported record values the steps will not act on. */
    public List<Plan.ResourceChange> plan(Run run, List<Step> steps) {
        reportIgnored(run, steps);
        List<Plan.ResourceChange> changes = new ArrayList<>();
        for (Step s : steps) {
            changes.addAll(s.plan(run));
        }
        return changes;
    }

    /** Applies each step in order; stops before the next step when the lease was lost. */
    public void apply(Run run, List<Step> steps) {
        for (Step s : steps) {
            run.checkLease();
            s.apply(run);
        }
    }

    /**
     * Checks every step's resource in reverse order; then, if {@code beforeChanges} agrees (it may also throw),
     * deletes in reverse order.
     */
    public void destroy(Run run, List<Step> steps, java.util.function.BooleanSupplier beforeChanges) {
        reportIgnored(run, steps);
        List<Step> reversed = new ArrayList<>(steps);
        Collections.reverse(reversed);
        for (Step s : reversed) {
            s.planDestroy(run);
        }
        if (!beforeChanges.getAsBoolean()) {
            return;
        }
        for (Step s : reversed) {
            run.checkLease();
            s.destroy(run);
        }
    }

    /**
     * Values in the shown {@code awsResources} that the engine did not record itself (a {@code resources} event
     * reported them) are shown to the user but never acted on: say so, once per run.
     */
    private static void reportIgnored(Run run, List<Step> steps) {
        run.startRecord().ifPresent(rec -> {
            for (Step s : steps) {
                for (String key : s.recordKeys()) {
                    Optional<Object> shown = rec.awsResources().get(key);
                    if (shown.isPresent() && !shown.equals(rec.oneclickResources().get(key))) {
                        run.progress("Ignoring awsResources." + key + " = " + shown.get() + ": the project reported "
                                + "it (a resources event), oneclick did not create it, so oneclick neither changes "
                                + "nor deletes it");
                    }
                }
            }
        });
    }
}
