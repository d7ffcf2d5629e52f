package dev.oneclick.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.internal.aws.CdnManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.model.DistributionAlreadyExistsException;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionNotDisabledException;
import software.amazon.awssdk.services.cloudfront.model.IllegalOriginAccessConfigurationException;
import software.amazon.awssdk.services.cloudfront.model.IllegalUpdateException;
import software.amazon.awssdk.services.cloudfront.model.InvalidIfMatchVersionException;
import software.amazon.awssdk.services.cloudfront.model.NoSuchOriginAccessControlException;
import software.amazon.awssdk.services.cloudfront.model.PreconditionFailedException;

/** The fake refuses what CloudFront refuses, so tests against it cannot pass with calls AWS would reject. */
class FakeCloudFrontTest {
    private final FakeCloudFront cf = new FakeCloudFront();

    private String oac() {
        return cf.createOriginAccessControl(r -> r.originAccessControlConfig(c -> c.name("oac").signingProtocol("sigv4")
                .signingBehavior("always").originAccessControlOriginType("s3"))).originAccessControl().id();
    }

    private DistributionConfig config(String oacId) {
        return CdnManager.newConfig(new CdnManager.Spec("ref-1", "comment", "bucket-1", "us-east-1", oacId, true));
    }

    private String create() {
        DistributionConfig c = config(oac());
        return cf.createDistributionWithTags(r -> r.distributionConfigWithTags(w -> w.distributionConfig(c)
                .tags(t -> t.items(java.util.List.of())))).distribution().id();
    }

    @Test
    void updateDistribution_whenIfMatchMissing_throwsInvalidIfMatchVersion() {
        String id = create();
        DistributionConfig c = cf.config(id);

        assertThrows(InvalidIfMatchVersionException.class,
                () -> cf.updateDistribution(r -> r.id(id).distributionConfig(c)));
    }

    @Test
    void updateDistribution_whenIfMatchStale_throwsPreconditionFailed() {
        String id = create();
        String etag = cf.getDistributionConfig(r -> r.id(id)).eTag();
        cf.updateDistribution(r -> r.id(id).ifMatch(etag).distributionConfig(cf.config(id).toBuilder()
                .comment("changed").build()));

        assertThrows(PreconditionFailedException.class, () -> cf.updateDistribution(r -> r.id(id).ifMatch(etag)
                .distributionConfig(cf.config(id))));
    }

    @Test
    void updateDistribution_whenCallerReferenceChanges_throwsIllegalUpdate() {
        String id = create();
        String etag = cf.getDistributionConfig(r -> r.id(id)).eTag();

        assertThrows(IllegalUpdateException.class, () -> cf.updateDistribution(r -> r.id(id).ifMatch(etag)
                .distributionConfig(cf.config(id).toBuilder().callerReference("other").build())));
    }

    @Test
    void createDistribution_whenOacUnknown_throwsNoSuchOriginAccessControl() {
        DistributionConfig c = config("EUNKNOWN");

        assertThrows(NoSuchOriginAccessControlException.class, () -> cf.createDistributionWithTags(r -> r
                .distributionConfigWithTags(w -> w.distributionConfig(c).tags(t -> t.items(java.util.List.of())))));
    }

    @Test
    void createDistribution_whenOacAndOaiBothSet_throwsIllegalOriginAccessConfiguration() {
        DistributionConfig base = config(oac());
        DistributionConfig both = base.toBuilder().origins(o -> o.quantity(1).items(base.origins().items().get(0)
                .toBuilder().s3OriginConfig(s -> s.originAccessIdentity("origin-access-identity/cloudfront/E1"))
                .build())).build();

        assertThrows(IllegalOriginAccessConfigurationException.class, () -> cf.createDistributionWithTags(r -> r
                .distributionConfigWithTags(w -> w.distributionConfig(both).tags(t -> t.items(java.util.List.of())))));
    }

    @Test
    void getDistribution_whenReadEnoughTimes_turnsDeployed() {
        cf.readsToDeploy(2);
        String id = create();

        assertEquals("InProgress", cf.getDistribution(r -> r.id(id)).distribution().status());
        assertEquals("InProgress", cf.getDistribution(r -> r.id(id)).distribution().status());
        assertEquals("Deployed", cf.getDistribution(r -> r.id(id)).distribution().status());
        assertEquals(Map.of(), cf.tags(id));
    }

    @Test
    void createDistribution_whenCallerReferenceRepeatsTheOriginalConfigAfterAnUpdate_returnsTheSameDistribution() {
        DistributionConfig original = config(oac());
        String id = cf.createDistributionWithTags(r -> r.distributionConfigWithTags(w -> w.distributionConfig(original)
                .tags(t -> t.items(java.util.List.of())))).distribution().id();
        String etag = cf.getDistributionConfig(r -> r.id(id)).eTag();
        cf.updateDistribution(r -> r.id(id).ifMatch(etag).distributionConfig(original.toBuilder().comment("changed")
                .build()));

        String again = cf.createDistributionWithTags(r -> r.distributionConfigWithTags(w -> w
                .distributionConfig(original).tags(t -> t.items(java.util.List.of())))).distribution().id();

        assertEquals(id, again);
        assertEquals(1, cf.distributionIds().size());
        DistributionConfig other = original.toBuilder().comment("other").build();
        assertThrows(DistributionAlreadyExistsException.class, () -> cf.createDistributionWithTags(r -> r
                .distributionConfigWithTags(w -> w.distributionConfig(other).tags(t -> t.items(java.util.List.of())))));
    }

