package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.oneclick.Plan;
import dev.oneclick.Plan.FileChange;
import dev.oneclick.Plan.ResourceChange;
import dev.oneclick.Plan.ResourceChange.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanLinesTest {
    private static final String GUID = "3f2b8c1e-1d2a-4c3b-9e8f-0a1b2c3d4e5f";
    private static final String BUCKET = "tmux-builder-" + GUID;

    /** The shape of a first plan of a backend without a frontend: the stack, then the placeholder page's site. */
    @Test
    void of_backendOnlyStack_namesTheBucketAndListsTheDistributionAndThePlaceholderPage() {
        Plan plan = new Plan(GUID, BUCKET, List.of(
                new ResourceChange("ECS service", "tmux-" + GUID + "-backend", Action.CREATE, ""),
                new ResourceChange("S3 bucket", BUCKET, Action.CREATE, null),
                new ResourceChange("CloudFront distribution", BUCKET, Action.CREATE, "/api/* to the load balancer")),
                List.of(new FileChange("index.html", 512, FileChange.Reason.NEW)), List.of(), List.of(), 0,
                List.of());
        assertEquals(List.of(
                "Plan for " + GUID + " (bucket " + BUCKET + "):",
                "  CREATE ECS service tmux-" + GUID + "-backend",
                "  CREATE S3 bucket " + BUCKET,
                "  CREATE CloudFront distribution " + BUCKET + " (/api/* to the load balancer)",
                "  upload index.html (NEW, 512 bytes)",
                "Plan: 1 to upload (512 bytes), 0 header updates, 0 to delete, 0 unchanged"), PlanLines.of(plan));
    }

    /** A full stack with the CDN off and no frontend has no bucket: the header names the project only. */
    @Test
    void of_planWithoutBucket_printsNoNullBucket() {
        Plan plan = new Plan(GUID, null, List.of(new ResourceChange("ECS cluster", "tmux-" + GUID, Action.KEEP, "")),
                List.of(), List.of(), List.of(), 0, List.of());
        List<String> lines = PlanLines.of(plan);
        assertEquals("Plan for " + GUID + ":", lines.get(0));
        assertFalse(String.join("\n", lines).contains("null"), lines.toString());
        assertEquals("Plan: 0 to upload (0 bytes), 0 header updates, 0 to delete, 0 unchanged (nothing to do)",
                lines.get(lines.size() - 1));
    }
}
