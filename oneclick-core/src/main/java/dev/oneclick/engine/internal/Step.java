package dev.oneclick.engine.internal;

import dev.oneclick.Plan;
import java.util.List;
import java.util.Set;

/**
 * One resource kind of a deploy kind, in the manner of a Terraform resource: find it (by the id the engine recorded,
 * then by name and tags), decide whether it is this project's ({@link Ownership}), diff it against what the deploy
 * wants, create or repair it, delete it. A step instance serves one run: what {@link #plan} finds, {@link #apply}
 * uses. Steps of one kind share what later steps need (such as the bucket name or the distribution ARN) through an
 * object of that kind, never through the engine.
 */
public interface Step {
    /**
     * Finds the resource, checks that it is this project's and says what a deploy would do to it. Changes nothing.
     *
     * @return the resource changes to show in the plan (empty for a step with no resource of its own)
     * @throws dev.oneclick.errors.ResourceNotOwnedException when what it found is not this project's
     */
    List<Plan.ResourceChange> plan(Run run);

    /** Creates or repairs what {@link #plan} decided; records each resource through {@link Run#record} at once. */
    void apply(Run run);

    /**
     * Finds the resource for a destroy and checks that it is this project's, changing nothing; called for every step
     * (in reverse order) before any step's {@link #destroy}, so one foreign resource stops the destroy before it
     * deletes anything.
     *
     * @throws dev.oneclick.errors.ResourceNotOwnedException when what it found is not this project's
     */
    default void planDestroy(Run run) {
    }

    /** Deletes what {@link #planDestroy} found and removes its keys from the record ({@link Run#forget}). */
    default void destroy(Run run) {
    }

    /** The record keys this step writes, so the engine can point out reported values it will not act on. */
    default Set<String> recordKeys() {
        return Set.of();
    }
}
