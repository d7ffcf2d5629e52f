package dev.oneclick.fakes;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudfront.model.AllowedMethods;
import software.amazon.awssdk.services.cloudfront.model.CacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.CustomErrorResponse;
import software.amazon.awssdk.services.cloudfront.model.CustomOriginConfig;
import software.amazon.awssdk.services.cloudfront.model.DefaultCacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.GeoRestrictionType;
import software.amazon.awssdk.services.cloudfront.model.HttpVersion;
import software.amazon.awssdk.services.cloudfront.model.Method;
import software.amazon.awssdk.services.cloudfront.model.MinimumProtocolVersion;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.PriceClass;
import software.amazon.awssdk.services.cloudfront.model.S3OriginConfig;
import software.amazon.awssdk.services.cloudfront.model.SSLSupportMethod;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;

/**
 * The values CloudFront fills into a distribution config that a create or update left out, as
 * {@code GetDistributionConfig} returns them (CloudFront API reference, DistributionConfig, Origin, S3OriginConfig,
 * CustomOriginConfig, DefaultCacheBehavior, ViewerCertificate): an empty list comes back as Quantity 0 without items,
 * origins get ConnectionAttempts 3, ConnectionTimeout 10, OriginShield disabled, an empty OriginPath and no custom
 * headers; an S3 origin OriginReadTimeout 30; a custom origin OriginReadTimeout 30 and OriginKeepaliveTimeout 5;
 * behaviours allow and cache GET and HEAD, with no trusted signers or key groups, no Lambda@Edge or function
 * associations, no smooth streaming; the config gets the default CloudFront certificate (vip, TLSv1), no
 * logging, no geo restriction, PriceClass_All, HTTP/2, no web ACL, not staging.
 * A value the request did set is kept as it is.
 */
final class CloudFrontDefaults {
    private CloudFrontDefaults() {
    }

    static DistributionConfig fill(DistributionConfig c) {
        DistributionConfig.Builder b = c.toBuilder();
        if (c.aliases() == null) {
            b.aliases(a -> a.quantity(0));
        }
        if (c.defaultRootObject() == null) {
            b.defaultRootObject("");
        }
        if (c.originGroups() == null) {
            b.originGroups(g -> g.quantity(0));
        }
        if (c.origins() != null && c.origins().items() != null) {
            List<Origin> origins = new ArrayList<>();
            c.origins().items().forEach(o -> origins.add(origin(o)));
            b.origins(o -> o.quantity(origins.size()).items(origins));
        }
        if (c.defaultCacheBehavior() != null) {
            b.defaultCacheBehavior(behaviour(c.defaultCacheBehavior()));
        }
        if (c.cacheBehaviors() == null) {
            b.cacheBehaviors(x -> x.quantity(0));
        } else if (c.cacheBehaviors().items() != null && !c.cacheBehaviors().items().isEmpty()) {
            List<CacheBehavior> filled = new ArrayList<>();
            for (CacheBehavior cb : c.cacheBehaviors().items()) {
                DefaultCacheBehavior d = behaviour(DefaultCacheBehavior.builder().targetOriginId(cb.targetOriginId())
                        .trustedSigners(cb.trustedSigners()).trustedKeyGroups(cb.trustedKeyGroups())
                        .allowedMethods(cb.allowedMethods()).smoothStreaming(cb.smoothStreaming())
                        .compress(cb.compress()).lambdaFunctionAssociations(cb.lambdaFunctionAssociations())
                        .functionAssociations(cb.functionAssociations()).fieldLevelEncryptionId(cb
                                .fieldLevelEncryptionId()).build());
                filled.add(cb.toBuilder().trustedSigners(d.trustedSigners()).trustedKeyGroups(d.trustedKeyGroups())
                        .allowedMethods(d.allowedMethods()).smoothStreaming(d.smoothStreaming()).compress(d.compress())
                        .lambdaFunctionAssociations(d.lambdaFunctionAssociations())
                        .functionAssociations(d.functionAssociations())
                        .fieldLevelEncryptionId(d.fieldLevelEncryptionId()).build());
            }
            b.cacheBehaviors(x -> x.quantity(filled.size()).items(filled));
        }
        if (c.customErrorResponses() == null) {
            b.customErrorResponses(x -> x.quantity(0));
        } else if (c.customErrorResponses().items() != null && !c.customErrorResponses().items().isEmpty()) {
            List<CustomErrorResponse> filled = new ArrayList<>();
            for (CustomErrorResponse e : c.customErrorResponses().items()) {
                filled.add(e.toBuilder().responsePagePath(e.responsePagePath() == null ? "" : e.responsePagePath())
                        .responseCode(e.responseCode() == null ? "" : e.responseCode())
                        .errorCachingMinTTL(e.errorCachingMinTTL() == null ? 10L : e.errorCachingMinTTL()).build());
            }
            b.customErrorResponses(x -> x.quantity(filled.size()).items(filled));
        }
        if (c.logging() == null) {
            b.logging(l -> l.enabled(false).includeCookies(false).bucket("").prefix(""));
        }
        if (c.priceClass() == null) {
            b.priceClass(PriceClass.PRICE_CLASS_ALL);
        }
        if (c.viewerCertificate() == null) {
            b.viewerCertificate(ViewerCertificate.builder().cloudFrontDefaultCertificate(true)
                    .sslSupportMethod(SSLSupportMethod.VIP).minimumProtocolVersion(MinimumProtocolVersion.TLS_V1)
                    .certificateSource("cloudfront").build());
        }
        if (c.restrictions() == null) {
            b.restrictions(r -> r.geoRestriction(g -> g.restrictionType(GeoRestrictionType.NONE).quantity(0)));
        }
        if (c.webACLId() == null) {
            b.webACLId("");
        }
        if (c.httpVersion() == null) {
            b.httpVersion(HttpVersion.HTTP2);
        }
        if (c.isIPV6Enabled() == null) {
            b.isIPV6Enabled(false);
        }
        if (c.continuousDeploymentPolicyId() == null) {
            b.continuousDeploymentPolicyId("");
        }
        if (c.staging() == null) {
            b.staging(false);
        }
        return b.build();
    }

