package dev.oneclick.stack.internal;

import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.stack.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The RDS requests of the full stack's database: the DB subnet group and the instance (master password managed by RDS
 * in Secrets Manager, not publicly accessible, encrypted), waiting for it, and deleting it with or without a final
 * snapshot. Each request goes through {@link AwsCall}.
 */
final class RdsCalls {
    static final String SERVICE = "RDS";
    static final String MASTER_USER = "oneclick";
    private static final Set<String> INSTANCE_NOT_FOUND = Set.of("DBInstanceNotFound", "DBInstanceNotFoundFault");
    private static final Set<String> SUBNET_GROUP_NOT_FOUND = Set.of("DBSubnetGroupNotFound",
            "DBSubnetGroupNotFoundFault");
    private static final Set<String> SNAPSHOT_NOT_FOUND = Set.of("DBSnapshotNotFound", "DBSnapshotNotFoundFault");

    private final RdsClient rds;
    private final AwsCall call;
    private final Duration pollInterval;

    /**
     * An instance as found.
     *
     * @param secretArn the ARN of the master user's secret in Secrets Manager (RDS manages it), or null
     */
    record Instance(String id, String arn, String status, String engine, String host, Integer port, String dbName,
            String secretArn, boolean publiclyAccessible, boolean encrypted, List<String> securityGroups,
            Map<String, String> tags) {
    }

    /** What a new instance gets. */
    record Spec(String id, Database database, String subnetGroup, String securityGroupId) {
    }

    RdsCalls(RdsClient rds, AwsCall call, Duration pollInterval) {
        this.rds = rds;
        this.call = call;
        this.pollInterval = pollInterval;
    }

    /** The instance of that identifier, or empty. */
    Optional<Instance> instance(String id) {
        return Calls.orEmpty(call, SERVICE, "DescribeDBInstances", id, INSTANCE_NOT_FOUND, () -> rds
                .describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().stream().map(RdsCalls::instance)
                .findFirst().orElse(null));
    }

    /** Whether a DB subnet group of that name exists. */
    boolean subnetGroupExists(String name) {
        return Calls.orEmpty(call, SERVICE, "DescribeDBSubnetGroups", name, SUBNET_GROUP_NOT_FOUND, () -> rds
                .describeDBSubnetGroups(r -> r.dbSubnetGroupName(name)).dbSubnetGroups().stream().findFirst()
                .orElse(null)).isPresent();
    }

    /** Creates a DB subnet group over the subnets, tagged. */
    void createSubnetGroup(String name, List<String> subnetIds, String description, Map<String, String> tags) {
        call.exec(SERVICE, "CreateDBSubnetGroup", name, () -> rds.createDBSubnetGroup(r -> r.dbSubnetGroupName(name)
                .dbSubnetGroupDescription(description).subnetIds(subnetIds).tags(tags(tags))));
    }

    /** Deletes the DB subnet group; false when it was already gone. */
    boolean deleteSubnetGroup(String name) {
        return Calls.delete(call, SERVICE, "DeleteDBSubnetGroup", name, SUBNET_GROUP_NOT_FOUND, () -> rds
                .deleteDBSubnetGroup(r -> r.dbSubnetGroupName(name)));
    }

    /** Creates the instance: master password managed in Secrets Manager, private, encrypted, tagged. */
    Instance createInstance(Spec spec, Map<String, String> tags) {
        Database db = spec.database();
        return instance(call.run(SERVICE, "CreateDBInstance", spec.id(), () -> rds.createDBInstance(r -> r
                .dbInstanceIdentifier(spec.id()).engine(db.engine().rdsName()).dbInstanceClass(db.instanceClass())
                .allocatedStorage(db.storageGiB()).dbName(db.name()).masterUsername(MASTER_USER)
                .manageMasterUserPassword(true).publiclyAccessible(false).storageEncrypted(true)
                .dbSubnetGroupName(spec.subnetGroup()).vpcSecurityGroupIds(spec.securityGroupId())
                .port(db.engine().port()).backupRetentionPeriod(7).copyTagsToSnapshot(true)
                .tags(tags(tags)))).dbInstance());
    }

    /**
     * Waits (bounded) until the instance is {@code available} with an endpoint.
     *
     * @throws AwsRequestException when it is not available within {@code timeout}, or ends in a failed state
     */
    Instance waitAvailable(String id, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        while (true) {
            Optional<Instance> now = instance(id);
            if (now.isPresent() && "available".equals(now.get().status()) && now.get().host() != null) {
                return now.get();
            }
            String status = now.map(Instance::status).orElse("missing");
            if (status.equals("failed") || status.startsWith("incompatible") || status.equals("missing")
                    || Instant.now().isAfter(until)) {
                throw new AwsRequestException(SERVICE, "DescribeDBInstances", null, "RDS DB instance " + id
                        + " is " + status + ", not available" + (Instant.now().isAfter(until) ? " after " + timeout
                        + "; run deploy again to keep waiting" : "") + ".", null);
            }
            call.sleep(pollInterval, "waiting for RDS DB instance " + id + " to become available");
        }
    }

    /**
     * Deletes the instance, with a final snapshot named {@code snapshotId} unless it is null.
     *
     * @return false when it was already gone
     */
    boolean deleteInstance(String id, String snapshotId) {
        return Calls.delete(call, SERVICE, "DeleteDBInstance", id, INSTANCE_NOT_FOUND, () -> rds
                .deleteDBInstance(r -> {
                    r.dbInstanceIdentifier(id).deleteAutomatedBackups(true);
                    if (snapshotId == null) {
                        r.skipFinalSnapshot(true);
                    } else {
                        r.skipFinalSnapshot(false).finalDBSnapshotIdentifier(snapshotId);
                    }
                }));
    }

    /** Waits (bounded) until the instance is gone; false when it still exists after {@code timeout}. */
    boolean waitDeleted(String id, Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        while (instance(id).isPresent()) {
            if (Instant.now().isAfter(until)) {
                return false;
            }
            call.sleep(pollInterval, "waiting for RDS DB instance " + id + " to be deleted");
        }
        return true;
    }

    /** Whether a DB snapshot of that identifier exists. */
    boolean snapshotExists(String snapshotId) {
        return Calls.orEmpty(call, SERVICE, "DescribeDBSnapshots", snapshotId, SNAPSHOT_NOT_FOUND, () -> rds
                .describeDBSnapshots(r -> r.dbSnapshotIdentifier(snapshotId)).dbSnapshots().stream().findFirst()
                .orElse(null)).isPresent();
    }

    private static Instance instance(DBInstance i) {
        Map<String, String> tags = i.tagList().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
        return new Instance(i.dbInstanceIdentifier(), i.dbInstanceArn(), i.dbInstanceStatus(), i.engine(),
                i.endpoint() == null ? null : i.endpoint().address(), i.endpoint() == null ? null : i.endpoint().port(),
                i.dbName(), i.masterUserSecret() == null ? null : i.masterUserSecret().secretArn(),
                Boolean.TRUE.equals(i.publiclyAccessible()), Boolean.TRUE.equals(i.storageEncrypted()),
                i.vpcSecurityGroups().stream().map(g -> g.vpcSecurityGroupId()).toList(), tags);
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
