package dev.oneclick.maven;

import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.Deployment;
import dev.oneclick.local.LocalSitePreview;
import dev.oneclick.maven.internal.LocalTarget;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.maven.internal.MavenLogListener;
import dev.oneclick.maven.internal.NotifySender;
import dev.oneclick.maven.internal.Target;
import dev.oneclick.maven.internal.Timings;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.oneclick.maven.internal.LastDeploy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Deploys the built site: creates or repairs the project's bucket, CloudFront distribution and tracker record,
 * uploads the files that changed, deletes the ones removed, invalidates what changed, and writes the resources
 * JSON. With {@code -Doneclick.target=local} it deploys into local emulators and serves the site on a local URL.
 */
@Mojo(name = "deploy", requiresProject = false, threadSafe = true)
public class DeployMojo extends AbstractStackMojo {

    /**
     * Where the resources JSON is written; default {@code ${project.build.directory}/oneclick/resources.json}, or
     * {@code ./target/oneclick/resources.json} without a POM. A relative path is resolved against the project folder.
     */
    @Parameter(property = "oneclick.outputFile")
    protected File outputFile;

    /** With target=local: whether deploy keeps serving the preview until interrupted (Ctrl+C). */
    @Parameter(property = "oneclick.local.keepRunning", defaultValue = "true")
    protected boolean localKeepRunning;

    /** With target=local: the preview port on 127.0.0.1; 0 picks a free one. */
    @Parameter(property = "oneclick.local.port", defaultValue = "0")
    protected int localPort;

    @Override
    protected String goal() {
        return "deploy";
    }

    @Override
    protected boolean forkable() {
        return true;
    }

    @Override
    protected void run(Target target) throws MojoExecutionException {
        String g = checkedGuid();
        checkUserIdIfSet();
        DeployRequest request = request(g, null);
        checkIndexDocument(request);
        if (localPort < 0 || localPort > 65535) {
            throw new InvalidInputException("local.port", "The preview port must be 0-65535, not "
                    + localPort + ".");
        }
        String secret = notifyUrl == null || notifyUrl.isBlank() ? null : notifySecretFor(g, false);
        NotifySender notifier = secret == null ? null : new NotifySender(checkedNotifyUrl(), secret, notifyKeyId(), 3,
                Duration.ofSeconds(1));
        if (target == Target.LOCAL && request.kind() == DeployRequest.Kind.FULL_STACK) {
            LocalTarget.checkRunsLocally(request.backend());
            LocalTarget local = localTarget();
            String owner;
            try (Deployer deployer = deployer(target, listener())) {
                owner = effectiveUserId(g, deployer);
            }
            new LocalFullStackDeploy(this, local, g, owner).run(request.toBuilder().userId(owner).build());
            return;
        }
        LocalTarget local = target == Target.LOCAL ? localTarget() : null;
        MavenLogListener listener = listener();
        Deployment deployment;
        String user;
        try (Deployer deployer = deployer(target, listener)) {
            user = effectiveUserId(g, deployer);
            request = request.toBuilder().userId(user).build();
            deployment = deployer.deploy(request);
            Timings.mark(getLog(), "last step done");
        }
        Timings.mark(getLog(), "clients closed");
        AwsResources resources = deployment.resources();
        String url = deployment.url();
        DeploymentRecord record = null;
        if (local != null) {
            local.markDeployed(g);
            String bucket = resources.s3Bucket().orElse(deployment.plan().bucket());
            LocalSitePreview preview = local.preview(bucket, request.routing(), request.indexDocument(), localPort);
            url = preview.url().toString();
            AwsResources site = AwsResources.builder().siteUrl(url).build();
            // no record write when the preview has the recorded address (a fixed port): a no-op stays a no-op
            java.util.Optional<DeploymentRecord> current = local.tracker(tableName).get(user, g);
            record = current.isPresent() && current.get().awsResources().siteUrl().equals(java.util.Optional.of(url))
                    ? current.get()
                    : local.tracker(tableName).recordResources(user, g, request.projectName(), site);
            resources = resources.merge(site);
        }
        Path out = outputFile();
        writeResources(out, resources);
        List<String> changes = LastDeploy.changesOf(deployment);
        summary(deployment, url, out, changes, local, g);
        Timings.mark(getLog(), "summary logged");
        writeLastDeploy(new LastDeploy(g, Instant.now(), changes, record == null ? -1 : record.version()));
        if (notifier != null) {
            int code = notifier.sendResources(g, resources);
            getLog().info("Sent the resources event to " + notifyUrl + " (HTTP " + code
                    + (code == 409 ? ": the server already had it" : "") + ")");
        } else if (notifyUrl != null && !notifyUrl.isBlank()) {
            getLog().warn("oneclick.notifyUrl is set but neither oneclick.notifySecretFile nor ONECLICK_NOTIFY_SECRET:"
                    + " the resources event was not sent.");
        }
        if (local != null) {
            if (record != null) {
                logRecord(record);
            }
            getLog().info("Local preview of " + g + ": " + url);
            if (localKeepRunning) {
                getLog().info("Serving " + url + " until interrupted (Ctrl+C); -Doneclick.local.keepRunning=false "
                        + "returns at once. The local state is kept in " + (local.stateDir() == null
                        ? "LocalStack and ends when this Maven run ends." : local.stateDir() + "."));
                local.awaitShutdown();
            }
        }
    }

