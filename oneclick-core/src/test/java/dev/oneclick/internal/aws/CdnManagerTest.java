package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.DeployListener;
import dev.oneclick.fakes.FakeCloudFront;
import dev.oneclick.naming.ResourceNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.model.CustomErrorResponse;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlConfig;
import software.amazon.awssdk.services.cloudfront.model.PreconditionFailedException;

class CdnManagerTest {
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";
    private static final String OTHER_GUID = "00000000-0000-4000-8000-000000000001";
    private static final String COMMENT = "tmux-builder-" + GUID;
    private static final Map<String, String> TAGS = ResourceNames.defaults()
            .tags(dev.oneclick.naming.ProjectGuid.parse(GUID), "user-1");

    private final FakeCloudFront cf = new FakeCloudFront();
    private final List<Duration> sleeps = new ArrayList<>();
    private final AwsCall call = AwsCall.standard(sleeps::add);
    private final CdnManager cdn = new CdnManager(cf, call, DeployListener.NONE, GUID);

    private CdnManager.Spec spec(String oacId, boolean spa) {
        return new CdnManager.Spec("tmux-builder-" + GUID, COMMENT, "tmux-builder-" + GUID, "eu-west-1", oacId, spa);
    }

    @Test
    void create_whenNew_configuresOacRegionalOriginHttpsCompressionSpaFallbackCommentAndTags() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        CdnManager.Created made = cdn.create(spec(oac, true), TAGS);

        assertTrue(made.created());
        DistributionConfig c = cf.config(made.dist().id());
        Origin origin = c.origins().items().get(0);
        assertEquals("tmux-builder-" + GUID + ".s3.eu-west-1.amazonaws.com", origin.domainName());
        assertEquals(oac, origin.originAccessControlId());
        assertEquals("", origin.s3OriginConfig().originAccessIdentity());
        assertEquals(origin.id(), c.defaultCacheBehavior().targetOriginId());
        assertEquals("redirect-to-https", c.defaultCacheBehavior().viewerProtocolPolicyAsString());
        assertTrue(c.defaultCacheBehavior().compress());
        assertEquals(CdnManager.CACHING_OPTIMIZED, c.defaultCacheBehavior().cachePolicyId());
        assertEquals("index.html", c.defaultRootObject());
        assertEquals(COMMENT, c.comment());
        assertEquals("tmux-builder-" + GUID, c.callerReference());
        assertTrue(c.enabled());
        List<CustomErrorResponse> errors = c.customErrorResponses().items();
        assertEquals(List.of(403, 404), errors.stream().map(CustomErrorResponse::errorCode).toList());
        for (CustomErrorResponse e : errors) {
            assertEquals("/index.html", e.responsePagePath());
            assertEquals("200", e.responseCode());
        }
        assertEquals(TAGS, cf.tags(made.dist().id()));
        assertTrue(made.dist().arn().startsWith("arn:aws:cloudfront::" + FakeCloudFront.ACCOUNT + ":distribution/"));
        assertTrue(made.dist().url().matches("https://d[a-z0-9]+\\.cloudfront\\.net"));

