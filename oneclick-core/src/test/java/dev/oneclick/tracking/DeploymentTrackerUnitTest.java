package dev.oneclick.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.resources.AwsResources;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The tracker without a server: configuration, input checks, and an endpoint that does not answer. */
class DeploymentTrackerUnitTest {
    private static DynamoDbClient unreachable;
    private static int closedPort;

    @BeforeAll
    static void client() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        unreachable = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void close() {
        unreachable.close();
    }

    private static DeploymentTracker tracker() {
        return DeploymentTracker.builder().dynamoDbClient(unreachable).tableName("t-unit").build();
    }

    @Test
    void builder_whenNoTableName_usesTmuxDeployments() {
        assertEquals("tmux-deployments", DeploymentTracker.builder().dynamoDbClient(unreachable).build().tableName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "has space", "bad/name", "ünicode"})
    void builder_whenTableNameInvalid_throwsInvalidInputForTableName(String name) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DeploymentTracker.builder().dynamoDbClient(unreachable).tableName(name).build());
        assertEquals("tableName", e.field());
    }

    @Test
    void builder_whenNoClient_throwsNullPointer() {
        assertThrows(NullPointerException.class, () -> DeploymentTracker.builder().build());
    }

    @Test
    void builder_whenWaitTimeoutNotPositive_throwsInvalidInput() {
        assertThrows(InvalidInputException.class, () -> DeploymentTracker.builder().dynamoDbClient(unreachable)
                .tableWaitTimeout(Duration.ZERO).build());
    }

    @Test
    void calls_whenEndpointDoesNotAnswer_throwTrackerExceptionNamingTableAndOperation() {
        DeploymentTracker tracker = tracker();
        String guid = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";
        TrackerException get = assertThrows(TrackerException.class, () -> tracker.get("u", guid));
        assertTrue(get.getMessage().contains("Could not reach DynamoDB"), get.getMessage());
        assertTrue(get.getMessage().contains("'t-unit'") && get.getMessage().contains("GetItem"), get.getMessage());
        TrackerException ensure = assertThrows(TrackerException.class, tracker::ensureTable);
        assertTrue(ensure.getMessage().contains("DescribeTable"), ensure.getMessage());
        TrackerException save = assertThrows(TrackerException.class,
                () -> tracker.save("u", guid, "App", AwsResources.empty()));
        assertTrue(save.getMessage().contains("UpdateItem"), save.getMessage());
        TrackerException find = assertThrows(TrackerException.class, () -> tracker.findByProjectId(guid));
        assertTrue(find.getMessage().contains("projectId-index"), find.getMessage());
        assertTrue(find.getCause() != null);
    }

    @Test
    void writes_whenInputBad_throwInvalidInputWithoutCallingDynamoDb() {
        // the endpoint does not answer: reaching it would give a TrackerException, so these never called it
        DeploymentTracker tracker = tracker();
        assertEquals("userId", assertThrows(InvalidInputException.class,
                () -> tracker.save(" ", "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab", "a", AwsResources.empty())).field());
        assertThrows(InvalidGuidException.class, () -> tracker.recordResources("u", "../x", "a", AwsResources.empty()));
        assertThrows(InvalidGuidException.class, () -> tracker.get("u", "nope"));
        assertThrows(InvalidGuidException.class, () -> tracker.findByProjectId(null));
        assertEquals("userId", assertThrows(InvalidInputException.class, () -> tracker.listByUser("")).field());
    }
}
