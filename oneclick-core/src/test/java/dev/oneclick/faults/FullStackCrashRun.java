package dev.oneclick.faults;

import dev.oneclick.DeployRequest;
import dev.oneclick.internal.DefaultDeployer;
import dev.oneclick.internal.DeployerBuilder;
import dev.oneclick.local.MotoClients;
import dev.oneclick.stack.Database;
import dev.oneclick.stack.ImageSource;
import dev.oneclick.stack.MotoEcsDeployments;
import dev.oneclick.tracking.DeploymentTracker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A child JVM's main for the full stack's crash-point sweep: a deploy or destroy of the full stack (an existing image,
 * a PostgreSQL database, a small frontend) against moto for every AWS service, with the record on dynalite; every
 * client, the ones the deployer builds from {@code awsEndpoint} included, carries a {@link HaltAfterMutatingCall}.
 * Halts with status {@value HaltAfterMutatingCall#HALT_STATUS} right after the N-th mutating call; when it runs to
 * the end it prints {@code COMPLETED mutating=M calls=...} and exits 0.
 *
 * <p>Arguments: as {@link CrashPointRun}'s: {@code deploy|destroy}, moto endpoint, DynamoDB endpoint, table, user
 * id, GUID, frontend folder, lease duration in milliseconds, N (0 = never halt).
 */
public final class FullStackCrashRun {
    static final String PROJECT = "CrashStack";

    private FullStackCrashRun() {
    }

    public static void main(String[] args) {
        URI motoEndpoint = URI.create(args[1]);
        HaltAfterMutatingCall halt = new HaltAfterMutatingCall(Integer.parseInt(args[8]));
        MotoClients moto = MotoClients.forEndpoint(motoEndpoint);
        DeploymentTracker tracker = DeploymentTracker.builder().dynamoDbClient(CrashPointRun.dynamoDb(URI.create(
                args[2]), halt)).tableName(args[3]).pollInterval(Duration.ofMillis(50)).build();
        CloudFrontClient cloudFront = moto.configure(CloudFrontClient.builder().overrideConfiguration(o -> o
                .addExecutionInterceptor(halt))).httpClientBuilder(MotoClients.syncHttp()).build();
        S3Client s3 = moto.configure(S3Client.builder().overrideConfiguration(o -> o.addExecutionInterceptor(halt)))
                .httpClientBuilder(MotoClients.syncHttp()).build();
        S3AsyncClient s3Async = moto.configure(S3AsyncClient.builder().overrideConfiguration(o -> o
                .addExecutionInterceptor(halt))).httpClientBuilder(NettyNioAsyncHttpClient.builder()).build();
        DefaultDeployer deployer = deployer(motoEndpoint, s3, s3Async, cloudFront, tracker)
                .addExecutionInterceptor(halt).leaseDuration(Duration.ofMillis(Long.parseLong(args[7]))).build();
        if (args[0].equals("deploy")) {
            deployer.deploy(request(args[5], args[4], Path.of(args[6])));
        } else {
            deployer.destroy(args[5], args[4], true);
        }
        System.out.println("COMPLETED mutating=" + halt.completed() + " calls=" + halt.calls());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /**
     * The full stack's deployer on moto: S3 and CloudFront through the given clients, every other service from
     * {@code awsEndpoint}, moto's ECS deployments corrected ({@link MotoEcsDeployments}).
     */
    static DeployerBuilder deployer(URI motoEndpoint, S3Client s3, S3AsyncClient s3Async, CloudFrontClient cloudFront,
            DeploymentTracker tracker) {
        return DefaultDeployer.builder().region("us-east-1").awsEndpoint(motoEndpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .s3Client(s3).s3AsyncClient(s3Async).cloudFrontClient(cloudFront).tracker(tracker).concurrency(2)
                .pollInterval(Duration.ZERO).sleeper(d -> { }).addExecutionInterceptor(new MotoEcsDeployments());
    }

    /** The full stack: an existing image (no push), PostgreSQL, the frontend in {@code site}. */
    static DeployRequest request(String guid, String user, Path site) {
        return DeployRequest.builder().guid(guid).userId(user).projectName(PROJECT).siteDir(site)
                .routing(DeployRequest.Routing.ALL) // moto serves no CloudFront Functions
                .backend(b -> b.image(ImageSource.image("public.ecr.aws/docker/library/httpd:2.4"))
                        .containerPort(8080).healthCheckPath("/api/health")
                        .database(Database.of(d -> d.engine(Database.Engine.POSTGRES).name("app"))))
                .build();
    }
}
