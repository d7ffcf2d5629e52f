package dev.oneclick.internal;

import dev.oneclick.local.Backend;
import dev.oneclick.local.LocalAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link DeployerWireScenarios} against LocalStack (Testcontainers): S3 and DynamoDB in LocalStack, CloudFront and the
 * bucket controls through the fakes (LocalStack's free tier has no CloudFront). Needs a Docker engine; run with
 * {@code mvn -pl oneclick-core -am verify -Plocalstack-it}. Not part of the default build.
 */
class DeployerLocalStackIT extends DeployerWireScenarios {
    private static LocalAws aws;

    @BeforeAll
    static void startLocalStack() {
        aws = LocalAws.builder().backend(Backend.LOCALSTACK).start();
    }

    @AfterAll
    static void stopLocalStack() {
        if (aws != null) {
            aws.close();
        }
    }

    @Override
    LocalAws aws() {
        return aws;
    }
}
