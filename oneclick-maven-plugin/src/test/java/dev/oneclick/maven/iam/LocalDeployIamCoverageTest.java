package dev.oneclick.maven.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.maven.MojoRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the goals in-process against the local target (real SDK calls to s3proxy and dynalite) with every AWS call
 * recorded by {@link AwsOperationRecorder}, then checks each call against {@code docs/iam-policy.json}.
 */
class LocalDeployIamCoverageTest {
    private static final String GUID = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d";

    @TempDir
    Path dir;

    @Test
    void deployPlanStatusDestroy_whenRecorded_everyAwsOperationIsInThePolicy() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site/assets"));
        Files.writeString(dir.resolve("site/index.html"), "<!doctype html><title>x</title>");
        Files.writeString(site.resolve("app.0a1b2c3d.js"), "console.log(1)");
        MojoRunner run = new MojoRunner(GUID, dir.resolve("site"), dir.resolve("out/resources.json"));
        // Start the emulators first: their readiness probe (dynalite's ListTables) is not the deployer's call.
        run.startLocalTarget();
        AwsOperationRecorder.clear();
        run.deploy();
        Files.writeString(dir.resolve("site/index.html"), "<!doctype html><title>y</title>");
        run.deploy();
        run.plan();
        run.status();
        run.destroy();

        Set<AwsOperation> recorded = AwsOperationRecorder.recorded();
        Set<String> names = recorded.stream().map(o -> o.service() + ":" + o.operation()).collect(Collectors.toSet());
        System.out.println("AWS operations recorded: " + names.stream().sorted().toList());
        for (String expected : Set.of("S3:CreateBucket", "S3:PutObject", "S3:DeleteBucket", "DynamoDb:UpdateItem",
                "DynamoDb:GetItem")) {
            assertTrue(names.contains(expected), "the run recorded " + expected + ": " + names);
        }
        IamPolicy policy = IamPolicy.load(IamPolicyTest.POLICY);
        assertEquals(java.util.List.of(), policy.missing(recorded),
                "operations the deployer performed that docs/iam-policy.json does not allow");
    }
}