    @Test
    void deleteDistribution_whenDisabledButNotYetDeployed_throwsDistributionNotDisabled() {
        cf.readsToDeploy(100);
        String id = create();
        String etag = cf.getDistributionConfig(r -> r.id(id)).eTag();
        cf.updateDistribution(r -> r.id(id).ifMatch(etag).distributionConfig(cf.config(id).toBuilder().enabled(false)
                .build()));
        String disabledEtag = cf.getDistributionConfig(r -> r.id(id)).eTag();

        assertThrows(DistributionNotDisabledException.class,
                () -> cf.deleteDistribution(r -> r.id(id).ifMatch(disabledEtag)));

        cf.finishDeploying();
        cf.deleteDistribution(r -> r.id(id).ifMatch(disabledEtag));
        assertTrue(cf.distributionIds().isEmpty());
    }

    @Test
    void deleteDistribution_whenIfMatchStale_throwsPreconditionFailed() {
        String id = create();
        String etag = cf.getDistributionConfig(r -> r.id(id)).eTag();
        cf.updateDistribution(r -> r.id(id).ifMatch(etag).distributionConfig(cf.config(id).toBuilder().enabled(false)
                .build()));
        cf.finishDeploying();

        assertThrows(PreconditionFailedException.class, () -> cf.deleteDistribution(r -> r.id(id).ifMatch(etag)));
        assertEquals(1, cf.distributionIds().size());
    }

    // ---- CloudFront Functions, as AWS documents them

    private static final software.amazon.awssdk.services.cloudfront.model.FunctionConfig FN_CONFIG =
            software.amazon.awssdk.services.cloudfront.model.FunctionConfig.builder().comment("c")
                    .runtime(software.amazon.awssdk.services.cloudfront.model.FunctionRuntime.CLOUDFRONT_JS_2_0).build();

    private String createFunction(String name) {
        return cf.createFunction(r -> r.name(name).functionConfig(FN_CONFIG).functionCode(
                software.amazon.awssdk.core.SdkBytes.fromUtf8String("function handler(e) { return e.request; }")))
                .eTag();
    }

    @Test
    void createFunction_whenNameTakenOrInvalidOrTooLarge_isRefused() {
        createFunction("fn-1");
        assertThrows(software.amazon.awssdk.services.cloudfront.model.FunctionAlreadyExistsException.class,
                () -> createFunction("fn-1"));
        assertThrows(software.amazon.awssdk.services.cloudfront.model.InvalidArgumentException.class,
                () -> createFunction("fn with spaces"));
        assertThrows(software.amazon.awssdk.services.cloudfront.model.FunctionSizeLimitExceededException.class,
                () -> cf.createFunction(r -> r.name("big").functionConfig(FN_CONFIG).functionCode(
                        software.amazon.awssdk.core.SdkBytes.fromUtf8String("x".repeat(10 * 1024 + 1)))));
    }

    @Test
    void functionStages_whenUnpublished_liveIsMissingAndPublishNeedsTheDevelopmentEtag() {
        String etag = createFunction("fn-1");
        var dev = cf.describeFunction(r -> r.name("fn-1"));
        assertEquals(etag, dev.eTag());
        assertEquals("UNPUBLISHED", dev.functionSummary().status());
        assertEquals(software.amazon.awssdk.services.cloudfront.model.FunctionStage.DEVELOPMENT,
                dev.functionSummary().functionMetadata().stage());
        assertThrows(software.amazon.awssdk.services.cloudfront.model.NoSuchFunctionExistsException.class,
                () -> cf.describeFunction(r -> r.name("fn-1")
                        .stage(software.amazon.awssdk.services.cloudfront.model.FunctionStage.LIVE)));
        assertThrows(InvalidIfMatchVersionException.class, () -> cf.publishFunction(r -> r.name("fn-1")));
        assertThrows(PreconditionFailedException.class, () -> cf.publishFunction(r -> r.name("fn-1").ifMatch("E1")));
        var live = cf.publishFunction(r -> r.name("fn-1").ifMatch(etag)).functionSummary();
        assertEquals(software.amazon.awssdk.services.cloudfront.model.FunctionStage.LIVE,
                live.functionMetadata().stage());
        assertEquals("UNASSOCIATED", live.status());
        assertEquals("UNASSOCIATED", cf.describeFunction(r -> r.name("fn-1")).functionSummary().status());
    }

