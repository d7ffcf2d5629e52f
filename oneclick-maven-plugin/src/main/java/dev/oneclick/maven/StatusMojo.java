package dev.oneclick.maven;

import dev.oneclick.Deployer;
import dev.oneclick.maven.internal.LocalTarget;
import dev.oneclick.maven.internal.Target;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.maven.internal.LastDeploy;
import dev.oneclick.resources.AwsResources;
import java.util.LinkedHashMap;
import java.util.Map;
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
        checkUserIdIfSet();
        String user;
        Optional<DeploymentRecord> record;
        boolean previewStopped = false;
        if (target == Target.LOCAL) {
            LocalTarget local = localTarget();
            user = effectiveUserId(g, () -> local.tracker(tableName).findAllByProjectId(g).stream()
                    .map(DeploymentRecord::userId).distinct().toList());
            warnIfNotDeployedLocally(local, g, user);
            record = local.tracker(tableName).get(user, g);
            previewStopped = record.isPresent() && record.get().awsResources().siteUrl().isPresent()
                    && !record.get().awsResources().s3Bucket().map(local::previewRunning).orElse(false);
        } else {
            try (Deployer deployer = deployer(target, listener())) {
                user = effectiveUserId(g, deployer);
                record = deployer.status(g, user);
            }
        }
        if (record.isEmpty()) {
            getLog().info("No deployment of " + g + " is recorded for user " + user + " in table " + tableName + ".");
            return;
        }
        DeploymentRecord r = record.get();
        if (previewStopped) {
            // the recorded siteUrl is the address of a preview that ended with its Maven run: no dead link
            Map<String, Object> shown = new LinkedHashMap<>(r.awsResources().asMap());
            shown.remove(AwsResources.SITE_URL);
            logRecord(r.toBuilder().awsResources(AwsResources.fromMap(shown)).build());
            getLog().info("Local preview: not running (a preview is served only while the Maven run of its deploy "
                    + "lasts). Start it with: mvn oneclick:deploy -Doneclick.target=local (it serves until Ctrl+C; "
                    + "-Doneclick.local.port=8080 for a fixed port).");
        } else {
            logRecord(r);
        }
        LastDeploy.read(lastDeployFile(), g).ifPresent(last -> getLog().info(last.describe(r.version())));
    }
}
