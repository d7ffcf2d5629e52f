package dev.oneclick.internal.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudfront.model.AllowedMethods;
import software.amazon.awssdk.services.cloudfront.model.CacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.CustomHeaders;
import software.amazon.awssdk.services.cloudfront.model.CustomOriginConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.Method;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.OriginCustomHeader;
import software.amazon.awssdk.services.cloudfront.model.OriginProtocolPolicy;
import software.amazon.awssdk.services.cloudfront.model.SslProtocol;
import software.amazon.awssdk.services.cloudfront.model.ViewerProtocolPolicy;

/**
 * The full stack's second origin, as a pure function over the SDK's config objects (like {@link DistributionConfigs}):
 * the load balancer as a custom origin (HTTP to port 80, the secret origin header added to every request) and a
 * {@code /api/*} behaviour in front of the others that sends every method to it with caching disabled and all viewer
 * headers, cookies and query strings forwarded (the managed {@code CachingDisabled} and {@code AllViewer} policies).
 * Whatever else the config holds is kept, and an unchanged config compares equal, so no update is sent.
 */
public final class ApiOrigins {
    /** The path pattern the backend serves. */
    public static final String PATH = "/api/*";
    /** The origin id of the load balancer. */
    public static final String ORIGIN_ID = "oneclick-api-alb";
    /** The header the load balancer's listener rule checks. */
    public static final String HEADER = "X-Oneclick-Origin-Verify";
    /** AWS's managed cache policy {@code Managed-CachingDisabled}. */
    static final String CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    /** AWS's managed origin request policy {@code Managed-AllViewer}: every header, cookie and query string. */
    static final String ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3";
    private static final List<Method> ALL_METHODS = List.of(Method.GET, Method.HEAD, Method.OPTIONS, Method.PUT,
            Method.POST, Method.PATCH, Method.DELETE);

    /**
     * The load balancer origin.
     *
     * @param domain the load balancer's DNS name
     * @param secret the secret origin header value (not shown by {@link #toString()})
     */
    public record Api(String domain, String secret) {
        @Override
        public String toString() {
            return "Api[domain=" + domain + ", secret=(hidden)]";
        }
    }

    private ApiOrigins() {
    }

    /** {@code current} with the load balancer origin and the {@code /api/*} behaviour set. */
    public static DistributionConfig apply(DistributionConfig current, Api api) {
        List<Origin> origins = new ArrayList<>();
        boolean replaced = false;
        if (current.origins() != null && current.origins().items() != null) {
            for (Origin o : current.origins().items()) {
                if (ORIGIN_ID.equals(o.id())) {
                    origins.add(origin(o, api));
                    replaced = true;
                } else {
                    origins.add(o);
                }
            }
        }
        if (!replaced) {
            origins.add(origin(null, api));
        }

        List<CacheBehavior> behaviours = new ArrayList<>();
        CacheBehavior existing = null;
        if (current.cacheBehaviors() != null && current.cacheBehaviors().items() != null) {
            for (CacheBehavior b : current.cacheBehaviors().items()) {
                if (PATH.equals(b.pathPattern())) {
                    existing = b;
                } else {
                    behaviours.add(b);
                }
            }
        }
        behaviours.add(0, behaviour(existing));
        return current.toBuilder()
                .origins(o -> o.quantity(origins.size()).items(origins))
                .cacheBehaviors(c -> c.quantity(behaviours.size()).items(behaviours))
                .build();
    }

    private static Origin origin(Origin current, Api api) {
        CustomOriginConfig cur = current == null ? null : current.customOriginConfig();
        CustomOriginConfig custom = (cur == null ? CustomOriginConfig.builder()
                .originSslProtocols(p -> p.quantity(1).items(SslProtocol.TLS_V1_2))
                .originReadTimeout(30).originKeepaliveTimeout(5) : cur.toBuilder())
                .httpPort(80).httpsPort(443).originProtocolPolicy(OriginProtocolPolicy.HTTP_ONLY).build();
        List<OriginCustomHeader> headers = new ArrayList<>();
        if (current != null && current.customHeaders() != null && current.customHeaders().items() != null) {
            for (OriginCustomHeader h : current.customHeaders().items()) {
                if (!HEADER.equalsIgnoreCase(h.headerName())) {
                    headers.add(h);
                }
            }
        }
        headers.add(OriginCustomHeader.builder().headerName(HEADER).headerValue(api.secret()).build());
        Origin.Builder b = current == null ? Origin.builder().id(ORIGIN_ID).originPath("") : current.toBuilder();
        return b.domainName(api.domain()).customOriginConfig(custom)
                .customHeaders(CustomHeaders.builder().quantity(headers.size()).items(headers).build())
                .s3OriginConfig((software.amazon.awssdk.services.cloudfront.model.S3OriginConfig) null)
                .build();
    }

    private static CacheBehavior behaviour(CacheBehavior current) {
        CacheBehavior.Builder b = current == null ? CacheBehavior.builder().pathPattern(PATH) : current.toBuilder();
        AllowedMethods methods = AllowedMethods.builder().quantity(ALL_METHODS.size()).items(ALL_METHODS)
                .cachedMethods(c -> c.quantity(2).items(Method.GET, Method.HEAD)).build();
        boolean sameMethods = current != null && current.allowedMethods() != null
                && current.allowedMethods().items() != null
                && current.allowedMethods().items().size() == ALL_METHODS.size()
                && current.allowedMethods().items().containsAll(ALL_METHODS)
                && current.allowedMethods().cachedMethods() != null
                && current.allowedMethods().cachedMethods().items().size() == 2
                && current.allowedMethods().cachedMethods().items().containsAll(List.of(Method.GET, Method.HEAD));
        b.targetOriginId(ORIGIN_ID)
                .viewerProtocolPolicy(ViewerProtocolPolicy.HTTPS_ONLY)
                .allowedMethods(sameMethods ? current.allowedMethods() : methods)
                .originRequestPolicyId(ALL_VIEWER)
                .compress(current != null && current.compress() != null ? current.compress() : Boolean.FALSE);
        if (current == null || !CACHING_DISABLED.equals(current.cachePolicyId())) {
            // legacy cache settings go with a cache policy; kept as returned once it is set (moto echoes them)
            b.cachePolicyId(CACHING_DISABLED)
                    .forwardedValues((software.amazon.awssdk.services.cloudfront.model.ForwardedValues) null)
                    .minTTL(null).defaultTTL(null).maxTTL(null);
        }
        return b.build();
    }
}