    @Test
    void updateFunction_whenStaleEtag_isRefusedAndEachWriteChangesTheEtag() {
        String etag = createFunction("fn-1");
        assertThrows(PreconditionFailedException.class, () -> cf.updateFunction(r -> r.name("fn-1").ifMatch("E1")
                .functionConfig(FN_CONFIG).functionCode(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x"))));
        String next = cf.updateFunction(r -> r.name("fn-1").ifMatch(etag).functionConfig(FN_CONFIG)
                .functionCode(software.amazon.awssdk.core.SdkBytes.fromUtf8String("function handler(e){}"))).eTag();
        assertTrue(!next.equals(etag));
        assertEquals("function handler(e){}", cf.getFunction(r -> r.name("fn-1")).functionCode().asUtf8String());
        assertThrows(PreconditionFailedException.class, () -> cf.deleteFunction(r -> r.name("fn-1").ifMatch(etag)));
        cf.deleteFunction(r -> r.name("fn-1").ifMatch(next));
        assertThrows(software.amazon.awssdk.services.cloudfront.model.NoSuchFunctionExistsException.class,
                () -> cf.describeFunction(r -> r.name("fn-1")));
    }

    @Test
    void listFunctions_whenPagedOrLiveOnly_listsByName() {
        cf.pageSize(2);
        for (String n : java.util.List.of("fn-a", "fn-b", "fn-c")) {
            createFunction(n);
        }
        String etag = cf.describeFunction(r -> r.name("fn-b")).eTag();
        cf.publishFunction(r -> r.name("fn-b").ifMatch(etag));
        var first = cf.listFunctions(r -> r.maxItems("2")).functionList();
        assertEquals(java.util.List.of("fn-a", "fn-b"), first.items().stream().map(f -> f.name()).toList());
        var second = cf.listFunctions(r -> r.marker(first.nextMarker())).functionList();
        assertEquals(java.util.List.of("fn-c"), second.items().stream().map(f -> f.name()).toList());
        var live = cf.listFunctions(r -> r.stage(software.amazon.awssdk.services.cloudfront.model.FunctionStage.LIVE))
                .functionList();
        assertEquals(java.util.List.of("fn-b"), live.items().stream().map(f -> f.name()).toList());
    }

    private String sharedOac;

    private void createWithTags(java.util.List<software.amazon.awssdk.services.cloudfront.model.Tag> tags) {
        if (sharedOac == null) {
            sharedOac = oac();
        }
        DistributionConfig c = config(sharedOac);
        cf.createDistributionWithTags(r -> r.distributionConfigWithTags(w -> w.distributionConfig(c)
                .tags(t -> t.items(tags))));
    }

    private static software.amazon.awssdk.services.cloudfront.model.Tag tag(String k, String v) {
        return software.amazon.awssdk.services.cloudfront.model.Tag.builder().key(k).value(v).build();
    }

    @Test
    void tags_areRefusedAsCloudFrontRefusesThem() {
        java.util.List<software.amazon.awssdk.services.cloudfront.model.Tag> fiftyOne = new java.util.ArrayList<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.add(tag("k" + i, "v"));
        }
        assertThrows(software.amazon.awssdk.services.cloudfront.model.InvalidTaggingException.class,
                () -> createWithTags(fiftyOne));
        for (var bad : java.util.List.of(tag("aws:owner", "x"), tag("k".repeat(129), "x"), tag("k", "v".repeat(257)),
                tag("k", "a;b"), tag("", "x"))) {
            assertThrows(software.amazon.awssdk.services.cloudfront.model.InvalidTaggingException.class,
                    () -> createWithTags(java.util.List.of(bad)), bad.toString());
        }
        assertTrue(cf.distributionIds().isEmpty());
        createWithTags(java.util.List.of(tag("oneclick:project-guid", "3f2b8c1e"), tag("team name", "web+ops@x.y/z=1"),
                tag("k".repeat(128), "v".repeat(256))));
        assertEquals(1, cf.distributionIds().size());
    }

    @Test
    void tagResource_whenTheResultWouldPass50Tags_isRefused() {
        String id = create();
        String arn = cf.getDistribution(r -> r.id(id)).distribution().arn();
        java.util.List<software.amazon.awssdk.services.cloudfront.model.Tag> fifty = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(tag("k" + i, "v"));
        }
        cf.tagResource(r -> r.resource(arn).tags(t -> t.items(fifty)));

        assertThrows(software.amazon.awssdk.services.cloudfront.model.InvalidTaggingException.class,
                () -> cf.tagResource(r -> r.resource(arn).tags(t -> t.items(tag("one-more", "v")))));
        assertEquals(50, cf.tags(id).size());
    }

    @Test
    void createInvalidation_whenMoreThan3000Paths_throwsBatchTooLarge() {
        String id = create();
        java.util.List<String> paths = new java.util.ArrayList<>();
        for (int i = 0; i < 3001; i++) {
            paths.add("/" + i);
        }
        assertThrows(software.amazon.awssdk.services.cloudfront.model.BatchTooLargeException.class,
                () -> cf.createInvalidation(r -> r.distributionId(id).invalidationBatch(b -> b.callerReference("x")
                        .paths(p -> p.quantity(paths.size()).items(paths)))));
    }
}
