package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.Moto;
import dev.oneclick.tracking.DeploymentTracker;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code oneclick:plan} of a full stack without a frontend (no siteDir, no dist/ or build/, an existing image), every
 * AWS service at moto through {@code oneclick.awsEndpoint}: the plan names the bucket (no "bucket null"), lists the
 * distribution to create and the placeholder page to upload.
 */
class PlanBackendOnlyMotoTest {
    @Test
    void plan_fullStackWithoutFrontend_printsBucketDistributionAndPlaceholderPage() throws Exception {
        String guid = UUID.randomUUID().toString();
        String table = "plan-backend-only";
        try (Moto moto = Moto.builder().start();
                DynamoDbClient dynamo = moto.configure(DynamoDbClient.builder()).build()) {
            DeploymentTracker.builder().dynamoDbClient(dynamo).tableName(table).build().ensureTable();
            PlanMojo m = new PlanMojo();
            MojoParametersTest.CapturingLog log = new MojoParametersTest.CapturingLog();
            m.setLog(log);
            m.guid = guid;
            m.userId = "alice";
            m.target = "aws";
            m.region = "us-east-1";
            m.awsEndpoint = moto.endpoint().toString();
            m.tableName = table;
            m.cdn = true;
            m.prune = true;
            m.maxDeletes = 1000;
            m.kind = "fullstack";
            m.image = "public.ecr.aws/docker/library/httpd:2.4";
            String id = System.getProperty("aws.accessKeyId");
            String key = System.getProperty("aws.secretAccessKey");
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
            try {
                m.execute();
            } finally {
                restore("aws.accessKeyId", id);
                restore("aws.secretAccessKey", key);
            }
            String out = String.join("\n", log.infos);
            assertTrue(log.infos.contains("Plan for " + guid + " (bucket tmux-builder-" + guid + "):"), out);
            assertFalse(out.contains("null"), out);
            assertTrue(log.infos.stream().anyMatch(l -> l.startsWith("  CREATE CloudFront distribution")), out);
            assertTrue(log.infos.stream().anyMatch(l -> l.startsWith("  upload index.html (NEW")), out);
            assertTrue(out.contains("placeholder page"), out);
            assertEquals(1, log.infos.stream().filter(l -> l.startsWith("Plan: 1 to upload")).count(), out);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
