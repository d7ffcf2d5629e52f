package dev.oneclick.stack.internal;

import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.naming.ResourceNames;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What the full stack's steps work with: the SDK clients (each built on its first call, so a static-site run never
 * builds them) and the deployer's settings.
 *
 * @param registryEndpoint where images are pushed instead of the ECR endpoint AWS returns (a local registry, a
 *         proxy), or null
 * @param pollInterval how often the rollout wait polls ECS
 */
public record StackClients(EcrClient ecr, EcsClient ecs, ElasticLoadBalancingV2Client elb, Ec2Client ec2,
        RdsClient rds, SecretsManagerClient secretsManager, CloudWatchLogsClient logs, IamClient iam, StsClient sts,
        AwsCall call, ResourceNames names, URI registryEndpoint, Duration pollInterval) {
}
