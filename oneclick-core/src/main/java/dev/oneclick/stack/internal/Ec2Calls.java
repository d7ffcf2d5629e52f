package dev.oneclick.stack.internal;

import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.internal.aws.AwsCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * The EC2 requests of the full stack's network: the default VPC and its public subnets (or the given subnets), the
 * CloudFront origin-facing managed prefix list, and the security groups with their ingress rules. Each request goes
 * through {@link AwsCall}; a security group that is still in use is deleted with a bounded number of retries.
 */
final class Ec2Calls {
    static final String SERVICE = "EC2";
    /** The AWS-managed prefix list of CloudFront's origin-facing addresses. */
    static final String CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

    private final Ec2Client ec2;
    private final AwsCall call;
    private final int deleteAttempts;
    private final Duration deleteDelay;

    /** A security group as found: id, name, VPC, tags and ingress rules. */
    record Group(String id, String name, String vpcId, Map<String, String> tags, List<IpPermission> ingress) {
    }

    /** Where a security group's ingress comes from: a prefix list, another group or an IPv4 range (one is set). */
    record Source(String prefixListId, String groupId, String cidr) {
        static Source prefixList(String id) {
            return new Source(id, null, null);
        }

        static Source group(String id) {
            return new Source(null, id, null);
        }

        static Source cidr(String cidr) {
            return new Source(null, null, cidr);
        }
    }

    /**
     * @param deleteAttempts how often a security group delete is tried while it answers {@code DependencyViolation}
     *     (network interfaces of deleted tasks or load balancers are released a few minutes late)
     * @param deleteDelay the pause between those attempts
     */
    Ec2Calls(Ec2Client ec2, AwsCall call, int deleteAttempts, Duration deleteDelay) {
        if (deleteAttempts < 1) {
            throw new IllegalArgumentException("deleteAttempts must be at least 1");
        }
        this.ec2 = ec2;
        this.call = call;
        this.deleteAttempts = deleteAttempts;
        this.deleteDelay = deleteDelay;
    }

    /** The region's default VPC, or empty when it has none. */
    Optional<String> defaultVpc() {
        List<Vpc> vpcs = call.run(SERVICE, "DescribeVpcs", "the default VPC", () -> ec2.describeVpcs(r -> r
                .filters(filter("is-default", "true")))).vpcs();
        return vpcs.stream().map(Vpc::vpcId).findFirst();
    }

    /** The default subnets (one per availability zone, public IP on launch) of {@code vpcId}, sorted by id. */
    List<String> defaultSubnets(String vpcId) {
        return call.run(SERVICE, "DescribeSubnets", vpcId, () -> ec2.describeSubnetsPaginator(r -> r
                .filters(filter("vpc-id", vpcId), filter("default-for-az", "true"))).subnets().stream()
                .map(Subnet::subnetId).sorted().toList());
    }

    /**
     * The VPC of the given subnets.
     *
     * @throws InvalidInputException (field {@code subnets}) when a subnet does not exist or they are in more than one
     *     VPC
     */
    String vpcOfSubnets(List<String> subnetIds) {
        List<Subnet> found;
        try {
            found = call.run(SERVICE, "DescribeSubnets", String.join(",", subnetIds), () -> ec2.describeSubnets(r -> r
                    .subnetIds(subnetIds)).subnets());
        } catch (AwsRequestException e) {
            if ("InvalidSubnetID.NotFound".equals(e.errorCode())) {
                throw new InvalidInputException("subnets", "Subnet(s) " + subnetIds + " do not all exist in this "
                        + "region: " + e.getMessage(), e);
            }
            throw e;
        }
        List<String> vpcs = found.stream().map(Subnet::vpcId).distinct().toList();
        if (found.size() != subnetIds.size() || vpcs.size() != 1) {
            throw new InvalidInputException("subnets", "The subnets " + subnetIds + " must exist and be in one VPC; "
                    + "found " + found.size() + " in VPC(s) " + vpcs + ".");
        }
        return vpcs.get(0);
    }

    /** The id of CloudFront's origin-facing managed prefix list, or empty where the region has none. */
    Optional<String> cloudFrontPrefixList() {
        return call.run(SERVICE, "DescribeManagedPrefixLists", CLOUDFRONT_PREFIX_LIST, () -> ec2
                .describeManagedPrefixLists(r -> r.filters(filter("prefix-list-name", CLOUDFRONT_PREFIX_LIST))))
                .prefixLists().stream().map(p -> p.prefixListId()).findFirst();
    }

