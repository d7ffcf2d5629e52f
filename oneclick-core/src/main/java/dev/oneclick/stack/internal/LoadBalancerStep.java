package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The internet-facing Application Load Balancer (the 32-character short name), its target group (type ip, HTTP on the
 * container port, the backend's health-check path) and its HTTP listener. The listener answers 403 by default; its
 * one rule forwards to the target group only when the request carries the secret origin header that CloudFront adds
 * ({@link ElbCalls#ORIGIN_HEADER}), so the load balancer serves only through the distribution. The secret is made
 * once, kept only in that rule and in the distribution's origin (a rerun reads it back from the rule), and never
 * reaches the record, the log or resources.json: the record holds its SHA-256. Both the load balancer and the target
 * group are found by the recorded ARN, else by name, and are this project's only when tagged with its full GUID (the
 * short name keeps 96 bits of it, so a collision is refused, never shared).
 */
final class LoadBalancerStep implements Step {
    static final String ALB_TYPE = "Application Load Balancer";
    static final String TG_TYPE = "target group";
    static final String LISTENER_TYPE = "load balancer listener";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StackState s;
    private final ElbCalls elb;
    private ElbCalls.Alb alb;
    private ElbCalls.Group group;
    private String listener;
    private ElbCalls.ForwardRule rule;
    private boolean listenerForbids;

    LoadBalancerStep(StackState s, ElbCalls elb) {
        this.s = s;
        this.elb = elb;
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.ALB_ARN, AwsResources.ALB_DNS_NAME, AwsResources.TARGET_GROUP_ARN,
                AwsResources.LISTENER_ARN, AwsResources.ORIGIN_SECRET_SHA256);
    }

    private String albName() {
        return s.clients.names().loadBalancer(s.projectGuid);
    }

    private String groupName() {
        return s.clients.names().targetGroup(s.projectGuid);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        findAll(run);
        List<Plan.ResourceChange> changes = new ArrayList<>();
        changes.add(new Plan.ResourceChange(ALB_TYPE, albName(), alb == null ? CREATE : KEEP,
                alb == null ? "internet-facing, HTTP " + NetworkStep.HTTP + ", reachable from CloudFront only"
                        : alb.dnsName()));
        String health = s.backend.healthCheckPath();
        changes.add(new Plan.ResourceChange(TG_TYPE, groupName(), group == null ? CREATE
                : health.equals(group.healthCheckPath()) ? KEEP : REPAIR, "type ip, port "
                + s.backend.containerPort() + ", health check " + health));
        boolean ruleOk = rule != null && rule.secret() != null && group != null
                && group.arn().equals(rule.targetGroupArn());
        changes.add(new Plan.ResourceChange(LISTENER_TYPE, "HTTP " + ElbCalls.LISTENER_PORT, listener == null ? CREATE
                : listenerForbids && ruleOk ? KEEP : REPAIR, "default 403; forwards only requests with the secret "
                + "origin header " + ElbCalls.ORIGIN_HEADER));
        return changes;
    }

    private void findAll(Run run) {
        alb = findAlb(run).orElse(null);
        group = findGroup(run).orElse(null);
        listener = alb == null ? null : elb.httpListener(alb.arn()).orElse(null);
        rule = listener == null ? null : elb.forwardRule(listener).orElse(null);
        listenerForbids = listener != null && elb.defaultIsForbidden(listener);
        if (alb != null) {
            s.albArn = alb.arn();
            s.albDnsName = alb.dnsName();
        }
        if (group != null) {
            s.targetGroupArn = group.arn();
        }
        s.listenerArn = listener;
        s.originSecret = rule == null ? null : rule.secret();
    }

    private Optional<ElbCalls.Alb> findAlb(Run run) {
        Optional<String> recorded = run.own().albArn();
        Optional<ElbCalls.Alb> found = recorded.flatMap(elb::loadBalancerByArn);
        String entry = found.isPresent() ? "oneclickResources." + AwsResources.ALB_ARN : null;
        if (found.isEmpty()) {
            found = elb.loadBalancerByName(albName());
        }
        found.ifPresent(a -> Ownership.requireTagged(ALB_TYPE, a.arn(), entry, elb.tags(a.arn()), s.guid));
        return found;
    }

    private Optional<ElbCalls.Group> findGroup(Run run) {
        Optional<String> recorded = run.own().targetGroupArn();
        Optional<ElbCalls.Group> found = recorded.flatMap(elb::targetGroupByArn);
        String entry = found.isPresent() ? "oneclickResources." + AwsResources.TARGET_GROUP_ARN : null;
        if (found.isEmpty()) {
            found = elb.targetGroupByName(groupName());
        }
        found.ifPresent(g -> Ownership.requireTagged(TG_TYPE, g.arn(), entry, elb.tags(g.arn()), s.guid));
        return found;
    }

    @Override
    public void apply(Run run) {
        boolean newAlb = alb == null;
        if (newAlb) {
            alb = elb.createLoadBalancer(albName(), s.subnetIds, s.albSecurityGroupId, run.tags());
        }
        s.albArn = alb.arn();
        s.albDnsName = alb.dnsName();
        run.record(ElbCalls.SERVICE, newAlb ? "CreateLoadBalancer" : "DescribeLoadBalancers", AwsResources.builder()
                .albArn(alb.arn()).albDnsName(alb.dnsName()).build());
        run.noted(ALB_TYPE, albName(), newAlb);

        boolean newGroup = group == null;
        String health = s.backend.healthCheckPath();
        if (newGroup) {
            group = elb.createTargetGroup(groupName(), s.vpcId, s.backend.containerPort(), health, run.tags());
        } else if (!health.equals(group.healthCheckPath())) {
            elb.setHealthCheckPath(group.arn(), health);
        }
        s.targetGroupArn = group.arn();
        run.record(ElbCalls.SERVICE, newGroup ? "CreateTargetGroup" : "DescribeTargetGroups", AwsResources.builder()
                .targetGroupArn(group.arn()).build());
        run.noted(TG_TYPE, groupName(), newGroup);

        boolean newListener = listener == null;
        if (newListener) {
            listener = elb.createListener(alb.arn(), run.tags());
        } else if (!listenerForbids) {
            elb.setDefaultForbidden(listener);
        }
        s.listenerArn = listener;
        run.record(ElbCalls.SERVICE, newListener ? "CreateListener" : "DescribeListeners", AwsResources.builder()
                .listenerArn(listener).build());
        applyRule(run);
        run.noted(LISTENER_TYPE, "HTTP " + ElbCalls.LISTENER_PORT + " of " + albName(), newListener);
    }

    /** Keeps the rule's secret (made once), points it at the target group, records the secret's hash. */
    private void applyRule(Run run) {
        String secret = rule != null && rule.secret() != null ? rule.secret() : newSecret();
        if (rule == null) {
            elb.createForwardRule(listener, group.arn(), secret, run.tags());
        } else if (!secret.equals(rule.secret()) || !Objects.equals(group.arn(), rule.targetGroupArn())) {
            elb.updateForwardRule(rule.arn(), group.arn(), secret);
        }
        s.originSecret = secret;
        run.record(AwsResources.builder().originSecretSha256(sha256(secret)).build());
    }

    static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    @Override
    public void planDestroy(Run run) {
        alb = findAlb(run).orElse(null);
        group = findGroup(run).orElse(null);
        s.foundAny |= alb != null || group != null;
    }

    /** Deletes the load balancer (its listener and rule go with it), then the target group. */
    @Override
    public void destroy(Run run) {
        if (alb != null) {
            elb.deleteLoadBalancer(alb.arn());
            run.progress("Deleted load balancer " + alb.name());
        }
        run.forget(AwsResources.ALB_ARN, AwsResources.ALB_DNS_NAME, AwsResources.LISTENER_ARN,
                AwsResources.ORIGIN_SECRET_SHA256);
        if (group != null) {
            elb.deleteTargetGroup(group.arn());
            run.progress("Deleted target group " + group.name());
        }
        run.forget(AwsResources.TARGET_GROUP_ARN);
    }
}
