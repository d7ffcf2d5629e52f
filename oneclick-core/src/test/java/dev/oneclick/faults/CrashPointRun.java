package dev.oneclick.faults;

import dev.oneclick.DeployRequest;
import dev.oneclick.internal.DefaultDeployer;
import dev.oneclick.local.MotoClients;
import dev.oneclick.tracking.DeploymentTracker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A child JVM's main for the crash-point sweep: a deploy or destroy of a static site against moto (S3 and CloudFront,
 * through {@link MotoClients}' corrections) with the record on dynalite, every client carrying a
 * {@link HaltAfterMutatingCall}. Halts with status {@value HaltAfterMutatingCall#HALT_STATUS} right after the N-th
 * mutating call; when it runs to the end it prints {@code COMPLETED mutating=M calls=...} and exits 0.
 *
 * <p>Arguments: {@code deploy|destroy}, moto endpoint, DynamoDB endpoint, table, user id, GUID, site folder (ignored
 * by destroy), lease duration in milliseconds, N (0 = never halt).
 */
public final class CrashPointRun {
    private CrashPointRun() {
    }

    public static void main(String[] args) {
        String mode = args[0];
        URI motoEndpoint = URI.create(args[1]);
        URI dynamoEndpoint = URI.create(args[2]);
        String table = args[3];
        String user = args[4];
        String guid = args[5];
        Path site = Path.of(args[6]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[7]));
        HaltAfterMutatingCall halt = new HaltAfterMutatingCall(Integer.parseInt(args[8]));
        MotoClients moto = MotoClients.forEndpoint(motoEndpoint);
        CloudFrontClient cloudFront = moto.configure(CloudFrontClient.builder().overrideConfiguration(o -> o
                .addExecutionInterceptor(halt))).httpClientBuilder(MotoClients.syncHttp()).build();
        S3Client s3 = moto.configure(S3Client.builder().overrideConfiguration(o -> o.addExecutionInterceptor(halt)))
                .httpClientBuilder(MotoClients.syncHttp()).build();
        S3AsyncClient s3Async = moto.configure(S3AsyncClient.builder().overrideConfiguration(o -> o
                .addExecutionInterceptor(halt))).httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
        DynamoDbClient dynamo = dynamoDb(dynamoEndpoint, halt);
        DeploymentTracker tracker = DeploymentTracker.builder().dynamoDbClient(dynamo).tableName(table)
                .pollInterval(Duration.ofMillis(50)).build();
        DefaultDeployer deployer = DefaultDeployer.builder().region("us-east-1").s3Client(s3).s3AsyncClient(s3Async)
                .cloudFrontClient(cloudFront).tracker(tracker).concurrency(2).pollInterval(Duration.ZERO)
                .leaseDuration(lease).build();
        if (mode.equals("deploy")) {
            deployer.deploy(DeployRequest.builder().guid(guid).userId(user).projectName("Crash").siteDir(site)
                    .routing(DeployRequest.Routing.ALL).build()); // moto serves no CloudFront Functions
        } else {
            deployer.destroy(guid, user);
        }
        System.out.println("COMPLETED mutating=" + halt.completed() + " calls=" + halt.calls());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    static DynamoDbClient dynamoDb(URI endpoint, ExecutionInterceptor interceptor) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(interceptor)).build();
    }
}
