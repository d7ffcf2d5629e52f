package dev.oneclick.maven;

import dev.oneclick.Deployer;
import dev.oneclick.maven.internal.LocalTarget;
import dev.oneclick.maven.internal.Target;
import dev.oneclick.tracking.DeploymentRecord;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Removes every resource of the project (found through the tracked record and the tags) and marks the record
 * DESTROYED. Safe to rerun.
 */
@Mojo(name = "destroy", requiresProject = false, threadSafe = true)
public class DestroyMojo extends AbstractOneclickMojo {

    @Override
    protected String goal() {
        return "destroy";
    }

    @Override
    protected void run(Target target) {
        String g = checkedGuid();
        String user = effectiveUserId();
        LocalTarget local = target == Target.LOCAL ? localTarget() : null;
        if (local != null) {
            warnIfNotDeployedLocally(local, g, user);
        }
        DeploymentRecord record;
        try (Deployer deployer = deployer(target, listener())) {
            record = deployer.destroy(g, user);
        }
        if (local != null) {
            record.awsResources().s3Bucket().ifPresent(local::stopPreview);
        }
        getLog().info("Destroyed " + g + ": status " + record.status().map(Enum::name).orElse("(none)"));
        logRecord(record);
    }
}
