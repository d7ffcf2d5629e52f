package dev.oneclick.maven;

import dev.oneclick.Deployer;
import dev.oneclick.maven.internal.LocalTarget;
import dev.oneclick.maven.internal.Target;
import dev.oneclick.tracking.DeploymentRecord;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;

/** Prints the project's tracked record from the deployments table (status, resources, timestamps). */
@Mojo(name = "status", requiresProject = false, threadSafe = true)
public class StatusMojo extends AbstractOneclickMojo {

    @Override
    protected String goal() {
        return "status";
    }

    @Override
    protected void run(Target target) {
        String g = checkedGuid();
        String user = effectiveUserId();
        Optional<DeploymentRecord> record;
        if (target == Target.LOCAL) {
            LocalTarget local = localTarget();
            warnIfNotDeployedLocally(local, g, user);
            record = local.tracker(tableName).get(user, g);
        } else {
            try (Deployer deployer = deployer(target, listener())) {
                record = deployer.status(g, user);
            }
        }
        if (record.isEmpty()) {
            getLog().info("No deployment of " + g + " is recorded for user " + user + " in table " + tableName + ".");
            return;
        }
        logRecord(record.get());
    }
}
