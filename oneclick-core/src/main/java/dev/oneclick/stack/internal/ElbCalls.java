package dev.oneclick.stack.internal;

import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.internal.aws.AwsCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.IpAddressType;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The Elastic Load Balancing (v2) requests of the full stack: the internet-facing Application Load Balancer, its
 * target group (type ip) and its HTTP listener, whose default answer is a fixed 403 and whose one rule forwards to the
 * target group only requests carrying the secret origin header CloudFront adds. Each request goes through
 * {@link AwsCall}.
 */
final class ElbCalls {
    static final String SERVICE = "ElasticLoadBalancingV2";
    /** The header CloudFront sends to the load balancer with the project's secret value. */
    static final String ORIGIN_HEADER = dev.oneclick.internal.aws.ApiOrigins.HEADER;
    static final int LISTENER_PORT = 80;
    static final int RULE_PRIORITY = 1;
    private static final Set<String> LB_NOT_FOUND = Set.of("LoadBalancerNotFound");
    /** A recorded ARN of another account or region is answered with ValidationError: not this project's either. */
    private static final Set<String> LB_NOT_FOUND_BY_ARN = Set.of("LoadBalancerNotFound", "ValidationError");
    private static final Set<String> TG_NOT_FOUND = Set.of("TargetGroupNotFound");
    private static final Set<String> TG_NOT_FOUND_BY_ARN = Set.of("TargetGroupNotFound", "ValidationError");

    private final ElasticLoadBalancingV2Client elb;
    private final AwsCall call;
    private final int deleteAttempts;
    private final Duration deleteDelay;

    /** A load balancer as found. */
    record Alb(String arn, String name, String dnsName, String vpcId, String scheme, List<String> securityGroups,
            String state) {
    }

    /** A target group as found. */
    record Group(String arn, String name, String vpcId, String targetType, Integer port, String healthCheckPath) {
    }

    /** The forwarding rule as found: its ARN, the secret its header condition checks (or null), its target. */
    record ForwardRule(String arn, String secret, String targetGroupArn) {
    }

    ElbCalls(ElasticLoadBalancingV2Client elb, AwsCall call, int deleteAttempts, Duration deleteDelay) {
        this.elb = elb;
        this.call = call;
        this.deleteAttempts = deleteAttempts;
        this.deleteDelay = deleteDelay;
    }

    /** The load balancer of that name, or empty. */
    Optional<Alb> loadBalancerByName(String name) {
        return Calls.orEmpty(call, SERVICE, "DescribeLoadBalancers", name, LB_NOT_FOUND, () -> elb
                .describeLoadBalancers(r -> r.names(name)).loadBalancers().stream().map(ElbCalls::alb).findFirst()
                .orElse(null));
    }

    /** The load balancer of that ARN, or empty. */
    Optional<Alb> loadBalancerByArn(String arn) {
        return Calls.orEmpty(call, SERVICE, "DescribeLoadBalancers", arn, LB_NOT_FOUND_BY_ARN, () -> elb
                .describeLoadBalancers(r -> r.loadBalancerArns(arn)).loadBalancers().stream().map(ElbCalls::alb)
                .findFirst().orElse(null));
    }

    /** Creates the internet-facing IPv4 Application Load Balancer, tagged at creation. */
    Alb createLoadBalancer(String name, List<String> subnetIds, String securityGroupId, Map<String, String> tags) {
        return alb(call.run(SERVICE, "CreateLoadBalancer", name, () -> elb.createLoadBalancer(r -> r
                .name(name).type(LoadBalancerTypeEnum.APPLICATION).scheme(LoadBalancerSchemeEnum.INTERNET_FACING)
                .ipAddressType(IpAddressType.IPV4).subnets(subnetIds).securityGroups(securityGroupId)
                .tags(tags(tags)))).loadBalancers().get(0));
    }

