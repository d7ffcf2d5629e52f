package dev.oneclick.stack.internal;

import dev.oneclick.DeployRequest;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.stack.Backend;
import java.util.List;

/**
 * What the full stack's steps of one run share: the request and, as each step finds or makes its resource, what the
 * steps after it need. Step order (deploy; destroy runs it in reverse): image repository and image, log group,
 * network (subnets and the three security groups), load balancer (target group, listener), database, execution role
 * (it may read the database's secret), cluster, task definition, service (rollout), then the static site's steps with the load balancer as the
 * distribution's {@code /api/*} origin. Used by one thread at a time.
 */
public final class StackState {
    final StackClients clients;
    final DeployRequest request;
    /** The backend; null in a destroy (everything is then found by record, name and tags). */
    final Backend backend;
    final ProjectGuid projectGuid;
    final String guid;

    // image
    String repositoryUri;
    String imageDigest;
    /** {@code repositoryUri@digest}: what the task definition runs. */
    String imageUri;
    // logs and role
    String logGroup;
    String executionRoleArn;
    // network
    String vpcId;
    List<String> subnetIds = List.of();
    String albSecurityGroupId;
    String tasksSecurityGroupId;
    String dbSecurityGroupId;
    // load balancer
    String albArn;
    String albDnsName;
    String targetGroupArn;
    String listenerArn;
    /** The secret header value CloudFront sends to the load balancer (never logged; kept in the record as its hash). */
    String originSecret;
    // database
    String dbInstanceId;
    String dbHost;
    int dbPort;
    String dbSecretArn;
    // compute
    String clusterArn;
    String taskDefinitionArn;
    /** The plan or apply found or registered a new task definition revision: the service must roll it out. */
    boolean taskDefinitionChanges;
    /** The service was created or updated by this run: the rollout check waits for its deployment. */
    boolean serviceChanged;
    String serviceArn;

    /** Destroy: delete the database without its final snapshot. */
    boolean skipFinalSnapshot;
    // what a destroy found, so it can tell "nothing of the project exists"
    boolean foundAny;

    StackState(StackClients clients, DeployRequest request, ProjectGuid guid) {
        this.clients = clients;
        this.request = request;
        this.backend = request.backend();
        this.projectGuid = guid;
        this.guid = guid.value();
    }
}
