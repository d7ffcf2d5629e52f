package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.FolderLock;
import dev.oneclick.local.LocalAwsException;
import dev.oneclick.tracking.DeploymentStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/** The local target's state folder: kept across restarts, locked while in use, wiped on reset. */
class LocalTargetTest {
    private static final String GUID = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e";

    @Test
    void start_whenRestartedOnSameFolder_bucketAndRecordRemain(@TempDir Path dir) {
        LocalTarget first = LocalTarget.start(new SystemStreamLog(), dir, false);
        try {
            first.aws().s3Client().createBucket(b -> b.bucket("kept-bucket"));
            first.aws().s3Client().putObject(b -> b.bucket("kept-bucket").key("index.html"),
                    RequestBody.fromString("<h1>kept</h1>"));
            first.tracker("tmux-deployments").updateStatus("alice", GUID, "kept", DeploymentStatus.DEPLOYED, null);
        } finally {
            first.close();
        }

        LocalTarget second = LocalTarget.start(new SystemStreamLog(), dir, false);
        try {
            assertEquals(dir.toAbsolutePath().normalize(), second.stateDir());
            assertEquals("<h1>kept</h1>", second.aws().s3Client()
                    .getObjectAsBytes(b -> b.bucket("kept-bucket").key("index.html")).asUtf8String());
            assertEquals(DeploymentStatus.DEPLOYED,
                    second.tracker("tmux-deployments").get("alice", GUID).orElseThrow().status().orElseThrow());
            assertTrue(second.wasDeployed(GUID, "tmux-deployments", "alice"));
            assertFalse(second.wasDeployed(GUID, "tmux-deployments", "bob"));
        } finally {
            second.close();
        }
    }

    @Test
    void start_whenFolderLockedByAnotherRun_throwsNamingTheFolderAndTheParameter(@TempDir Path dir) {
        try (FolderLock other = FolderLock.acquire(dir, LocalTarget.LOCK_FILE, "the local state folder")) {
            LocalAwsException e = assertThrows(LocalAwsException.class,
                    () -> LocalTarget.start(new SystemStreamLog(), dir, false));
            assertTrue(e.getMessage().contains(dir.toAbsolutePath().normalize().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("in use by another Maven run"), e.getMessage());
            assertTrue(e.getMessage().contains("-Doneclick.local.dir"), e.getMessage());
            // Maven appends every cause's message it does not already contain: no cause, so it is said once
            assertEquals(null, e.getCause(), "the lock's own exception is suppressed, not the cause");
            assertEquals(1, e.getMessage().split("in use", -1).length - 1, e.getMessage());
        }
        LocalTarget free = LocalTarget.start(new SystemStreamLog(), dir, false);
        free.close();
    }

    @Test
    void start_whenReset_wipesBucketsAndTables(@TempDir Path dir) throws Exception {
        LocalTarget first = LocalTarget.start(new SystemStreamLog(), dir, false);
        try {
            first.aws().s3Client().createBucket(b -> b.bucket("wiped-bucket"));
            first.tracker("tmux-deployments").updateStatus("alice", GUID, "kept", DeploymentStatus.DEPLOYED, null);
        } finally {
            first.close();
        }
        Files.writeString(dir.resolve("unrelated.txt"), "not part of the state");

        LocalTarget reset = LocalTarget.start(new SystemStreamLog(), dir, true);
        try {
            assertTrue(reset.aws().s3Client().listBuckets().buckets().isEmpty());
            assertTrue(reset.aws().dynamoDbClient().listTables().tableNames().isEmpty());
        } finally {
            reset.close();
        }
        assertTrue(Files.isRegularFile(dir.resolve("unrelated.txt")), "reset only wipes s3/ and dynamodb/");
    }
}