    /** The target group of that name, or empty. */
    Optional<Group> targetGroupByName(String name) {
        return Calls.orEmpty(call, SERVICE, "DescribeTargetGroups", name, TG_NOT_FOUND, () -> elb
                .describeTargetGroups(r -> r.names(name)).targetGroups().stream().map(ElbCalls::group).findFirst()
                .orElse(null));
    }

    /** The target group of that ARN, or empty. */
    Optional<Group> targetGroupByArn(String arn) {
        return Calls.orEmpty(call, SERVICE, "DescribeTargetGroups", arn, TG_NOT_FOUND_BY_ARN, () -> elb
                .describeTargetGroups(r -> r.targetGroupArns(arn)).targetGroups().stream().map(ElbCalls::group)
                .findFirst().orElse(null));
    }

    /** Creates an HTTP target group of type ip with that health-check path, tagged at creation. */
    Group createTargetGroup(String name, String vpcId, int port, String healthCheckPath, Map<String, String> tags) {
        return group(call.run(SERVICE, "CreateTargetGroup", name, () -> elb.createTargetGroup(r -> r
                .name(name).protocol(ProtocolEnum.HTTP).port(port).vpcId(vpcId).targetType(TargetTypeEnum.IP)
                .healthCheckEnabled(true).healthCheckPath(healthCheckPath).healthCheckProtocol(ProtocolEnum.HTTP)
                .matcher(m -> m.httpCode("200-399")).tags(tags(tags)))).targetGroups().get(0));
    }

    /** Sets the target group's health-check path. */
    void setHealthCheckPath(String arn, String path) {
        call.exec(SERVICE, "ModifyTargetGroup", arn, () -> elb.modifyTargetGroup(r -> r.targetGroupArn(arn)
                .healthCheckPath(path)));
    }

    /** The tags of a load balancer or target group. */
    Map<String, String> tags(String arn) {
        return call.run(SERVICE, "DescribeTags", arn, () -> elb.describeTags(r -> r.resourceArns(arn)))
                .tagDescriptions().stream().flatMap(d -> d.tags().stream())
                .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
    }

    /** The load balancer's listener on port 80, or empty. */
    Optional<String> httpListener(String albArn) {
        return call.run(SERVICE, "DescribeListeners", albArn, () -> elb.describeListeners(r -> r
                .loadBalancerArn(albArn))).listeners().stream().filter(l -> l.port() == LISTENER_PORT)
                .map(Listener::listenerArn).findFirst();
    }

    /** Creates the HTTP listener on port 80 whose default action is a fixed 403. */
    String createListener(String albArn, Map<String, String> tags) {
        return call.run(SERVICE, "CreateListener", albArn, () -> elb.createListener(r -> r
                .loadBalancerArn(albArn).protocol(ProtocolEnum.HTTP).port(LISTENER_PORT)
                .defaultActions(forbidden()).tags(tags(tags)))).listeners().get(0).listenerArn();
    }

    /** Whether the listener's default action is the fixed 403. */
    boolean defaultIsForbidden(String listenerArn) {
        return call.run(SERVICE, "DescribeListeners", listenerArn, () -> elb.describeListeners(r -> r
                .listenerArns(listenerArn))).listeners().stream().flatMap(l -> l.defaultActions().stream())
                .anyMatch(a -> a.type() == ActionTypeEnum.FIXED_RESPONSE && a.fixedResponseConfig() != null
                        && "403".equals(a.fixedResponseConfig().statusCode()));
    }

    /** Sets the listener's default action to the fixed 403. */
    void setDefaultForbidden(String listenerArn) {
        call.exec(SERVICE, "ModifyListener", listenerArn, () -> elb.modifyListener(r -> r.listenerArn(listenerArn)
                .defaultActions(forbidden())));
    }

    /** The listener's rule at oneclick's priority, or empty. */
    Optional<ForwardRule> forwardRule(String listenerArn) {
        List<Rule> rules = call.run(SERVICE, "DescribeRules", listenerArn, () -> elb.describeRules(r -> r
                .listenerArn(listenerArn))).rules();
        return rules.stream().filter(r -> String.valueOf(RULE_PRIORITY).equals(r.priority())).findFirst()
                .map(ElbCalls::forwardRule);
    }

