package dev.oneclick.maven;

import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/** Runs the goals in-process with the local target, for tests outside this package. */
public final class MojoRunner {
    private final String guid;
    private final Path siteDir;
    private final Path outputFile;

    public MojoRunner(String guid, Path siteDir, Path outputFile) {
        this.guid = guid;
        this.siteDir = siteDir;
        this.outputFile = outputFile;
    }

    /**
     * The local state folder of this test JVM: under {@code target/}, one per JVM, so tests never touch
     * {@code ~/.oneclick/local} and parallel forks never share a folder.
     */
    public static Path localDir() {
        return Path.of("target", "oneclick-local-test-" + ProcessHandle.current().pid()).toAbsolutePath();
    }

    private <T extends AbstractOneclickMojo> T configure(T m) {
        m.guid = guid;
        m.localDir = localDir().toString();
        m.userId = "test-user";
        m.siteDir = siteDir.toString();
        m.target = "local";
        m.tableName = "tmux-deployments";
        m.prune = true;
        m.maxDeletes = 1000;
        m.spaFallback = true;
        return m;
    }

    /** Starts the local target of this JVM (the emulators), if not yet running. */
    public void startLocalTarget() {
        dev.oneclick.maven.internal.LocalTarget.get(new org.apache.maven.plugin.logging.SystemStreamLog(), null,
                localDir(), false);
    }

    public void deploy() throws MojoExecutionException, MojoFailureException {
        DeployMojo m = configure(new DeployMojo());
        m.outputFile = outputFile.toFile();
        m.localKeepRunning = false;
        m.execute();
    }

    public void plan() throws MojoExecutionException, MojoFailureException {
        configure(new PlanMojo()).execute();
    }

    public void status() throws MojoExecutionException, MojoFailureException {
        configure(new StatusMojo()).execute();
    }

    public void destroy() throws MojoExecutionException, MojoFailureException {
        configure(new DestroyMojo()).execute();
    }
}
