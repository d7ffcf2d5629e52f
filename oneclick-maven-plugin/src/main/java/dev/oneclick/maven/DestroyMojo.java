package dev.oneclick.maven;

import dev.oneclick.Deployer;
import dev.oneclick.maven.internal.LocalTarget;
import dev.oneclick.maven.internal.Target;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Removes every resource of the project (found through the tracked record and the tags) and marks the record
 * DESTROYED. Safe to rerun.
 */
@Mojo(name = "destroy", requiresProject = false, threadSafe = true)
public class DestroyMojo extends AbstractOneclickMojo {

    /**
     * Full stack: deletes the database without a final snapshot. By default destroy takes one first and records its
     * id, so the data can be restored.
     */
    @Parameter(property = "oneclick.skipFinalSnapshot", defaultValue = "false")
    protected boolean skipFinalSnapshot;

    @Override
    protected String goal() {
        return "destroy";
    }

    @Override
    protected boolean forkable() {
        return true;
    }

    @Override
    protected void run(Target target) {
        String g = checkedGuid();
        checkUserIdIfSet();
        LocalTarget local = target == Target.LOCAL ? localTarget() : null;
        DeploymentRecord record;
        boolean wasDestroyed;
        try (Deployer deployer = deployer(target, listener())) {
            String user = effectiveUserId(g, deployer);
            if (local != null) {
                warnIfNotDeployedLocally(local, g, user);
            }
            Optional<DeploymentRecord> before = local != null ? local.tracker(tableName).get(user, g)
                    : deployer.status(g, user);
            wasDestroyed = before.flatMap(DeploymentRecord::status).orElse(null) == DeploymentStatus.DESTROYED;
            record = deployer.destroy(g, user, skipFinalSnapshot);
        }
        if (local != null) {
            record.awsResources().s3Bucket().ifPresent(local::stopPreview);
        }
        if (wasDestroyed) {
            getLog().info("Project " + g + " is already destroyed: its record was DESTROYED before this run "
                    + "(this run looked again and removed whatever the log above lists, if anything).");
        } else {
            getLog().info("Destroyed " + g + ": status " + record.status().map(Enum::name).orElse("(none)"));
        }
        logRecord(record);
    }
}
