package dev.oneclick.stack.internal;

import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.naming.ResourceNames;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
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
 * What the full stack's steps work with: the SDK clients (each built on its first use, so a static-site run never
 * builds them) and the deployer's settings.
 */
public final class StackClients {
    /** The clients, each behind a supplier that builds it on its first {@code get()}. */
    public record Suppliers(Supplier<EcrClient> ecr, Supplier<EcsClient> ecs,
            Supplier<ElasticLoadBalancingV2Client> elb, Supplier<Ec2Client> ec2, Supplier<RdsClient> rds,
            Supplier<SecretsManagerClient> secretsManager, Supplier<CloudWatchLogsClient> logs,
            Supplier<IamClient> iam, Supplier<StsClient> sts) {
    }

    private final Suppliers clients;
    private final AwsCall call;
    private final ResourceNames names;
    private final URI registryEndpoint;
    private final Duration pollInterval;

    /**
     * @param registryEndpoint where images are pushed instead of the ECR endpoint AWS returns (a local registry, a
     *         proxy), or null
     * @param pollInterval how often the rollout wait polls ECS
     */
    public StackClients(Suppliers clients, AwsCall call, ResourceNames names, URI registryEndpoint,
            Duration pollInterval) {
        this.clients = clients;
        this.call = call;
        this.names = names;
        this.registryEndpoint = registryEndpoint;
        this.pollInterval = pollInterval;
    }

    /** With clients already built (tests; a null client is one the caller's steps never use). */
    public StackClients(EcrClient ecr, EcsClient ecs, ElasticLoadBalancingV2Client elb, Ec2Client ec2, RdsClient rds,
            SecretsManagerClient secretsManager, CloudWatchLogsClient logs, IamClient iam, StsClient sts,
            AwsCall call, ResourceNames names, URI registryEndpoint, Duration pollInterval) {
        this(new Suppliers(() -> ecr, () -> ecs, () -> elb, () -> ec2, () -> rds, () -> secretsManager, () -> logs,
                () -> iam, () -> sts), call, names, registryEndpoint, pollInterval);
    }

    public EcrClient ecr() {
        return clients.ecr().get();
    }

    public EcsClient ecs() {
        return clients.ecs().get();
    }

    public ElasticLoadBalancingV2Client elb() {
        return clients.elb().get();
    }

    public Ec2Client ec2() {
        return clients.ec2().get();
    }

    public RdsClient rds() {
        return clients.rds().get();
    }

    public SecretsManagerClient secretsManager() {
        return clients.secretsManager().get();
    }

    public CloudWatchLogsClient logs() {
        return clients.logs().get();
    }

    public IamClient iam() {
        return clients.iam().get();
    }

    public StsClient sts() {
        return clients.sts().get();
    }

    public AwsCall call() {
        return call;
    }

    public ResourceNames names() {
        return names;
    }

    public URI registryEndpoint() {
        return registryEndpoint;
    }

    public Duration pollInterval() {
        return pollInterval;
    }
}
