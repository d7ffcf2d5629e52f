package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.site.CacheRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * A header-only change is applied by CopyObject only if the object is still the one the plan listed
 * ({@code copySourceIfMatch}): a concurrent writer who replaced the bytes in between makes the copy fail, and its
 * bytes are never stamped with this run's hash. On s3proxy, which honours {@code x-amz-copy-source-if-match} (moto
 * 5.2.1 does not: it checks only {@code x-amz-copy-source-if-none-match} on a copy).
 */
@org.junit.jupiter.api.extension.ExtendWith(dev.oneclick.local.junit.LocalAwsExtension.class)
class HeaderCopyGuardTest {
    @TempDir
    Path tmp;

    @Test
    void apply_whenAnotherWriterReplacedTheObjectAfterThePlan_failsTheHeaderCopyAndKeepsTheirBytesUnstamped(
            dev.oneclick.local.LocalAws aws)
            throws IOException {
        S3AsyncClient s3 = TestS3.client(aws, new TestS3.Counter());
        String bucket = "header-guard-" + ProcessHandle.current().pid();
        s3.createBucket(b -> b.bucket(bucket)).join();
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>home</title>", StandardCharsets.UTF_8);
        Files.writeString(site.resolve("notes.txt"), "first", StandardCharsets.UTF_8);
        SiteSync sync = new SiteSync(s3, 4, DeployListener.NONE, "guid");
        sync.apply(bucket, sync.plan(bucket, sync.scan(site, null), true, 1000, true));

        List<CacheRule> rules = List.of(new CacheRule("notes.txt", "public, max-age=60"));
        SyncPlan plan = sync.plan(bucket, sync.scan(site, rules), true, 1000, true);
        assertEquals(1, plan.headerUpdates().size(), plan.headerUpdates().toString());
        s3.putObject(b -> b.bucket(bucket).key("notes.txt").contentType("text/plain"),
                AsyncRequestBody.fromString("someone else's bytes")).join();

        OneclickException e = assertThrows(OneclickException.class, () -> sync.apply(bucket, plan));

        String meta = s3.headObject(b -> b.bucket(bucket).key("notes.txt")).join().metadata()
                .get(SiteSync.SHA256_METADATA);
        assertEquals(null, meta, "the other writer's object is not stamped with this run's hash: " + e.getMessage());
    }
}
