package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.maven.internal.LocalTarget;
import dev.oneclick.maven.internal.UserIds;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code -Doneclick.userId}, the goals use the owner of the project's record when the GUID has exactly one
 * (a project a backend created), else the OS user name. Runs the goals with the local target (dynalite, s3proxy).
 */
class DefaultUserIdTest {
    private static final String TABLE = "tmux-deployments";

    @TempDir
    Path dir;

    private String guid;
    private DeploymentTracker tracker;

    @BeforeEach
    void setUp() throws Exception {
        guid = UUID.randomUUID().toString();
        Files.createDirectories(dir.resolve("dist"));
        Files.writeString(dir.resolve("dist/index.html"), "<!doctype html><title>owner</title>");
        new MojoRunner(guid, dir.resolve("dist"), dir.resolve("out.json")).startLocalTarget();
        tracker = LocalTarget.current().tracker(TABLE);
    }

    private <T extends AbstractOneclickMojo> T configure(T m) {
        m.guid = guid;
        m.localDir = MojoRunner.localDir().toString();
        m.siteDir = dir.resolve("dist").toString();
        m.target = "local";
        m.tableName = TABLE;
        m.prune = true;
        m.maxDeletes = 1000;
        m.spaFallback = true;
        return m;
    }

    private void deploy() throws Exception {
        DeployMojo m = configure(new DeployMojo());
        m.outputFile = dir.resolve("out.json").toFile();
        m.localKeepRunning = false;
        m.execute();
    }

    @Test
    void deploy_withoutUserIdWhenABackendCreatedTheRecord_deploysUnderTheRecordsOwner() throws Exception {
        tracker.save("backend-user-42", guid, "Made by the backend", AwsResources.empty());

        deploy();
        configure(new DestroyMojo()).execute();

        DeploymentRecord r = tracker.get("backend-user-42", guid).orElseThrow();
        assertEquals(Optional.of(DeploymentStatus.DESTROYED), r.status(), "destroy found the owner too");
        assertEquals(List.of("backend-user-42"), tracker.findAllByProjectId(guid).stream()
                .map(DeploymentRecord::userId).toList(), "no record under the OS user");
    }

    @Test
    void deploy_withoutUserIdAndWithoutRecord_deploysUnderTheOsUserName() throws Exception {
        deploy();

        String os = UserIds.fromUserName(System.getProperty("user.name"));
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), tracker.get(os, guid).orElseThrow().status());
        assertTrue(tracker.get(os, guid).orElseThrow().awsResources().s3Bucket().isPresent());
    }
}
