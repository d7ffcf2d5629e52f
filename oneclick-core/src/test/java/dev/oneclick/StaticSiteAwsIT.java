package dev.oneclick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.internal.aws.BucketManager;
import dev.oneclick.internal.aws.CdnManager;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

/**
 * Acceptance test against real AWS: deploys a tiny site under a random GUID, checks the distribution and the
 * bucket's privacy, and destroys everything (and its own tracker table) in a finally block.
 *
 * <p>Runs only in the {@code aws-it} profile ({@code ONECLICK_IT_AWS=1 mvn -pl oneclick-core -am verify -Paws-it})
 * with credentials from the default chain and the region from {@code AWS_REGION} (default us-east-1). Destroying a
 * CloudFront distribution waits for it to be disabled, which takes AWS several minutes. Without
 * {@code ONECLICK_IT_AWS=1} it fails at once rather than touching an account by accident.
 */
class StaticSiteAwsIT {
    @TempDir
    Path tmp;

    @BeforeAll
    static void requireOptIn() {
        if (!"1".equals(System.getenv("ONECLICK_IT_AWS"))) {
            throw new IllegalStateException("StaticSiteAwsIT creates and deletes real AWS resources: set "
                    + "ONECLICK_IT_AWS=1 to run it (and only run it through the aws-it profile).");
        }
    }

    @Test
    void deploy_thenDestroy_whenRealAws_servesPrivateBucketThroughCloudFrontAndCleansUp() throws Exception {
        String guid = UUID.randomUUID().toString();
        String user = "oneclick-it";
        String region = Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1");
        String table = "oneclick-it-" + guid.substring(0, 8);
        Path site = tmp.resolve("dist");
        Files.createDirectories(site.resolve("assets"));
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>oneclick it</title>");
        Files.writeString(site.resolve("assets/app.0a1b2c3d.js"), "console.log('it');");

        try (Deployer deployer = Deployer.builder().region(region).tableName(table).build();
                S3Client s3 = S3Client.builder().region(Region.of(region)).build();
                CloudFrontClient cf = CloudFrontClient.builder().region(Region.AWS_GLOBAL).build();
                DynamoDbClient ddb = DynamoDbClient.builder().region(Region.of(region)).build()) {
            String bucket = "tmux-builder-" + guid;
            try {
                Deployment d = deployer.deploy(r -> r.guid(guid).userId(user).siteDir(site));

                String distId = d.resources().cloudFrontId().orElseThrow();
                DistributionConfig c = cf.getDistributionConfig(g -> g.id(distId)).distributionConfig();
                assertEquals("tmux-builder-" + guid, c.comment());
                assertEquals(bucket + ".s3." + region + ".amazonaws.com", c.origins().items().get(0).domainName());
                assertEquals(d.resources().originAccessControlId().orElseThrow(),
                        c.origins().items().get(0).originAccessControlId());
                assertEquals("redirect-to-https", c.defaultCacheBehavior().viewerProtocolPolicyAsString());
                assertEquals(CdnManager.CACHING_OPTIMIZED, c.defaultCacheBehavior().cachePolicyId());
                assertEquals("index.html", c.defaultRootObject());

                PublicAccessBlockConfiguration pab = s3.getPublicAccessBlock(g -> g.bucket(bucket))
                        .publicAccessBlockConfiguration();
                assertTrue(pab.blockPublicAcls() && pab.ignorePublicAcls() && pab.blockPublicPolicy()
                        && pab.restrictPublicBuckets());
                assertEquals("BucketOwnerEnforced", s3.getBucketOwnershipControls(g -> g.bucket(bucket))
                        .ownershipControls().rules().get(0).objectOwnershipAsString());
                assertTrue(BucketManager.policyMatches(s3.getBucketPolicy(g -> g.bucket(bucket)).policy(), bucket,
                        d.resources().cloudFrontArn().orElseThrow()));

                // single-part uploads carry the scan's SHA-256, which S3 checked and kept (DirectS3)
                String sha256 = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
                        .getInstance("SHA-256").digest(Files.readAllBytes(site.resolve("index.html"))));
                assertEquals(sha256, s3.headObject(h -> h.bucket(bucket).key("index.html").checksumMode(
                        software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).checksumSHA256());

                HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("https://" + bucket + ".s3." + region + ".amazonaws.com/index.html")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, anonymous.statusCode(), "the bucket must not be readable without CloudFront");
            } finally {
                try (Deployer destroyer = dev.oneclick.internal.DefaultDeployer.builder().region(region)
                        .tableName(table).pollInterval(Duration.ofSeconds(20))
                        .destroyWaitTimeout(Duration.ofMinutes(40)).build()) {
                    DeploymentRecord rec = destroyer.destroy(guid, user);
                    assertEquals(Optional.of(DeploymentStatus.DESTROYED), rec.status(), rec.toString());
                } finally {
                    ddb.deleteTable(t -> t.tableName(table));
                }
            }
        }
    }
}