    /** Creates the rule that forwards to the target group when the origin header carries {@code secret}. */
    String createForwardRule(String listenerArn, String targetGroupArn, String secret, Map<String, String> tags) {
        return call.run(SERVICE, "CreateRule", listenerArn, () -> elb.createRule(r -> r.listenerArn(listenerArn)
                .priority(RULE_PRIORITY).conditions(headerIs(secret)).actions(forward(targetGroupArn))
                .tags(tags(tags)))).rules().get(0).ruleArn();
    }

    /** Sets the rule's header condition and target. */
    void updateForwardRule(String ruleArn, String targetGroupArn, String secret) {
        call.exec(SERVICE, "ModifyRule", ruleArn, () -> elb.modifyRule(r -> r.ruleArn(ruleArn)
                .conditions(headerIs(secret)).actions(forward(targetGroupArn))));
    }

    /** Deletes the load balancer (its listeners and rules go with it); false when it was already gone. */
    boolean deleteLoadBalancer(String arn) {
        return Calls.delete(call, SERVICE, "DeleteLoadBalancer", arn, LB_NOT_FOUND, () -> elb
                .deleteLoadBalancer(r -> r.loadBalancerArn(arn)));
    }

    /**
     * Deletes the target group, retrying (bounded) while it is still in use by a load balancer being deleted.
     *
     * @return false when it was already gone
     */
    boolean deleteTargetGroup(String arn) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.exec(SERVICE, "DeleteTargetGroup", arn, () -> elb.deleteTargetGroup(r -> r.targetGroupArn(arn)));
                return true;
            } catch (AwsRequestException e) {
                if ("TargetGroupNotFound".equals(e.errorCode())) {
                    return false;
                }
                if (!"ResourceInUse".equals(e.errorCode()) || attempt >= deleteAttempts) {
                    throw e;
                }
                call.sleep(deleteDelay, "target group " + arn + " was still in use and oneclick was waiting to "
                        + "delete it");
            }
        }
    }

    private static Action forbidden() {
        return Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("403")
                .contentType("text/plain").messageBody("Forbidden")).build();
    }

    private static Action forward(String targetGroupArn) {
        return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
    }

    private static RuleCondition headerIs(String secret) {
        return RuleCondition.builder().field("http-header").httpHeaderConfig(h -> h.httpHeaderName(ORIGIN_HEADER)
                .values(secret)).build();
    }

    private static ForwardRule forwardRule(Rule r) {
        String secret = r.conditions().stream().filter(c -> c.httpHeaderConfig() != null
                && ORIGIN_HEADER.equalsIgnoreCase(c.httpHeaderConfig().httpHeaderName()))
                .flatMap(c -> c.httpHeaderConfig().values().stream()).findFirst().orElse(null);
        String target = r.actions().stream().filter(a -> a.type() == ActionTypeEnum.FORWARD)
                .map(a -> a.targetGroupArn() != null ? a.targetGroupArn()
                        : a.forwardConfig() == null || a.forwardConfig().targetGroups().isEmpty() ? null
                                : a.forwardConfig().targetGroups().get(0).targetGroupArn())
                .findFirst().orElse(null);
        return new ForwardRule(r.ruleArn(), secret, target);
    }

    private static Alb alb(LoadBalancer lb) {
        return new Alb(lb.loadBalancerArn(), lb.loadBalancerName(), lb.dnsName(), lb.vpcId(), lb.schemeAsString(),
                lb.securityGroups(), lb.state() == null ? null : lb.state().codeAsString());
    }

    private static Group group(TargetGroup g) {
        return new Group(g.targetGroupArn(), g.targetGroupName(), g.vpcId(), g.targetTypeAsString(), g.port(),
                g.healthCheckPath());
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }
}
