package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.local.Moto;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deployments table has a region of its own: moto keeps DynamoDB tables per region, so a record written in the
 * wrong region is not found where the original plan's client (us-east-1) reads. The deployer builds its own DynamoDB
 * client here (no tracker or client injected), so the region is the one {@code ClientFactory} picks.
 */
class TableRegionMotoTest {
    private static final String USER = "user-region";
    private static Moto moto;

    @TempDir
    Path tmp;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        moto = Moto.start();
    }

    @AfterAll
    static void stop() {
        moto.close();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        opened.add(c);
        return c;
    }

    private DynamoDbClient dynamoDb(Region region) {
        return keep(moto.configure(DynamoDbClient.builder()).region(region)
                .httpClientBuilder(ApacheHttpClient.builder()).build());
    }

    /** A deployer for eu-west-1 whose DynamoDB client the deployer builds itself, on moto. */
    private DefaultDeployer deployer(DeployerBuilder b) {
        S3Client s3 = keep(moto.configure(S3Client.builder()).region(Region.EU_WEST_1)
                .httpClientBuilder(ApacheHttpClient.builder().expectContinueEnabled(false)).build());
        S3AsyncClient s3Async = keep(moto.configure(S3AsyncClient.builder()).region(Region.EU_WEST_1).build());
        CloudFrontClient cf = keep(moto.configure(CloudFrontClient.builder())
                .httpClientBuilder(ApacheHttpClient.builder().expectContinueEnabled(false)).build());
        return keep(b.region("eu-west-1").s3Client(s3).s3AsyncClient(s3Async).cloudFrontClient(cf)
                .credentialsProvider(moto.credentialsProvider())
                .endpointOverride(Deployer.Service.DYNAMODB, moto.endpoint())
                .concurrency(4).pollInterval(Duration.ZERO).sleeper(d -> { }).build());
    }

    private DeployRequest request(String guid) throws IOException {
        Path site = Files.createDirectories(tmp.resolve("dist"));
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>eu</title>");
        return DeployRequest.builder().guid(guid).userId(USER).siteDir(site).routing(DeployRequest.Routing.ALL)
                .build();
    }

    @Test
    void deploy_toEuWest1WithDefaultSettings_isRecordedInTheUsEast1Table() throws IOException {
        String guid = UUID.randomUUID().toString();
        String table = "regions-" + guid.substring(0, 8);

        deployer(DefaultDeployer.builder().tableName(table)).deploy(request(guid));

        DeploymentRecord r = DeploymentTracker.builder().dynamoDbClient(dynamoDb(Region.US_EAST_1)).tableName(table)
                .build().get(USER, guid).orElseThrow();
        assertEquals("eu-west-1", r.awsResources().region().orElseThrow());
        assertEquals("tmux-builder-" + guid, r.awsResources().s3Bucket().orElseThrow());
        assertFalse(dynamoDb(Region.EU_WEST_1).listTables().tableNames().contains(table),
                "the table was created in the resources' region");
    }

    @Test
    void deploy_withTableRegionSet_writesTheTableThere() throws IOException {
        String guid = UUID.randomUUID().toString();
        String table = "regions-" + guid.substring(0, 8);

        deployer(DefaultDeployer.builder().tableName(table).tableRegion("ap-southeast-2")).deploy(request(guid));

        assertTrue(DeploymentTracker.builder().dynamoDbClient(dynamoDb(Region.AP_SOUTHEAST_2)).tableName(table)
                .build().get(USER, guid).isPresent());
        assertFalse(dynamoDb(Region.US_EAST_1).listTables().tableNames().contains(table));
    }
}
