package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.oneclick.Deployer.Service;
import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One retry layer: the SDK's standard strategy configured in {@link ClientFactory} bounds how many requests one call
 * sends to an endpoint that never recovers (S3 answering 503 SlowDown, DynamoDB answering ThrottlingException). The
 * requests are counted on a loopback server. The strategy's backoff is replaced by "retry at once" so the test does
 * not wait; the bound (its attempts) is the factory's own.
 */
class RetryBoundTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private ClientFactory factory;

    private URI start(int status, String contentType, String body, Map<String, String> headers) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", contentType);
            headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : b.length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.closeQuietly();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    /** The factory's strategy with its attempts, retrying at once instead of backing off. */
    private static RetryStrategy noWait() {
        return ClientFactory.RETRY.toBuilder().backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately()).build();
    }

    private ClientFactory factory(Service service, URI endpoint) {
        factory = new ClientFactory("eu-west-1", "us-east-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("k",
                "s")), Map.of(service, endpoint), true, noWait());
        return factory;
    }

    @Test
    void s3Call_whenTheEndpointAlwaysAnswers503SlowDown_sendsAtMostTheSdkAttempts() throws IOException {
        URI endpoint = start(503, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown"
                + "</Code><Message>Please reduce your request rate.</Message></Error>", Map.of());
        S3Client s3 = factory(Service.S3, endpoint).s3();
        AwsCall call = AwsCall.standard(d -> { });

        AwsRequestException e = assertThrows(AwsRequestException.class, () -> call.run("S3", "GetBucketTagging",
                "b", () -> s3.getBucketTagging(r -> r.bucket("tmux-builder-x"))));

        assertEquals("SlowDown", e.errorCode());
        assertEquals(ClientFactory.SDK_MAX_ATTEMPTS, requests.get(), "requests that reached the endpoint");
    }

    @Test
    void trackerCall_whenDynamoDbAlwaysThrottles_sendsAtMostTheSdkAttempts() throws IOException {
        URI endpoint = start(400, "application/x-amz-json-1.0", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
                + "ThrottlingException\",\"message\":\"Rate of requests exceeds the allowed throughput.\"}", Map.of());
        DynamoDbClient ddb = factory(Service.DYNAMODB, endpoint).dynamoDb();
        DeploymentTracker tracker = DeploymentTracker.builder().dynamoDbClient(ddb).build();

        assertThrows(TrackerException.class, () -> tracker.get("user-1", UUID.randomUUID().toString()));

        assertEquals(ClientFactory.SDK_MAX_ATTEMPTS, requests.get(), "requests that reached the endpoint");
    }
}