        OriginAccessControlConfig oacConfig = cf.originAccessControls().get(0);
        assertEquals("sigv4", oacConfig.signingProtocolAsString());
        assertEquals("always", oacConfig.signingBehaviorAsString());
        assertEquals("s3", oacConfig.originAccessControlOriginTypeAsString());
    }

    @Test
    void create_whenSameRequestRepeated_returnsTheSameDistribution() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        CdnManager.Created first = cdn.create(spec(oac, true), TAGS);
        CdnManager.Created second = cdn.create(spec(oac, true), TAGS);

        assertEquals(first.dist().id(), second.dist().id());
        assertEquals(1, cf.distributionIds().size());
    }

    @Test
    void create_whenCallerReferenceHoldsOtherConfig_findsTheExistingDistributionByComment() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        CdnManager.Created first = cdn.create(spec(oac, true), TAGS);

        CdnManager.Created again = cdn.create(spec(oac, false), TAGS);

        assertFalse(again.created());
        assertEquals(first.dist().id(), again.dist().id());
        assertEquals(1, cf.distributionIds().size());
    }

    @Test
    void create_whenCallerReferenceUsedByDeletedDistribution_createsWithFreshReference() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        cdn.disable(id);
        cf.readsToDeploy(0);
        cdn.waitDeployed(id, Duration.ofSeconds(5), Duration.ZERO);
        assertTrue(cdn.delete(id));

        CdnManager.Created again = cdn.create(spec(oac, false), TAGS);

        assertTrue(again.created());
        assertNotEquals(id, again.dist().id());
        assertTrue(cf.config(again.dist().id()).callerReference().startsWith("tmux-builder-" + GUID + "-"));
    }

    @Test
    void update_whenEtagGoesStaleOnce_readsAgainAndSucceeds() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        cf.changeBehindNextUpdate();

        boolean sent = cdn.update(id, c -> CdnManager.applySpec(c, spec(oac, false)));

        assertTrue(sent);
        assertEquals(2, cf.count("UpdateDistribution"));
        assertEquals(0, cf.config(id).customErrorResponses().items().size());
    }

    @Test
    void update_whenEtagStaysStale_throwsPreconditionFailedAfterBoundedAttempts() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        for (int i = 0; i < 10; i++) {
            cf.changeBehindNextUpdate();
        }

        AwsRequestException e = assertThrows(AwsRequestException.class,
                () -> cdn.update(id, c -> CdnManager.applySpec(c, spec(oac, false))));

        assertTrue(e.getCause() instanceof PreconditionFailedException);
        assertEquals("PreconditionFailed", e.errorCode());
        assertEquals(CdnManager.PRECONDITION_ATTEMPTS, cf.count("UpdateDistribution"));
    }

    @Test
    void update_whenConfigAlreadyMatches_sendsNothing() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();

        assertFalse(cdn.update(id, c -> CdnManager.applySpec(c, spec(oac, true))));
        assertFalse(cdn.needsUpdate(id, spec(oac, true)));
        assertEquals(0, cf.count("UpdateDistribution"));
    }

    @Test
    void find_whenDistributionIsOnALaterPage_pagesThroughToTheComment() {
        cf.pageSize(2);
        for (int i = 0; i < 5; i++) {
            cf.addForeignDistribution("someone else's " + i, Map.of());
        }
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        for (int i = 5; i < 9; i++) {
            cf.addForeignDistribution("someone else's " + i, Map.of());
        }

        Optional<CdnManager.Dist> found = cdn.findTagged(COMMENT, d -> { });

        assertEquals(id, found.orElseThrow().id());
        assertTrue(cf.count("ListDistributions") >= 2);
    }

    @Test
    void find_whenCommentMatchesButProjectTagNamesAnotherProject_skipsIt() {
        cf.addForeignDistribution(COMMENT, Map.of(ResourceNames.TAG_PROJECT_GUID, OTHER_GUID));

        assertTrue(cdn.findTagged(COMMENT, d -> { }).isEmpty());
    }

    @Test
    void findTagged_whenCommentMatchesButTheDistributionHasNoProjectTag_passesItOver() {
        String foreign = cf.addForeignDistribution(COMMENT, Map.of());
        List<String> passed = new java.util.ArrayList<>();

        assertTrue(cdn.findTagged(COMMENT, d -> passed.add(d.id())).isEmpty());
        assertEquals(List.of(foreign), passed);
    }

    @Test
    void findOac_whenOnALaterPage_findsItByName() {
        cf.pageSize(1);
        cdn.createOac("aaa");
        cdn.createOac("bbb");
        String id = cdn.createOac("tmux-builder-" + GUID);

        assertEquals(Optional.of(id), cdn.findOac("tmux-builder-" + GUID));
        assertEquals(Optional.empty(), cdn.findOac("tmux-builder-none"));
    }

    @Test
    void createOac_whenNameAlreadyTaken_reusesTheExistingOne() {
        String first = cdn.createOac("tmux-builder-" + GUID);

        assertEquals(first, cdn.createOac("tmux-builder-" + GUID));
        assertEquals(1, cf.originAccessControlIds().size());
    }

    @Test
    void deleteOac_whenDistributionStillUsesIt_throwsInUse() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        cdn.create(spec(oac, true), TAGS);

        AwsRequestException e = assertThrows(AwsRequestException.class, () -> cdn.deleteOac(oac));

        assertEquals("OriginAccessControlInUse", e.errorCode());
    }

    @Test
    void delete_whenStillEnabled_throwsDistributionNotDisabled() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();

        AwsRequestException e = assertThrows(AwsRequestException.class, () -> cdn.delete(id));

        assertEquals("DistributionNotDisabled", e.errorCode());
    }

    @Test
    void waitDeployed_whenReadsComplete_returnsDeployed() {
        cf.readsToDeploy(3);
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();

        Optional<CdnManager.Dist> d = cdn.waitDeployed(id, Duration.ofMinutes(1), Duration.ofSeconds(10));

        assertTrue(d.orElseThrow().deployed());
        assertEquals(3, sleeps.size());
    }

    @Test
    void waitDeployed_whenTimeoutIsZero_returnsInProgressWithoutWaiting() {
        cf.readsToDeploy(100);
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();

        Optional<CdnManager.Dist> d = cdn.waitDeployed(id, Duration.ZERO, Duration.ofSeconds(10));

        assertEquals("InProgress", d.orElseThrow().status());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void anyCall_whenThrottled_throwsTypedErrorAtOnceLeavingRetriesToTheSdk() {
        cf.throttleNext(1);

        AwsRequestException e = assertThrows(AwsRequestException.class, () -> cdn.findOac("x"));

        assertEquals("Throttling", e.errorCode());
        assertEquals("ListOriginAccessControls", e.operation());
        assertTrue(e.getMessage().contains("throttling"), e.getMessage());
        assertTrue(sleeps.isEmpty(), "no backoff of oneclick's own: " + sleeps);
        assertTrue(cdn.findOac("x").isEmpty(), "the next call is sent once and answered");
    }

    @Test
    void applySpec_keepsForeignOriginsAndErrorResponsesAndRemovesOnlyTheSpaFallbackWhenOff() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        DistributionConfig withExtra = cf.config(id).toBuilder()
                .origins(o -> o.quantity(2).items(List.of(cf.config(id).origins().items().get(0),
                        Origin.builder().id("api").domainName("api.example.com").build())))
                .customErrorResponses(e -> e.quantity(3).items(List.of(
                        CustomErrorResponse.builder().errorCode(500).responsePagePath("/500.html")
                                .responseCode("500").build(),
                        cf.config(id).customErrorResponses().items().get(0),
                        cf.config(id).customErrorResponses().items().get(1))))
                .build();

        DistributionConfig off = CdnManager.applySpec(withExtra, spec(oac, false));

        assertEquals(List.of("s3-tmux-builder-" + GUID, "api"),
                off.origins().items().stream().map(Origin::id).toList());
        assertEquals(List.of(500), off.customErrorResponses().items().stream()
                .map(CustomErrorResponse::errorCode).toList());
        assertEquals(1, off.customErrorResponses().quantity());
        assertEquals(2, off.origins().quantity());
    }

    /** Someone changes the distribution outside oneclick (console, CLI), as CloudFront's API takes it. */
    private void editOutside(String id, java.util.function.UnaryOperator<DistributionConfig> edit) {
        var got = cf.getDistributionConfig(r -> r.id(id));
        cf.updateDistribution(r -> r.id(id).ifMatch(got.eTag()).distributionConfig(edit.apply(got.distributionConfig())));
    }

    @Test
    void needsUpdate_whenCloudFrontFilledItsDefaults_isFalseForEverySpecShape() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        for (boolean spa : new boolean[] {true, false}) {
            CdnManager.Spec spec = new CdnManager.Spec("ref-" + spa, COMMENT, "tmux-builder-" + GUID, "eu-west-1",
                    oac, spa, spa ? "index.html" : null, null, null);
            String id = cdn.create(spec, TAGS).dist().id();
            DistributionConfig stored = cf.config(id);
            assertEquals(30, stored.origins().items().get(0).s3OriginConfig().originReadTimeout(),
                    "the fake fills what CloudFront fills");
            assertEquals(3, stored.origins().items().get(0).connectionAttempts());
            assertEquals("PriceClass_All", stored.priceClassAsString());
            assertTrue(stored.viewerCertificate().cloudFrontDefaultCertificate());

            assertFalse(cdn.needsUpdate(id, spec), "spa " + spa);
            assertFalse(cdn.update(id, c -> CdnManager.applySpec(c, spec)));
        }
        assertEquals(0, cf.count("UpdateDistribution"));
    }

    @Test
    void update_keepsValuesTheUserSetOnOneclicksOrigin() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        editOutside(id, c -> c.toBuilder().origins(o -> o.quantity(1).items(c.origins().items().get(0).toBuilder()
                .connectionAttempts(2).originShield(sh -> sh.enabled(true).originShieldRegion("eu-west-1"))
                .s3OriginConfig(s3 -> s3.originAccessIdentity("").originReadTimeout(60)).build()))
                .priceClass("PriceClass_100").build());
        long before = cf.count("UpdateDistribution");

        assertFalse(cdn.needsUpdate(id, spec(oac, true)), "values oneclick does not manage are not drift");
        assertTrue(cdn.update(id, c -> CdnManager.applySpec(c, spec(oac, false))));

        assertEquals(before + 1, cf.count("UpdateDistribution"));
        Origin origin = cf.config(id).origins().items().get(0);
        assertEquals(60, origin.s3OriginConfig().originReadTimeout());
        assertEquals(2, origin.connectionAttempts());
        assertTrue(origin.originShield().enabled());
        assertEquals("PriceClass_100", cf.config(id).priceClassAsString());
        assertEquals(0, cf.config(id).customErrorResponses().quantity());
    }

    @Test
    void create_whenCallerReferenceIsTakenAndTheCommentWasChanged_resolvesTheIdNamedInTheError() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        editOutside(id, c -> c.toBuilder().comment("renamed by hand").build());

        CdnManager.Created again = cdn.create(spec(oac, false), TAGS);

        assertFalse(again.created());
        assertEquals(id, again.dist().id());
        assertEquals(List.of(id), cf.distributionIds(), "no second distribution with a fresh caller reference");
    }

    @Test
    void create_whenTheDistributionHoldingTheReferenceIsAnotherProjects_refusesIt() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        CdnManager other = new CdnManager(cf, call, DeployListener.NONE, OTHER_GUID);
        String id = other.create(spec(oac, true), ResourceNames.defaults()
                .tags(dev.oneclick.naming.ProjectGuid.parse(OTHER_GUID), "user-2")).dist().id();

        var e = assertThrows(dev.oneclick.errors.ResourceNotOwnedException.class,
                () -> cdn.create(spec(oac, false), TAGS));

        assertTrue(e.getMessage().contains(id) && e.getMessage().contains(OTHER_GUID), e.getMessage());
        assertEquals(List.of(id), cf.distributionIds());
    }

    @Test
    void idInError_readsTheIdCloudFrontAndMotoPutInTheMessage() {
        assertEquals(Optional.of("E2QWRUHEXAMPLE"), CdnManager.idInError("The caller reference that you are using "
                + "to create a distribution is associated with another distribution. Already exists: E2QWRUHEXAMPLE"));
        assertEquals(Optional.empty(), CdnManager.idInError("The caller reference is taken."));
        assertEquals(Optional.empty(), CdnManager.idInError(null));
    }

    @Test
    void invalidate_whenTooManyWildcardsAreInProgress_backsOffUntilOneCompletes() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        cf.holdInvalidations(true);
        for (int i = 0; i < 15; i++) {
            cdn.invalidate(id, List.of("/*"), "deploy-" + i);
        }
        List<Duration> waits = new ArrayList<>();
        CdnManager patient = new CdnManager(cf, AwsCall.standard(d -> {
            waits.add(d);
            if (waits.size() == 2) {
                cf.completeInvalidations(); // the earlier deploys' invalidations finish while this one waits
            }
        }), DeployListener.NONE, GUID);

        String inv = patient.invalidate(id, List.of("/*"), "deploy-15");

        assertEquals(inv, cf.invalidations(id).get(15).id());
        assertEquals(List.of(CdnManager.INVALIDATION_FIRST_WAIT, CdnManager.INVALIDATION_FIRST_WAIT.multipliedBy(2)),
                waits);
        assertEquals(18, cf.count("CreateInvalidation"));
    }

    @Test
    void invalidate_whenStillTooManyAfterTheBound_throwsATypedErrorNamingTheOperation() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        cf.holdInvalidations(true);
        cdn.invalidate(id, List.of("/assets/*", "/a/*", "/b/*", "/c/*", "/d/*", "/e/*", "/f/*", "/g/*", "/h/*",
                "/i/*", "/j/*", "/k/*", "/l/*", "/m/*", "/n/*"), "first");
        sleeps.clear();

        AwsRequestException e = assertThrows(AwsRequestException.class,
                () -> cdn.invalidate(id, List.of("/*"), "second"));

        assertEquals("TooManyInvalidationsInProgress", e.errorCode());
        assertEquals("CreateInvalidation", e.operation());
        assertTrue(e.getMessage().contains("aws cloudfront create-invalidation --distribution-id " + id),
                e.getMessage());
        assertEquals(1 + CdnManager.INVALIDATION_ATTEMPTS, cf.count("CreateInvalidation"));
        assertEquals(CdnManager.INVALIDATION_ATTEMPTS - 1, sleeps.size());
        assertTrue(sleeps.stream().allMatch(d -> d.compareTo(CdnManager.INVALIDATION_MAX_WAIT) <= 0), sleeps.toString());
        assertEquals(1, cf.invalidations(id).size());
    }

    @Test
    void invalidate_whenFileInvalidationsInProgressWouldPass3000_waits() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        cf.holdInvalidations(true);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            many.add("/p/" + i + ".html");
        }
        cdn.invalidate(id, many, "first");
        CdnManager patient = new CdnManager(cf, AwsCall.standard(d -> cf.completeInvalidations()),
                DeployListener.NONE, GUID);

        patient.invalidate(id, List.of("/index.html"), "second");

        assertEquals(2, cf.invalidations(id).size());
        assertEquals(3, cf.count("CreateInvalidation"));
    }

    @Test
    void invalidate_whenMoreThan3000Paths_sendsOneWildcard() {
        String oac = cdn.createOac("tmux-builder-" + GUID);
        String id = cdn.create(spec(oac, true), TAGS).dist().id();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 3001; i++) {
            many.add("/p/" + i + ".html");
        }

        cdn.invalidate(id, many, "big");

        assertEquals(List.of("/*"), cf.invalidations(id).get(0).invalidationBatch().paths().items());
    }
}
