package dev.oneclick.internal.aws;

import dev.oneclick.internal.aws.CdnManager.Spec;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudfront.model.CustomErrorResponse;
import software.amazon.awssdk.services.cloudfront.model.DefaultCacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.EventType;
import software.amazon.awssdk.services.cloudfront.model.FunctionAssociation;
import software.amazon.awssdk.services.cloudfront.model.FunctionAssociations;
import software.amazon.awssdk.services.cloudfront.model.HttpVersion;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.ViewerProtocolPolicy;

/**
 * The distribution settings oneclick manages, as pure functions over the SDK's config objects: the config of a new
 * distribution, and oneclick's settings merged into a config as CloudFront returned it (everything else kept, so an
 * unchanged config compares equal and no update is sent).
 */
public final class DistributionConfigs {
    private DistributionConfigs() {
    }

    /** The full config of a new distribution for {@code spec}. */
    static DistributionConfig newConfig(Spec spec) {
        DistributionConfig base = DistributionConfig.builder()
                .callerReference(spec.callerReference())
                .enabled(true)
                .httpVersion(HttpVersion.HTTP2_AND3)
                .isIPV6Enabled(true)
                .origins(o -> o.quantity(0).items(List.of()))
                .customErrorResponses(c -> c.quantity(0).items(List.of()))
                .defaultCacheBehavior(b -> b.targetOriginId(spec.originId()))
                .build();
        return applySpec(base, spec);
    }

    /**
     * Sets the fields oneclick manages onto {@code current}, keeping everything else (aliases, certificates, other
     * origins and behaviours someone added): our S3 origin with OAC and no OAI, the default behaviour's target,
     * HTTPS redirect, compression and cache policy, the root object, the SPA error responses, the comment, enabled.
     */
    static DistributionConfig applySpec(DistributionConfig current, Spec spec) {
        Origin ours = Origin.builder()
                .id(spec.originId())
                .domainName(spec.originDomain())
                .originPath("")
                .originAccessControlId(spec.oacId())
                .s3OriginConfig(s -> s.originAccessIdentity(""))
                .build();
        List<Origin> origins = new ArrayList<>();
        boolean replaced = false;
        if (current.origins() != null) {
            for (Origin o : current.origins().items()) {
                if (o.id().equals(spec.originId())) {
                    origins.add(mergeOrigin(o, ours));
                    replaced = true;
                } else {
                    origins.add(o);
                }
            }
        }
        if (!replaced) {
            origins.add(ours);
        }

        DefaultCacheBehavior cur = current.defaultCacheBehavior();
        DefaultCacheBehavior.Builder dcb = cur == null ? DefaultCacheBehavior.builder() : cur.toBuilder();
        dcb.targetOriginId(spec.originId())
                .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                .compress(true);
        if (cur == null || cur.cachePolicyId() == null || !CdnManager.CACHING_OPTIMIZED.equals(cur.cachePolicyId())) {
            dcb.cachePolicyId(CdnManager.CACHING_OPTIMIZED).forwardedValues((software.amazon.awssdk.services.cloudfront.model
                    .ForwardedValues) null).minTTL(null).defaultTTL(null).maxTTL(null);
        }

        List<CustomErrorResponse> errors = new ArrayList<>();
        if (current.customErrorResponses() != null) {
            for (CustomErrorResponse e : current.customErrorResponses().items()) {
                if (e.errorCode() != 403 && e.errorCode() != 404) {
                    errors.add(e);
                }
            }
        }
        if (spec.spaFallback() && spec.indexDocument() != null) {
            errors.add(spaError(403, spec.indexDocument()));
            errors.add(spaError(404, spec.indexDocument()));
        } else if (current.customErrorResponses() != null) {
            // keep 403/404 responses that are not the SPA fallback oneclick sets
            for (CustomErrorResponse e : current.customErrorResponses().items()) {
                if ((e.errorCode() == 403 || e.errorCode() == 404) && !isSpaError(e)) {
                    errors.add(e);
                }
            }
        }
        errors.sort((a, b) -> Integer.compare(a.errorCode(), b.errorCode()));

        DistributionConfig site = current.toBuilder()
                .comment(spec.comment())
                .enabled(true)
                .defaultRootObject(spec.indexDocument() == null ? "" : spec.indexDocument())
                .origins(o -> o.quantity(origins.size()).items(origins))
                .defaultCacheBehavior(spec.functionArn() == null && spec.ownFunctionArn() == null ? dcb.build()
                        : withRouting(dcb.build(), spec.functionArn(), spec.ownFunctionArn()))
                .customErrorResponses(c -> c.quantity(errors.size()).items(errors))
                .build();
        return spec.api() == null ? site : ApiOrigins.apply(site, spec.api());
    }

    /** Our settings over the origin as CloudFront returned it, keeping what CloudFront fills in (read timeout). */
    private static Origin mergeOrigin(Origin current, Origin ours) {
        return current.toBuilder()
                .domainName(ours.domainName())
                .originAccessControlId(ours.originAccessControlId())
                .s3OriginConfig(current.s3OriginConfig() == null ? ours.s3OriginConfig()
                        : current.s3OriginConfig().toBuilder().originAccessIdentity("").build())
                .customOriginConfig((software.amazon.awssdk.services.cloudfront.model.CustomOriginConfig) null)
                .build();
    }

    private static CustomErrorResponse spaError(int code, String indexDocument) {
        return CustomErrorResponse.builder().errorCode(code).responsePagePath("/" + indexDocument).responseCode("200")
                .errorCachingMinTTL(10L).build();
    }

    private static boolean isSpaError(CustomErrorResponse e) {
        return CdnManager.SPA_PAGE.equals(e.responsePagePath()) && "200".equals(e.responseCode());
    }

    /**
     * {@code current}'s associations with the routing function on viewer request ({@code functionArn}), or without
     * this project's function ({@code ownArn}) when {@code functionArn} is null; associations on other events are
     * kept, and a viewer-request association to another function is replaced (a behaviour has one per event).
     */
    public static FunctionAssociations mergeFunctions(FunctionAssociations current, String functionArn, String ownArn) {
        List<FunctionAssociation> items = new ArrayList<>();
        if (current != null && current.items() != null) {
            for (FunctionAssociation a : current.items()) {
                boolean viewerRequest = a.eventType() == EventType.VIEWER_REQUEST;
                boolean ours = ownArn != null && ownArn.equals(a.functionARN());
                if ((functionArn != null && viewerRequest) || ours) {
                    continue;
                }
                items.add(a);
            }
        }
        if (functionArn != null) {
            items.add(FunctionAssociation.builder().eventType(EventType.VIEWER_REQUEST).functionARN(functionArn)
                    .build());
        }
        return FunctionAssociations.builder().quantity(items.size()).items(items).build();
    }

    /** {@code current} with {@link #mergeFunctions}d function associations. */
    public static DefaultCacheBehavior withRouting(DefaultCacheBehavior current, String functionArn, String ownArn) {
        return current.toBuilder().functionAssociations(mergeFunctions(current.functionAssociations(), functionArn,
                ownArn)).build();
    }
}
