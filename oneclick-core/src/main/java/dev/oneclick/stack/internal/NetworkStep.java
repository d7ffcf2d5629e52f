package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.resources.AwsResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The network: the default VPC's subnets (public, one per zone; tasks get a public IP, so no NAT gateway is needed)
 * or the subnets the backend gives, and three security groups: {@code -alb} lets HTTP in from CloudFront's
 * origin-facing managed prefix list only, {@code -tasks} the container port from the {@code -alb} group only, and
 * {@code -db} (with a database) the database port from the {@code -tasks} group only. Where the region has no
 * CloudFront prefix list, {@code -alb} lets HTTP in from anywhere and the load balancer's listener rule (the secret
 * origin header) is what keeps everyone but CloudFront out. Groups are found by the recorded id, else by name in the
 * VPC, and are this project's only when tagged with its GUID. Destroy deletes them in reverse ({@code db}, {@code
 * tasks}, {@code alb}), retrying while network interfaces of deleted tasks or load balancers still hold them.
 */
final class NetworkStep implements Step {
    static final String TYPE = "EC2 security group";
    static final String ALB = "alb";
    static final String TASKS = "tasks";
    static final String DB = "db";
    static final int HTTP = 80;
    private static final String ENTRY = "oneclickResources." + AwsResources.SECURITY_GROUP_IDS + ".";

    private final StackState s;
    private final Ec2Calls ec2;
    /** Role to group, as found (in the order created: alb, tasks, db). */
    private final Map<String, Ec2Calls.Group> found = new LinkedHashMap<>();
    private String prefixList;

