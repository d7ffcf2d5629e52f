package dev.oneclick.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.site.internal.StaticSite;
import dev.oneclick.stack.internal.FullStack;
import java.time.Duration;
import java.util.List;

/**
 * A deploy kind as the deployer sees it: its steps, the input checks before any write, its plan and what a deploy
 * reports. The static site and the full stack are the two; one instance serves one run.
 */
interface DeployKind extends AutoCloseable {
    /** The steps in deploy order (destroy runs them in reverse). */
    List<Step> steps();

    /**
     * Input checks and preparation that come before any write (build command when {@code build}, site hashing, image
     * source).
     */
    void prepare(DeployListener listener, boolean build);

    /** The plan from the steps' resource changes. */
    Plan plan(List<Plan.ResourceChange> changes);

    /** What the deploy did. */
    Deployment deployment(Run run, Plan plan, Duration took);

    /** Whether a destroy found nothing at all of the project. */
    boolean foundNothing();

    /**
     * Ends what the kind started for the run alone: waits for background reads nobody took, deletes the full stack's
     * placeholder page; never fails.
     */
    @Override
    default void close() {
    }

    static DeployKind of(StaticSite site) {
        return new DeployKind() {
            @Override
            public List<Step> steps() {
                return site.steps();
            }

            @Override
            public void prepare(DeployListener listener, boolean build) {
                site.prepare(listener, build);
            }

            @Override
            public Plan plan(List<Plan.ResourceChange> changes) {
                return site.plan(changes);
            }

            @Override
            public Deployment deployment(Run run, Plan plan, Duration took) {
                return site.deployment(run, plan, took);
            }

            @Override
            public boolean foundNothing() {
                return site.foundNothing();
            }

            @Override
            public void close() {
                site.close();
            }
        };
    }

    static DeployKind of(FullStack stack) {
        return new DeployKind() {
            @Override
            public List<Step> steps() {
                return stack.steps();
            }

            @Override
            public void prepare(DeployListener listener, boolean build) {
                stack.prepare(listener, build);
            }

            @Override
            public Plan plan(List<Plan.ResourceChange> changes) {
                return stack.plan(changes);
            }

            @Override
            public Deployment deployment(Run run, Plan plan, Duration took) {
                return stack.deployment(run, plan, took);
            }

            @Override
            public boolean foundNothing() {
                return stack.foundNothing();
            }

            @Override
            public void close() {
                stack.close();
            }
        };
    }
}