    private static Origin origin(Origin o) {
        Origin.Builder b = o.toBuilder();
        if (o.originPath() == null) {
            b.originPath("");
        }
        if (o.customHeaders() == null) {
            b.customHeaders(h -> h.quantity(0));
        }
        if (o.connectionAttempts() == null) {
            b.connectionAttempts(3);
        }
        if (o.connectionTimeout() == null) {
            b.connectionTimeout(10);
        }
        if (o.originShield() == null) {
            b.originShield(s -> s.enabled(false));
        }
        if (o.originAccessControlId() == null) {
            b.originAccessControlId("");
        }
        S3OriginConfig s3 = o.s3OriginConfig();
        if (s3 != null) {
            b.s3OriginConfig(s3.toBuilder().originAccessIdentity(s3.originAccessIdentity() == null ? ""
                    : s3.originAccessIdentity()).originReadTimeout(s3.originReadTimeout() == null ? 30
                    : s3.originReadTimeout()).build());
        }
        CustomOriginConfig custom = o.customOriginConfig();
        if (custom != null) {
            CustomOriginConfig.Builder cb = custom.toBuilder();
            if (custom.originReadTimeout() == null) {
                cb.originReadTimeout(30);
            }
            if (custom.originKeepaliveTimeout() == null) {
                cb.originKeepaliveTimeout(5);
            }
            if (custom.originSslProtocols() == null) {
                cb.originSslProtocols(p -> p.quantity(1).items(software.amazon.awssdk.services.cloudfront.model.SslProtocol.TLS_V1_2));
            }
            b.customOriginConfig(cb.build());
        }
        return b.build();
    }

    private static DefaultCacheBehavior behaviour(DefaultCacheBehavior d) {
        DefaultCacheBehavior.Builder b = d.toBuilder();
        if (d.trustedSigners() == null) {
            b.trustedSigners(t -> t.enabled(false).quantity(0));
        }
        if (d.trustedKeyGroups() == null) {
            b.trustedKeyGroups(t -> t.enabled(false).quantity(0));
        }
        if (d.allowedMethods() == null) {
            b.allowedMethods(AllowedMethods.builder().quantity(2).items(Method.HEAD, Method.GET)
                    .cachedMethods(m -> m.quantity(2).items(Method.HEAD, Method.GET)).build());
        }
        if (d.smoothStreaming() == null) {
            b.smoothStreaming(false);
        }
        if (d.compress() == null) {
            b.compress(false);
        }
        if (d.lambdaFunctionAssociations() == null) {
            b.lambdaFunctionAssociations(l -> l.quantity(0));
        }
        if (d.functionAssociations() == null) {
            b.functionAssociations(f -> f.quantity(0));
        }
        if (d.fieldLevelEncryptionId() == null) {
            b.fieldLevelEncryptionId("");
        }
        return b.build();
    }
}
