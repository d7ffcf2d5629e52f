package dev.oneclick.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A child JVM's main: deploys a site (S3-compatible endpoint, no CDN) and halts the JVM (no shutdown hooks, no
 * lease release) at its first uploaded file, as a crashed or killed run would. Arguments: S3 endpoint, DynamoDB
 * endpoint, table, user id, GUID, site folder, lease duration in milliseconds.
 */
public final class CrashingDeploy {
    private CrashingDeploy() {
    }

    public static void main(String[] args) {
        DeployListener halt = new DeployListener() {
            @Override
            public void fileUploaded(FileUploaded e) {
                System.out.println("HALTING after " + e.key());
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
        };
        Deployer d = DefaultDeployer.builder().region("us-east-1")
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(Deployer.Service.S3, URI.create(args[0]))
                .endpointOverride(Deployer.Service.DYNAMODB, URI.create(args[1]))
                .s3Compatible(true).cdnEnabled(false).tableName(args[2]).concurrency(1)
                .leaseDuration(Duration.ofMillis(Long.parseLong(args[6]))).listener(halt).build();
        d.deploy(DeployRequest.builder().guid(args[4]).userId(args[3]).siteDir(Path.of(args[5])).build());
        System.out.println("NOT HALTED");
        Runtime.getRuntime().halt(0);
    }
}
