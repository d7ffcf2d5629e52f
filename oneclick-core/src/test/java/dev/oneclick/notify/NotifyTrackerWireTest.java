package dev.oneclick.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.ScriptHarness.Run;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * notify.sh (real bash and curl) against the receiver with the tracker-backed registry and store, on a real local
 * DynamoDB (dynalite, or LocalStack where Docker runs).
 */
@ExtendWith(LocalAwsExtension.class)
class NotifyTrackerWireTest {
    static final byte[] MASTER = "tracker-wire-master-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static DeploymentTracker tracker;

    @TempDir
    Path dir;
    com.sun.net.httpserver.HttpServer server;
    final List<NotifyEvent> published = Collections.synchronizedList(new ArrayList<>());
    final List<String> owners = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void createTable(DynamoDbClient dynamo) {
        tracker = DeploymentTracker.builder().dynamoDbClient(dynamo)
                .tableName("oneclick-test-notify-" + UUID.randomUUID().toString().substring(0, 8)).build();
        tracker.ensureTable();
    }

    @BeforeEach
    void start() throws IOException {
        NotifyReceiver receiver = NotifyReceiver.builder().masterKey(MASTER)
                .registry(ProjectRegistry.tracker(tracker)).store(ResourcesStore.tracker(tracker))
                .subscribers((owner, guid, event) -> {
                    owners.add(owner.userId());
                    published.add(event);
                }).build();
        server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/notify", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            NotifyResponse r = receiver.handle(exchange.getRequestHeaders(), body);
            byte[] out = r.jsonBody().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(r.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private Path script(ProjectGuid guid) {
        return NotifyScript.builder().guid(guid).serverUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .secret(NotifySecrets.forProject(MASTER, guid)).build().writeTo(dir);
    }

    @Test
    void notifyResources_whenProjectHasARecord_storesItsResourcesInDynamoDb() throws Exception {
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        tracker.updateStatus("user-42", guid.value(), "Shop", DeploymentStatus.DEPLOYING, null);
        String json = "{\"s3Bucket\":\"tmux-builder-" + guid + "\",\"cloudFrontId\":\"E2ABCDEF123456\","
                + "\"cloudFrontUrl\":\"https://d111111abcdef8.cloudfront.net\",\"region\":\"us-east-1\"}";

        Run run = ScriptHarness.run(script(guid), Map.of(), "resources", json);

        assertEquals(0, run.exitCode(), run.stderr());
        DeploymentRecord record = tracker.get("user-42", guid.value()).orElseThrow();
        assertEquals("tmux-builder-" + guid, record.awsResources().s3Bucket().orElseThrow());
        assertEquals("E2ABCDEF123456", record.awsResources().cloudFrontId().orElseThrow());
        assertEquals("Shop", record.projectName());
        assertEquals(1, published.size());
        assertEquals(record.awsResources(), published.get(0).resources());
    }

    @Test
    void notifyResources_whenReportNamesFewerKeys_keepsTheKeysTheDeployEngineRecorded() throws Exception {
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        // what the deploy engine recorded while it created the resources
        tracker.recordResources("user-42", guid.value(), "Shop", AwsResources.builder().s3Bucket("tmux-builder-" + guid)
                .cloudFrontId("E2ABCDEF123456").region("us-east-1").build());
        // the agent's report, as the plan's skill writes it: only the bucket and the URL
        String json = "{\"s3Bucket\":\"tmux-builder-" + guid + "\","
                + "\"cloudFrontUrl\":\"https://d111111abcdef8.cloudfront.net\"}";

        Run run = ScriptHarness.run(script(guid), Map.of(), "resources", json);

        assertEquals(0, run.exitCode(), run.stderr());
        AwsResources stored = tracker.get("user-42", guid.value()).orElseThrow().awsResources();
        assertEquals("E2ABCDEF123456", stored.cloudFrontId().orElseThrow(), "destroy still finds the distribution");
        assertEquals("us-east-1", stored.region().orElseThrow());
        assertEquals("https://d111111abcdef8.cloudfront.net", stored.cloudFrontUrl().orElseThrow());
    }

    @Test
    void notifyDeployedThenError_whenAccepted_storesStatusAndLastError() throws Exception {
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        tracker.updateStatus("user-42", guid.value(), "Shop", DeploymentStatus.DEPLOYING, null);

        Run deployed = ScriptHarness.run(script(guid), Map.of(), "deployed", "https://d111111abcdef8.cloudfront.net");

        assertEquals(0, deployed.exitCode(), deployed.stderr());
        DeploymentRecord afterDeployed = tracker.get("user-42", guid.value()).orElseThrow();
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), afterDeployed.status());

        Run error = ScriptHarness.run(script(guid), Map.of(), "error", "npm run build failed: <missing module>");

        assertEquals(0, error.exitCode(), error.stderr());
        DeploymentRecord afterError = tracker.get("user-42", guid.value()).orElseThrow();
        assertEquals(Optional.of(DeploymentStatus.FAILED), afterError.status());
        assertEquals(Optional.of("npm run build failed: <missing module>"), afterError.lastError());
        assertEquals("Shop", afterError.projectName());
        assertEquals(2, published.size());
    }

    @Test
    void notifyResources_whenAnotherUserWroteTheGuidLater_storesAndPublishesForTheFirstOwner() throws Exception {
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        tracker.save("zoe", guid.value(), "Zoe's shop", AwsResources.empty()); // the backend, at creation
        Thread.sleep(5);
        // a deploy run under the machine's user name writes (and keeps updating) its own record of the GUID
        tracker.recordResources("root", guid.value(), null, AwsResources.builder().region("us-east-1").build());
        tracker.updateStatus("root", guid.value(), null, DeploymentStatus.DEPLOYED, null);

        Run run = ScriptHarness.run(script(guid), Map.of(), "resources", "{\"s3Bucket\":\"tmux-builder-" + guid + "\"}");

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("tmux-builder-" + guid,
                tracker.get("zoe", guid.value()).orElseThrow().awsResources().s3Bucket().orElseThrow());
        assertEquals(Optional.empty(), tracker.get("root", guid.value()).orElseThrow().awsResources().s3Bucket());
        assertEquals(1, published.size());
        assertEquals("zoe", owners.get(0), "a user id sorting after root must still win by creation time");
    }

    @Test
    void notifyResources_whenProjectHasNoRecord_isRefused404AndNothingWritten() throws Exception {
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());

        Run run = ScriptHarness.run(script(guid), Map.of(), "resources", "{\"region\":\"us-east-1\"}");

        assertEquals(3, run.exitCode());
        assertTrue(run.stderr().contains("HTTP 404"), run.stderr());
        assertEquals(Optional.empty(), tracker.findByProjectId(guid.value()));
        assertEquals(0, published.size());
    }
}
