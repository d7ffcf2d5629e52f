package dev.oneclick.internal;

import dev.oneclick.local.LocalAws;
import dev.oneclick.local.junit.LocalAwsExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DeployerWireScenarios} on the backend {@link LocalAws} picks: LocalStack where a Docker engine answers, else
 * dynalite and s3proxy (the test log says which).
 */
@ExtendWith(LocalAwsExtension.class)
class DeployerControlPlaneTest extends DeployerWireScenarios {
    private final LocalAws aws;

    DeployerControlPlaneTest(LocalAws aws) {
        this.aws = aws;
    }

    @Override
    LocalAws aws() {
        return aws;
    }
}