    NetworkStep(StackState s, Ec2Calls ec2) {
        this.s = s;
        this.ec2 = ec2;
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.VPC_ID, AwsResources.SUBNET_IDS, AwsResources.SECURITY_GROUP_IDS);
    }

    private List<String> roles() {
        return s.backend != null && s.backend.database() != null ? List.of(ALB, TASKS, DB) : List.of(ALB, TASKS);
    }

    private String name(String role) {
        return s.clients.names().securityGroup(s.projectGuid, role);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        locateSubnets();
        prefixList = ec2.cloudFrontPrefixList().orElse(null);
        List<Plan.ResourceChange> changes = new ArrayList<>();
        changes.add(new Plan.ResourceChange("EC2 subnets", s.vpcId, KEEP, String.join(", ", s.subnetIds)
                + " (public IP for tasks, no NAT gateway)"));
        for (String role : roles()) {
            Ec2Calls.Group g = find(run, role, s.vpcId).orElse(null);
            if (g != null) {
                found.put(role, g);
                setId(role, g.id());
            }
            String rule = describeRule(role);
            boolean ok = g != null && sourceKnown(role) && Ec2Calls.allows(g, port(role), source(role));
            changes.add(new Plan.ResourceChange(TYPE, name(role), g == null ? CREATE : ok ? KEEP : REPAIR,
                    (g == null ? "" : g.id() + ": ") + rule));
        }
        return changes;
    }

    /** The backend's subnets and their VPC, or the default VPC's default subnets. */
    private void locateSubnets() {
        List<String> given = s.backend.subnetIds();
        if (!given.isEmpty()) {
            s.vpcId = ec2.vpcOfSubnets(given);
            s.subnetIds = List.copyOf(given);
            return;
        }
        s.vpcId = ec2.defaultVpc().orElseThrow(() -> new InvalidInputException("subnets", "Region has no default "
                + "VPC; give the backend's subnets (oneclick.subnets: public subnets in at least two availability "
                + "zones of one VPC)."));
        s.subnetIds = ec2.defaultSubnets(s.vpcId);
        if (s.subnetIds.size() < 2) {
            throw new InvalidInputException("subnets", "The default VPC " + s.vpcId + " has " + s.subnetIds.size()
                    + " default subnet(s); a load balancer needs two availability zones. Give the backend's subnets "
                    + "(oneclick.subnets).");
        }
    }

    private Optional<Ec2Calls.Group> find(Run run, String role, String vpcId) {
        String recorded = run.own().securityGroupIds().get(role);
        if (recorded != null) {
            Optional<Ec2Calls.Group> byId = ec2.groupById(recorded);
            if (byId.isPresent()) {
                Ownership.requireTagged(TYPE, recorded, ENTRY + role, byId.get().tags(), s.guid);
                return byId;
            }
        }
        if (vpcId == null) {
            return Optional.empty();
        }
        Optional<Ec2Calls.Group> byName = ec2.groupByName(vpcId, name(role));
        byName.ifPresent(g -> Ownership.requireTagged(TYPE, g.id(), null, g.tags(), s.guid));
        return byName;
    }

    private int port(String role) {
        return switch (role) {
            case ALB -> HTTP;
            case TASKS -> s.backend.containerPort();
            default -> s.backend.database().engine().port();
        };
    }

    /** Whether the group the rule comes from is known yet (a new group's source may be created in this run). */
    private boolean sourceKnown(String role) {
        return switch (role) {
            case TASKS -> s.albSecurityGroupId != null;
            case DB -> s.tasksSecurityGroupId != null;
            default -> true;
        };
    }

    private Ec2Calls.Source source(String role) {
        return switch (role) {
            case ALB -> prefixList != null ? Ec2Calls.Source.prefixList(prefixList) : Ec2Calls.Source.cidr("0.0.0.0/0");
            case TASKS -> Ec2Calls.Source.group(s.albSecurityGroupId);
            default -> Ec2Calls.Source.group(s.tasksSecurityGroupId);
        };
    }

    private String describeRule(String role) {
        return switch (role) {
            case ALB -> "TCP " + HTTP + " from " + (prefixList != null ? "CloudFront's origin-facing prefix list "
                    + prefixList : "anywhere (this region has no CloudFront prefix list; the listener's secret "
                    + "header rule keeps others out)");
            case TASKS -> "TCP " + port(role) + " from the " + name(ALB) + " group";
            default -> "TCP " + port(role) + " from the " + name(TASKS) + " group";
        };
    }

    private void setId(String role, String id) {
        switch (role) {
            case ALB -> s.albSecurityGroupId = id;
            case TASKS -> s.tasksSecurityGroupId = id;
            default -> s.dbSecurityGroupId = id;
        }
    }

    @Override
    public void apply(Run run) {
        run.record(Ec2Calls.SERVICE, "DescribeSubnets", AwsResources.builder().vpcId(s.vpcId).subnetIds(s.subnetIds)
                .build());
        Map<String, String> ids = new LinkedHashMap<>(run.own().securityGroupIds());
        for (String role : roles()) {
            Ec2Calls.Group g = found.get(role);
            boolean created = g == null;
            String id = created ? ec2.createGroup(s.vpcId, name(role), "oneclick " + role + " of project " + s.guid,
                    run.tags()) : g.id();
            setId(role, id);
            ids.put(role, id);
            run.record(Ec2Calls.SERVICE, created ? "CreateSecurityGroup" : "DescribeSecurityGroups",
                    AwsResources.builder().securityGroupIds(ids).build());
            if (created || !Ec2Calls.allows(g, port(role), source(role))) {
                ec2.allow(id, port(role), source(role), "oneclick: " + describeRule(role));
            }
            run.noted(TYPE, name(role), created);
        }
    }

    @Override
    public void planDestroy(Run run) {
        String vpc = run.own().vpcId().orElse(null);
        if (vpc == null) {
            vpc = ec2.defaultVpc().orElse(null);
        }
        for (String role : List.of(ALB, TASKS, DB)) {
            find(run, role, vpc).ifPresent(g -> found.put(role, g));
        }
        s.foundAny |= !found.isEmpty();
    }

    /**
     * Deletes the groups, {@code db} first (it refers to {@code tasks}, which refers to {@code alb}); a group still
     * in use after the bounded retries leaves the destroy unfinished with its id kept on record.
     */
    @Override
    public void destroy(Run run) {
        if (run.incompleteReason().isPresent()) {
            return; // what still exists (a database being deleted, ...) may hold the groups; a rerun deletes them
        }
        Map<String, String> left = new LinkedHashMap<>(run.own().securityGroupIds());
        for (String role : List.of(DB, TASKS, ALB)) {
            Ec2Calls.Group g = found.get(role);
            if (g == null) {
                left.remove(role);
                continue;
            }
            try {
                ec2.deleteGroup(g.id());
                run.progress("Deleted security group " + g.name() + " (" + g.id() + ")");
                left.remove(role);
                found.remove(role);
            } catch (AwsRequestException e) {
                if (!"DependencyViolation".equals(e.errorCode())) {
                    throw e;
                }
                found.forEach((r, x) -> left.put(r, x.id()));
                run.incomplete("Security group " + g.id() + " (" + g.name() + ") is still in use (" + e.getMessage()
                        + "); run destroy again in a few minutes to delete it.");
                break;
            }
        }
        if (left.isEmpty()) {
            run.forget(AwsResources.SECURITY_GROUP_IDS, AwsResources.VPC_ID, AwsResources.SUBNET_IDS);
        } else {
            run.record(AwsResources.builder().securityGroupIds(left).build());
        }
    }
}
