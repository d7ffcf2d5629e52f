package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import dev.oneclick.resources.AwsResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastDeployTest {
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    private static Deployment deployment(List<String> created, Plan.ResourceChange.Action bucket, int uploaded,
            int deleted, List<String> invalidated) {
        Plan plan = new Plan(GUID, "b", List.of(new Plan.ResourceChange("S3 bucket", "b", bucket, "")), List.of(),
                List.of(), List.of(), 3, List.of());
        return new Deployment(GUID, AwsResources.empty(), plan, created, List.of(), uploaded, uploaded * 10L, 0,
                deleted, 3, null, invalidated, null, Duration.ofSeconds(1));
    }

    @Test
    void changesOf_whenNothingChanged_isEmptyAndSaysNoChanges() {
        List<String> none = LastDeploy.changesOf(deployment(List.of(), Plan.ResourceChange.Action.KEEP, 0, 0,
                List.of()));
        assertEquals(List.of(), none);
        assertEquals("no changes (nothing created, repaired, uploaded or deleted)", LastDeploy.describeChanges(none));
    }

    @Test
    void changesOf_whenThingsChanged_listsThem() {
        List<String> some = LastDeploy.changesOf(deployment(List.of("S3 bucket: b"),
                Plan.ResourceChange.Action.REPAIR, 1, 2, List.of("/index.html")));
        assertEquals(List.of("1 created", "1 repaired", "1 file uploaded", "2 deleted", "1 paths invalidated"), some);
    }

    @Test
    void writeAndRead_whenSameGuid_roundTripsAndDescribes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("oneclick/last-deploy.properties");
        new LastDeploy(GUID, Instant.parse("2026-01-02T03:04:05Z"), List.of(), 12).write(file);
        LastDeploy read = LastDeploy.read(file, GUID).orElseThrow();
        assertEquals(12, read.version());
        assertEquals("Last deploy from this folder (2026-01-02T03:04:05Z): no changes (the record's version counts "
                + "its writes, not changes)", read.describe(12));
        assertTrue(read.describe(14).contains("the record was written again since (version 12 then, 14 now)"));
        assertEquals(Optional.empty(), LastDeploy.read(file, "another-guid"));
        Files.writeString(file, "garbage=1");
        assertEquals(Optional.empty(), LastDeploy.read(file, GUID));
    }
}