    private String checkedNotifyUrl() {
        try {
            URI uri = new URI(notifyUrl.trim());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(notifyUrl, "an http(s) URL with a host is needed");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new InvalidInputException("notifyUrl", "The notify URL '" + notifyUrl + "' is not an http(s) URL "
                    + "such as http://localhost:8082: " + e.getReason() + ".");
        }
    }

    Path outputFile() {
        File f = outputFile != null ? outputFile : new File(buildDirectory(), "oneclick/resources.json");
        return f.isAbsolute() ? f.toPath() : baseDir().resolve(f.toPath());
    }

    void writeResources(Path out, AwsResources resources) throws MojoExecutionException {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, resources.toPrettyJson() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the resources JSON to " + out
                    + " (set oneclick.outputFile to a writable path): " + e.getMessage(), e);
        }
    }

    private void writeLastDeploy(LastDeploy last) {
        try {
            last.write(lastDeployFile());
        } catch (IOException | RuntimeException e) {
            getLog().debug("Cannot note the deploy in " + lastDeployFile() + ": " + e);
        }
    }

    void summary(Deployment d, String url, Path out, List<String> changes, LocalTarget local, String g) {
        getLog().info("oneclick deploy of " + d.guid() + " finished in "
                + String.format(Locale.ROOT, "%.1f s", d.elapsed().toMillis() / 1000.0));
        getLog().info("  Changes:     " + LastDeploy.describeChanges(changes));
        if (local != null) {
            getLog().info("  GUID:        " + g + (guidSource() != null ? " (" + guidSource() + ")" : ""));
            getLog().info("  Local state: " + (local.stateDir() == null ? "in LocalStack (ends with this Maven run)"
                    : local.stateDir() + (localDir == null || localDir.isBlank() ? " (the default, shared by "
                            + "every checkout of this user; -Doneclick.local.dir=<folder> gives one its own)" : "")));
        }
        getLog().info("  Created:     " + list(d.created()));
        getLog().info("  Reused:      " + list(d.reused()));
        getLog().info("  Files: " + d.filesUploaded() + " uploaded (" + d.bytesUploaded() + " bytes), "
                + d.headersUpdated() + " headers updated, " + d.filesDeleted() + " deleted, " + d.filesUnchanged()
                + " unchanged" + (d.plan().excluded().isEmpty() ? "" : ", " + d.plan().excluded().size()
                + " excluded (oneclick:plan lists them)"));
        getLog().info("  Invalidated: " + list(d.invalidatedPaths())
                + d.invalidation().map(id -> " (" + id + ")").orElse(""));
        getLog().info("  URL:         " + (url == null ? "(none)" : url));
        getLog().info("  Resources:   " + out);
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : String.join(", ", items);
    }
}
