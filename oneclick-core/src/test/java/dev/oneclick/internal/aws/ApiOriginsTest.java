package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.local.Moto;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.model.CacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.Method;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.OriginProtocolPolicy;
import software.amazon.awssdk.services.cloudfront.model.ViewerProtocolPolicy;

/**
 * The distribution's second origin: the pure merge ({@link ApiOrigins#apply}) and, over the wire on moto, a
 * distribution created and re-read with it (two origins, the secret header, the {@code /api/*} behaviour), which a
 * rerun leaves alone.
 */
class ApiOriginsTest {
    private static final ApiOrigins.Api API = new ApiOrigins.Api("tmux-abc-123.us-east-1.elb.amazonaws.com", "s3cr3t");
    private static Moto moto;

    @BeforeAll
    static void start() {
        moto = Moto.start();
    }

    @AfterAll
    static void stop() {
        moto.close();
    }

    private static CdnManager.Spec spec(String guid, ApiOrigins.Api api) {
        return new CdnManager.Spec("tmux-builder-" + guid, "tmux-builder-" + guid, "tmux-builder-" + guid,
                "us-east-1", "E2OAC", true, "index.html", null, null, api);
    }

    private static Origin origin(DistributionConfig c, String id) {
        return c.origins().items().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
    }

    private static void assertApiSettings(DistributionConfig c, String domain, String secret) {
        Origin alb = origin(c, ApiOrigins.ORIGIN_ID);
        assertEquals(domain, alb.domainName());
        assertEquals(OriginProtocolPolicy.HTTP_ONLY, alb.customOriginConfig().originProtocolPolicy());
        assertEquals(80, alb.customOriginConfig().httpPort());
        assertEquals(1, alb.customHeaders().items().size());
        assertEquals(ApiOrigins.HEADER, alb.customHeaders().items().get(0).headerName());
        assertEquals(secret, alb.customHeaders().items().get(0).headerValue());
        CacheBehavior api = c.cacheBehaviors().items().get(0);
        assertEquals("/api/*", api.pathPattern());
        assertEquals(ApiOrigins.ORIGIN_ID, api.targetOriginId());
        assertEquals(ApiOrigins.CACHING_DISABLED, api.cachePolicyId());
        assertEquals(ApiOrigins.ALL_VIEWER, api.originRequestPolicyId());
        assertEquals(ViewerProtocolPolicy.HTTPS_ONLY, api.viewerProtocolPolicy());
        assertTrue(api.allowedMethods().items().containsAll(List.of(Method.GET, Method.HEAD, Method.OPTIONS,
                Method.PUT, Method.POST, Method.PATCH, Method.DELETE)));
    }

    @Test
    void apply_onNewConfig_addsAlbOriginAndApiBehaviourBeforeTheOthers_andIsStable() {
        DistributionConfig c = CdnManager.newConfig(spec("g", API));
        assertEquals(2, c.origins().quantity());
        assertEquals("s3-tmux-builder-g", c.defaultCacheBehavior().targetOriginId());
        assertApiSettings(c, API.domain(), API.secret());
        assertNull(c.cacheBehaviors().items().get(0).forwardedValues(), "a cache policy, no legacy settings");
        assertEquals(c, ApiOrigins.apply(c, API), "applying again changes nothing");
        assertEquals(c, CdnManager.applySpec(c, spec("g", API)));
    }

    @Test
    void apply_whenOtherBehavioursAndHeaders_keepsThemAndReplacesOnlyOurs() {
        DistributionConfig c = CdnManager.newConfig(spec("g", API));
        Origin alb = origin(c, ApiOrigins.ORIGIN_ID);
        Origin withExtra = alb.toBuilder().customHeaders(h -> h.quantity(2).items(alb.customHeaders().items().get(0),
                software.amazon.awssdk.services.cloudfront.model.OriginCustomHeader.builder().headerName("X-Other")
                        .headerValue("1").build())).build();
        CacheBehavior images = c.cacheBehaviors().items().get(0).toBuilder().pathPattern("/img/*")
                .targetOriginId("s3-tmux-builder-g").build();
        DistributionConfig edited = c.toBuilder()
                .origins(o -> o.quantity(2).items(origin(c, "s3-tmux-builder-g"), withExtra))
                .cacheBehaviors(b -> b.quantity(2).items(c.cacheBehaviors().items().get(0), images)).build();
        DistributionConfig rotated = ApiOrigins.apply(edited, new ApiOrigins.Api("new.elb.amazonaws.com", "other"));
        assertEquals(2, rotated.cacheBehaviors().quantity());
        assertEquals("/img/*", rotated.cacheBehaviors().items().get(1).pathPattern());
        Origin after = origin(rotated, ApiOrigins.ORIGIN_ID);
        assertEquals("new.elb.amazonaws.com", after.domainName());
        assertEquals(Map.of("X-Other", "1", ApiOrigins.HEADER, "other"), Map.of(
                after.customHeaders().items().get(0).headerName(), after.customHeaders().items().get(0).headerValue(),
                after.customHeaders().items().get(1).headerName(), after.customHeaders().items().get(1).headerValue()));
    }

    @Test
    void spec_whenPrinted_hidesTheSecret() {
        assertFalse(spec("g", API).toString().contains("s3cr3t"));
    }

    @Test
    void distribution_onMoto_hasBothOrigins_rerunNeedsNoUpdate_newSecretDoes() {
        String guid = UUID.randomUUID().toString();
        CdnManager cdn = new CdnManager(moto.cloudFrontClient(), AwsCall.standard(d -> { }), DeployListener.NONE,
                guid);
        CdnManager.Created made = cdn.create(spec(guid, API), Map.of("oneclick:project-guid", guid));
        String id = made.dist().id();
        DistributionConfig stored = moto.cloudFrontClient().getDistributionConfig(r -> r.id(id)).distributionConfig();
        assertEquals(2, stored.origins().quantity());
        assertApiSettings(stored, API.domain(), API.secret());
        assertFalse(cdn.needsUpdate(id, spec(guid, API)), "a rerun with the same load balancer and secret");
        assertFalse(cdn.update(id, cfg -> CdnManager.applySpec(cfg, spec(guid, API))));

        ApiOrigins.Api rotated = new ApiOrigins.Api(API.domain(), "rotated");
        assertTrue(cdn.needsUpdate(id, spec(guid, rotated)));
        assertTrue(cdn.update(id, cfg -> CdnManager.applySpec(cfg, spec(guid, rotated))));
        DistributionConfig after = moto.cloudFrontClient().getDistributionConfig(r -> r.id(id)).distributionConfig();
        assertApiSettings(after, API.domain(), "rotated");
        assertEquals(1, after.cacheBehaviors().quantity());
        assertNotEquals(stored, after);
    }
}
