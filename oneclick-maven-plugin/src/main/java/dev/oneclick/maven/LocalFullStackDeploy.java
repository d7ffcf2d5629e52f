package dev.oneclick.maven;

import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.Deployment;
import dev.oneclick.local.LocalFullStack;
import dev.oneclick.maven.internal.LastDeploy;
import dev.oneclick.maven.internal.LocalTarget;
import dev.oneclick.maven.internal.Target;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.Log;

/**
 * {@code oneclick:deploy -Doneclick.target=local} of a full stack: the frontend (if any) deployed into the local S3
 * as a static site is, then {@link LocalTarget#fullStack} runs the database, the backend and the preview with
 * {@code /api/*} proxied; the record gets {@code siteUrl} and {@code apiUrl}; both URLs and the record are printed.
 */
final class LocalFullStackDeploy {
    private final DeployMojo mojo;
    private final LocalTarget local;
    private final String guid;
    private final String user;
    private final Log log;

    LocalFullStackDeploy(DeployMojo mojo, LocalTarget local, String guid, String user) {
        this.mojo = mojo;
        this.local = local;
        this.guid = guid;
        this.user = user;
        this.log = mojo.getLog();
    }

    void run(DeployRequest request) throws MojoExecutionException {
        Deployment deployment = null;
        String bucket = null;
        if (request.siteDir() != null || request.buildCommand() != null) {
            DeployRequest site = request.toBuilder().backend((dev.oneclick.stack.Backend) null).kind(DeployRequest.Kind.STATIC_SITE).build();
            try (Deployer deployer = mojo.deployer(Target.LOCAL, mojo.listener())) {
                deployment = deployer.deploy(site);
            }
            bucket = deployment.resources().s3Bucket().orElse(deployment.plan().bucket());
        }
        local.markDeployed(guid);
        log.info("Starting the backend " + request.backend().image() + (request.backend().database() == null ? ""
                : " with a local PostgreSQL (database " + request.backend().database().name() + ")") + " ...");
        LocalFullStack stack = local.fullStack(guid, bucket, request.backend(), request.routing(),
                request.indexDocument(), mojo.localPort);
        String url = stack.previewUrl().toString();
        AwsResources urls = AwsResources.builder().siteUrl(url).put("apiUrl", url + "api/").build();
        DeploymentRecord record = local.tracker(mojo.tableName).recordResources(user, guid, request.projectName(),
                urls);
        AwsResources resources = deployment == null ? urls : deployment.resources().merge(urls);
        Path out = mojo.outputFile();
        mojo.writeResources(out, resources);
        if (deployment != null) {
            List<String> changes = LastDeploy.changesOf(deployment);
            mojo.summary(deployment, url, out, changes, local, guid);
        } else {
            log.info("oneclick deploy of " + guid + " (full stack without a frontend: no site folder)");
            log.info("  Resources:   " + out);
        }
        mojo.logRecord(record);
        log.info("Local full stack of " + guid + ":");
        log.info("  Frontend:    " + url + (bucket == null ? " (no frontend: only /api/* answers)" : ""));
        log.info("  API:         " + url + "api/ -> backend " + stack.backendUrl() + " (pid " + stack.backend().pid()
                + ", PORT=" + stack.backend().port() + ", log " + stack.backend().logFile() + ")");
        if (stack.database() != null) {
            log.info("  Database:    " + stack.database() + " (handed over as DB_HOST, DB_PORT, DB_NAME, "
                    + "DB_USERNAME, DB_PASSWORD)");
        }
        if (mojo.localKeepRunning) {
            log.info("Serving " + url + " until interrupted (Ctrl+C); -Doneclick.local.keepRunning=false returns "
                    + "at once and stops the backend and the database.");
            local.awaitShutdown();
        }
    }
}
