package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.stack.Database;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The database: an RDS instance {@code tmux-{guid}} (PostgreSQL or MySQL) whose master password RDS keeps in Secrets
 * Manager ({@code ManageMasterUserPassword}), not publicly accessible, encrypted, in a DB subnet group over the
 * stack's subnets and reachable only from the tasks' security group. The task gets it through the task definition's
 * {@code secrets} (the secret's ARN, {@link StackState#dbSecretArn}) plus {@code DB_HOST}/{@code DB_PORT}/{@code
 * DB_NAME}; no secret value is read, recorded or logged. Destroy takes a final snapshot (its id recorded as {@code
 * dbFinalSnapshotId}) unless told not to, waits (bounded) for the instance to go, then deletes the subnet group.
 */
final class DatabaseStep implements Step {
    static final String TYPE = "RDS DB instance";
    static final String SUBNET_GROUP_TYPE = "RDS DB subnet group";
    private static final DateTimeFormatter SNAPSHOT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'-'HHmmss")
            .withZone(ZoneOffset.UTC);

    private final StackState s;
    private final RdsCalls rds;
    private final Duration availableTimeout;
    private final Duration deleteTimeout;
    private RdsCalls.Instance found;
    private boolean subnetGroupExists;

    DatabaseStep(StackState s, RdsCalls rds, Duration availableTimeout, Duration deleteTimeout) {
        this.s = s;
        this.rds = rds;
        this.availableTimeout = availableTimeout;
        this.deleteTimeout = deleteTimeout;
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.RDS_INSTANCE_ID, AwsResources.RDS_ENDPOINT, AwsResources.DB_SECRET_ARN,
                AwsResources.DB_SUBNET_GROUP);
    }

    private String id() {
        return s.clients.names().rdsInstance(s.projectGuid);
    }

    /** The DB subnet group's name: the same as the database's security group, {@code tmux-{guid}-db}. */
    private String subnetGroup() {
        return s.clients.names().securityGroup(s.projectGuid, NetworkStep.DB);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        Database db = s.backend.database();
        found = find(run).orElse(null);
        subnetGroupExists = rds.subnetGroupExists(subnetGroup());
        if (found != null) {
            if (!db.engine().rdsName().equals(found.engine())) {
                throw new InvalidInputException("dbEngine", "RDS DB instance " + found.id() + " runs " + found.engine()
                        + ", not " + db.engine().rdsName() + "; oneclick does not change a database's engine. Keep "
                        + "the engine, or destroy the project (a final snapshot is taken) and deploy again.");
            }
            useInstance(found);
        }
        return List.of(
                new Plan.ResourceChange(SUBNET_GROUP_TYPE, subnetGroup(), subnetGroupExists ? KEEP : CREATE,
                        String.join(", ", s.subnetIds)),
                new Plan.ResourceChange(TYPE, id(), found == null ? CREATE : KEEP, found != null
                        ? found.host() + ":" + found.port() + " (" + found.status() + ")"
                        : db.engine().rdsName() + " " + db.instanceClass() + ", " + db.storageGiB() + " GiB, "
                                + "database " + db.name() + ", password managed in Secrets Manager, private, "
                                + "encrypted"));
    }

    private Optional<RdsCalls.Instance> find(Run run) {
        Optional<String> recorded = run.own().rdsInstanceId().filter(id -> !id.equals(id()));
        String entry = null;
        Optional<RdsCalls.Instance> i = Optional.empty();
        if (recorded.isPresent()) {
            i = rds.instance(recorded.get());
            entry = i.isPresent() ? "oneclickResources." + AwsResources.RDS_INSTANCE_ID : null;
        }
        if (i.isEmpty()) {
            i = rds.instance(id());
        }
        String e = entry;
        i.ifPresent(x -> Ownership.requireTagged(TYPE, x.id(), e, x.tags(), s.guid));
        return i;
    }

    private void useInstance(RdsCalls.Instance i) {
        s.dbInstanceId = i.id();
        s.dbHost = i.host();
        s.dbPort = i.port() == null ? 0 : i.port();
        s.dbSecretArn = i.secretArn();
    }

    @Override
    public void apply(Run run) {
        if (!subnetGroupExists) {
            rds.createSubnetGroup(subnetGroup(), s.subnetIds, "oneclick database subnets of project " + s.guid,
                    run.tags());
        }
        run.record(RdsCalls.SERVICE, subnetGroupExists ? "DescribeDBSubnetGroups" : "CreateDBSubnetGroup",
                AwsResources.builder().dbSubnetGroup(subnetGroup()).build());
        boolean created = found == null;
        if (created) {
            rds.createInstance(new RdsCalls.Spec(id(), s.backend.database(), subnetGroup(), s.dbSecurityGroupId),
                    run.tags());
            run.record(RdsCalls.SERVICE, "CreateDBInstance", AwsResources.builder().rdsInstanceId(id()).build());
            run.progress("Creating RDS DB instance " + id() + "; waiting for it to become available");
        }
        RdsCalls.Instance ready = created || !"available".equals(found.status()) || found.host() == null
                ? rds.waitAvailable(id(), availableTimeout) : found;
        useInstance(ready);
        run.record(RdsCalls.SERVICE, "DescribeDBInstances", AwsResources.builder().rdsInstanceId(ready.id())
                .rdsEndpoint(ready.host() + ":" + ready.port()).dbSecretArn(ready.secretArn()).build());
        run.noted(TYPE, id(), created);
    }

    @Override
    public void planDestroy(Run run) {
        found = find(run).orElse(null);
        subnetGroupExists = rds.subnetGroupExists(subnetGroup());
        s.foundAny |= found != null || subnetGroupExists;
    }

    @Override
    public void destroy(Run run) {
        if (found != null) {
            String snapshot = s.skipFinalSnapshot ? null
                    : found.id() + "-final-" + SNAPSHOT_TIME.format(Instant.now());
            if (!"deleting".equals(found.status()) && rds.deleteInstance(found.id(), snapshot)) {
                run.progress("Deleting RDS DB instance " + found.id() + (snapshot == null ? " without a final "
                        + "snapshot" : " with final snapshot " + snapshot));
                if (snapshot != null) {
                    run.record(AwsResources.builder().dbFinalSnapshotId(snapshot).build());
                }
            }
            if (!rds.waitDeleted(found.id(), deleteTimeout)) {
                run.incomplete("RDS DB instance " + found.id() + " is still being deleted after " + deleteTimeout
                        + "; run destroy again later to delete it, its subnet group and its security groups.");
                return;
            }
        }
        run.forget(AwsResources.RDS_INSTANCE_ID, AwsResources.RDS_ENDPOINT, AwsResources.DB_SECRET_ARN);
        if (subnetGroupExists) {
            rds.deleteSubnetGroup(subnetGroup());
            run.progress("Deleted DB subnet group " + subnetGroup());
        }
        run.forget(AwsResources.DB_SUBNET_GROUP);
    }
}
