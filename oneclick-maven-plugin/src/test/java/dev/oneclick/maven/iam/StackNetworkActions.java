package dev.oneclick.maven.iam;

import dev.oneclick.maven.iam.IamActions.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The IAM actions of the full stack's network, load balancer and database calls (EC2, Elastic Load Balancing v2,
 * RDS), with the resource ARN IAM checks each on. Describe calls of EC2 and Elastic Load Balancing cannot be scoped
 * to a resource ({@code *}); everything else is scoped to the {@code tmux-} names (security groups have generated ids,
 * so {@code security-group/*}). Creating with tags needs the tagging action too; the first load balancer or database
 * of an account makes AWS create its service-linked role, which needs {@code iam:CreateServiceLinkedRole}; a database
 * with {@code ManageMasterUserPassword} makes RDS create its secret in the caller's name.
 */
final class StackNetworkActions {
    static final Set<String> SERVICES = Set.of("ec2", "elasticloadbalancingv2", "rds");
    private static final String A = IamActions.ACCOUNT;

    private StackNetworkActions() {
    }

    static List<Required> of(AwsOperation op) {
        String service = op.service().toLowerCase(java.util.Locale.ROOT);
        String r = op.region();
        String name = op.operation();
        List<Required> out = new ArrayList<>();
        switch (service) {
            case "ec2" -> {
                String sg = "arn:aws:ec2:" + r + ":" + A + ":security-group/sg-0123456789abcdef0";
                if (name.startsWith("Describe")) {
                    out.add(new Required("ec2:" + name, "*"));
                } else if (name.equals("CreateSecurityGroup")) {
                    out.add(new Required("ec2:CreateSecurityGroup", sg));
                    out.add(new Required("ec2:CreateSecurityGroup", "arn:aws:ec2:" + r + ":" + A
                            + ":vpc/vpc-0123456789abcdef0"));
                    out.add(new Required("ec2:CreateTags", sg));
                } else {
                    out.add(new Required("ec2:" + name, sg));
                }
            }
            case "elasticloadbalancingv2" -> {
                String base = "arn:aws:elasticloadbalancing:" + r + ":" + A + ":";
                String lb = base + "loadbalancer/app/tmux-0123456789abcdef01234567/50dc6c495c0c9188";
                String tg = base + "targetgroup/tmux-0123456789abcdef01234567/73e2d6bc24d8a067";
                String listener = base + "listener/app/tmux-0123456789abcdef01234567/50dc6c495c0c9188/f2f7dc8efc522ab2";
                String rule = base + "listener-rule/app/tmux-0123456789abcdef01234567/50dc6c495c0c9188/"
                        + "f2f7dc8efc522ab2/9683b2d02a6cabee";
                String p = "elasticloadbalancing:";
                switch (name) {
                    case "CreateLoadBalancer" -> {
                        out.add(new Required(p + name, lb));
                        out.add(new Required(p + "AddTags", lb));
                        out.add(new Required("iam:CreateServiceLinkedRole", "arn:aws:iam::" + A + ":role/aws-service-"
                                + "role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing"));
                    }
                    case "DeleteLoadBalancer" -> out.add(new Required(p + name, lb));
                    case "CreateTargetGroup" -> {
                        out.add(new Required(p + name, tg));
                        out.add(new Required(p + "AddTags", tg));
                    }
                    case "ModifyTargetGroup", "DeleteTargetGroup" -> out.add(new Required(p + name, tg));
                    case "CreateListener" -> {
                        out.add(new Required(p + name, lb));
                        out.add(new Required(p + "AddTags", listener));
                    }
                    case "ModifyListener" -> out.add(new Required(p + name, listener));
                    case "CreateRule" -> {
                        out.add(new Required(p + name, listener));
                        out.add(new Required(p + "AddTags", rule));
                    }
                    case "ModifyRule" -> out.add(new Required(p + name, rule));
                    default -> out.add(new Required(p + name, name.startsWith("Describe") ? "*" : lb));
                }
            }
            case "rds" -> {
                String base = "arn:aws:rds:" + r + ":" + A + ":";
                String db = base + "db:tmux-3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";
                String subgrp = base + "subgrp:tmux-3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab-db";
                String snapshot = base + "snapshot:tmux-3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab-final-20261207t070000z";
                switch (name) {
                    case "CreateDBInstance" -> {
                        out.add(new Required("rds:CreateDBInstance", db));
                        out.add(new Required("rds:CreateDBInstance", subgrp));
                        out.add(new Required("rds:AddTagsToResource", db));
                        out.add(new Required("iam:CreateServiceLinkedRole", "arn:aws:iam::" + A + ":role/aws-service-"
                                + "role/rds.amazonaws.com/AWSServiceRoleForRDS"));
                        String secret = "arn:aws:secretsmanager:" + r + ":" + A + ":secret:rds!db-0123-AbCdEf";
                        out.add(new Required("secretsmanager:CreateSecret", secret));
                        out.add(new Required("secretsmanager:TagResource", secret));
                    }
                    case "DescribeDBInstances" -> out.add(new Required("rds:" + name, db));
                    case "DeleteDBInstance" -> {
                        out.add(new Required("rds:DeleteDBInstance", db));
                        out.add(new Required("rds:CreateDBSnapshot", snapshot));
                    }
                    case "CreateDBSubnetGroup" -> {
                        out.add(new Required("rds:CreateDBSubnetGroup", subgrp));
                        out.add(new Required("rds:AddTagsToResource", subgrp));
                    }
                    case "DescribeDBSubnetGroups", "DeleteDBSubnetGroup" -> out.add(new Required("rds:" + name,
                            subgrp));
                    case "DescribeDBSnapshots" -> out.add(new Required("rds:" + name, snapshot));
                    default -> out.add(new Required("rds:" + name, db));
                }
            }
            default -> throw new IllegalArgumentException("not a network, load balancer or database call: " + op);
        }
        return out;
    }
}
