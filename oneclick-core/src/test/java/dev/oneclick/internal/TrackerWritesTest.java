package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.Deployment;
import dev.oneclick.fakes.FakeCloudFront;
import dev.oneclick.fakes.FakeS3Control;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How often a deploy writes the tracker record, counted on the wire: an {@link ExecutionInterceptor} on the
 * tracker's DynamoDB client (dynalite, or LocalStack where Docker runs) notes every request that succeeded (a
 * conditional write whose condition failed changed nothing and is not counted).
 * CloudFront and the bucket controls are the in-memory fakes, the objects go to the local S3 endpoint.
 */
@ExtendWith(LocalAwsExtension.class)
class TrackerWritesTest {
    private static final String USER = "user-writes";
    private final LocalAws aws;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final FakeCloudFront cloudFront = new FakeCloudFront();
    private FakeS3Control s3;
    private DeploymentTracker tracker;
    private String guid;
    private Path site;

    @TempDir
    Path tmp;

    TrackerWritesTest(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeEach
    void setUp() throws IOException {
        guid = UUID.randomUUID().toString();
        DynamoDbClient ddb = aws.dynamoDbClientBuilder().overrideConfiguration(o -> o.addExecutionInterceptor(
                new ExecutionInterceptor() {
                    @Override
                    public void afterExecution(Context.AfterExecution context, ExecutionAttributes a) {
                        requests.add(a.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                    }
                })).build();
        opened.add(ddb);
        s3 = new FakeS3Control(aws.s3Client());
        tracker = DeploymentTracker.builder().dynamoDbClient(ddb).tableName("writes-tests")
                .pollInterval(Duration.ofMillis(50)).build();
        tracker.ensureTable();
        site = tmp.resolve("dist");
        for (String[] f : new String[][] {{"index.html", "<!doctype html><title>app</title>"},
                {"assets/app.3f9a2b1c.js", "console.log('hi');"}, {"favicon.ico", "ico"}}) {
            Path p = site.resolve(f[0]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f[1], StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private DefaultDeployer deployer() {
        DefaultDeployer d = DefaultDeployer.builder().region("us-east-1")
                .s3Client(s3).s3AsyncClient(aws.s3AsyncClient())
                .cloudFrontClient(cloudFront).tracker(tracker).concurrency(4)
                .pollInterval(Duration.ZERO).sleeper(x -> { }).build();
        opened.add(d);
        return d;
    }

    private DeployRequest request() {
        return DeployRequest.builder().guid(guid).userId(USER).projectName("Writes").siteDir(site).build();
    }

    /** The record writes among the requests sent so far. */
    private List<String> writes() {
        synchronized (requests) {
            return requests.stream().filter(op -> op.equals("PutItem") || op.equals("UpdateItem")
                    || op.equals("DeleteItem")).toList();
        }
    }

    @Test
    void deploy_whenNothingChanged_writesTheRecordTwiceTakingAndGivingBackTheLease() {
        deployer().deploy(request());
        requests.clear();

        Deployment d = deployer().deploy(request());

        assertEquals(0, d.filesUploaded());
        assertTrue(d.created().isEmpty(), d.created().toString());
        assertEquals(List.of("UpdateItem", "UpdateItem"), writes(), requests + " " + d.plan());
        assertTrue(tracker.get(USER, guid).orElseThrow().lease().isEmpty(), "the lease was given back");
    }

    @Test
    void deploy_whenFirstRun_writesTheRecordOncePerCreatedResourceBesidesTheLeaseAndTheStatus() {
        requests.clear();

        Deployment d = deployer().deploy(request());

        // bucket, origin access control, routing function, distribution
        assertEquals(4, d.created().size(), d.created().toString());
        // the lease (PutItem: the record is new), DEPLOYING before the first change, one per created resource, and
        // DEPLOYED given back with the lease in one write
        assertEquals(d.created().size() + 3, writes().size(), requests.toString());
        assertEquals("PutItem", writes().get(0), requests.toString());
        assertTrue(tracker.get(USER, guid).orElseThrow().lease().isEmpty(), "the lease was given back");
    }
}