    /** The security group of that id, or empty when it does not exist. */
    Optional<Group> groupById(String id) {
        return Calls.orEmpty(call, SERVICE, "DescribeSecurityGroups", id, Set.of("InvalidGroup.NotFound",
                "InvalidGroupId.Malformed"), () -> ec2.describeSecurityGroups(r -> r.groupIds(id)).securityGroups()
                .stream().map(Ec2Calls::group).findFirst().orElse(null));
    }

    /** The security group of that name in {@code vpcId}, or empty. */
    Optional<Group> groupByName(String vpcId, String name) {
        return call.run(SERVICE, "DescribeSecurityGroups", name, () -> ec2.describeSecurityGroups(r -> r
                .filters(filter("vpc-id", vpcId), filter("group-name", name)))).securityGroups().stream()
                .map(Ec2Calls::group).findFirst();
    }

    /** Creates a security group (no ingress yet, tagged at creation) and returns its id. */
    String createGroup(String vpcId, String name, String description, Map<String, String> tags) {
        return call.run(SERVICE, "CreateSecurityGroup", name, () -> ec2.createSecurityGroup(r -> r
                .vpcId(vpcId).groupName(name).description(description)
                .tagSpecifications(t -> t.resourceType(ResourceType.SECURITY_GROUP).tags(tags(tags, name))))).groupId();
    }

    /** Allows TCP {@code port} into {@code groupId} from {@code source}. */
    void allow(String groupId, int port, Source source, String description) {
        IpPermission p = permission(port, source, description);
        try {
            call.exec(SERVICE, "AuthorizeSecurityGroupIngress", groupId, () -> ec2.authorizeSecurityGroupIngress(r -> r
                    .groupId(groupId).ipPermissions(p)));
        } catch (AwsRequestException e) {
            if (!"InvalidPermission.Duplicate".equals(e.errorCode())) {
                throw e;
            }
        }
    }

    /** Whether {@code group} lets TCP {@code port} in from {@code source}. */
    static boolean allows(Group group, int port, Source source) {
        for (IpPermission p : group.ingress()) {
            if (!"tcp".equals(p.ipProtocol()) || p.fromPort() == null || p.fromPort() > port || p.toPort() < port) {
                continue;
            }
            boolean match = source.prefixListId() != null
                    ? p.prefixListIds().stream().anyMatch(x -> source.prefixListId().equals(x.prefixListId()))
                    : source.groupId() != null
                            ? p.userIdGroupPairs().stream().anyMatch(x -> source.groupId().equals(x.groupId()))
                            : p.ipRanges().stream().anyMatch(x -> source.cidr().equals(x.cidrIp()));
            if (match) {
                return true;
            }
        }
        return false;
    }

    /**
     * Deletes the security group; while it answers {@code DependencyViolation} (still used by a network interface or
     * referenced by another group) it is tried again after a pause, up to the configured attempts.
     *
     * @return false when the group was already gone
     * @throws AwsRequestException with {@code DependencyViolation} when it was still in use after the last attempt
     */
    boolean deleteGroup(String id) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.exec(SERVICE, "DeleteSecurityGroup", id, () -> ec2.deleteSecurityGroup(r -> r.groupId(id)));
                return true;
            } catch (AwsRequestException e) {
                if ("InvalidGroup.NotFound".equals(e.errorCode())) {
                    return false;
                }
                if (!"DependencyViolation".equals(e.errorCode()) || attempt >= deleteAttempts) {
                    throw e;
                }
                call.sleep(deleteDelay, "security group " + id + " was still in use and oneclick was waiting to "
                        + "delete it");
            }
        }
    }

    private static IpPermission permission(int port, Source source, String description) {
        IpPermission.Builder b = IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port);
        if (source.prefixListId() != null) {
            b.prefixListIds(x -> x.prefixListId(source.prefixListId()).description(description));
        } else if (source.groupId() != null) {
            b.userIdGroupPairs(x -> x.groupId(source.groupId()).description(description));
        } else {
            b.ipRanges(x -> x.cidrIp(source.cidr()).description(description));
        }
        return b.build();
    }

    private static Group group(SecurityGroup g) {
        Map<String, String> tags = g.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
        return new Group(g.groupId(), g.groupName(), g.vpcId(), tags, g.ipPermissions());
    }

    private static List<Tag> tags(Map<String, String> tags, String name) {
        List<Tag> list = new java.util.ArrayList<>(tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
        list.add(Tag.builder().key("Name").value(name).build());
        return list;
    }

    private static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }
}
