package dev.oneclick.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudfront.model.CacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.CreateFunctionRequest;
import software.amazon.awssdk.services.cloudfront.model.CreateFunctionResponse;
import software.amazon.awssdk.services.cloudfront.model.DeleteFunctionRequest;
import software.amazon.awssdk.services.cloudfront.model.DeleteFunctionResponse;
import software.amazon.awssdk.services.cloudfront.model.DescribeFunctionRequest;
import software.amazon.awssdk.services.cloudfront.model.DescribeFunctionResponse;
import software.amazon.awssdk.services.cloudfront.model.FunctionAlreadyExistsException;
import software.amazon.awssdk.services.cloudfront.model.FunctionAssociation;
import software.amazon.awssdk.services.cloudfront.model.FunctionAssociations;
import software.amazon.awssdk.services.cloudfront.model.FunctionConfig;
import software.amazon.awssdk.services.cloudfront.model.FunctionInUseException;
import software.amazon.awssdk.services.cloudfront.model.FunctionList;
import software.amazon.awssdk.services.cloudfront.model.FunctionMetadata;
import software.amazon.awssdk.services.cloudfront.model.FunctionRuntime;
import software.amazon.awssdk.services.cloudfront.model.FunctionSizeLimitExceededException;
import software.amazon.awssdk.services.cloudfront.model.FunctionStage;
import software.amazon.awssdk.services.cloudfront.model.FunctionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetFunctionRequest;
import software.amazon.awssdk.services.cloudfront.model.GetFunctionResponse;
import software.amazon.awssdk.services.cloudfront.model.InvalidFunctionAssociationException;
import software.amazon.awssdk.services.cloudfront.model.ListFunctionsRequest;
import software.amazon.awssdk.services.cloudfront.model.ListFunctionsResponse;
import software.amazon.awssdk.services.cloudfront.model.NoSuchFunctionExistsException;
import software.amazon.awssdk.services.cloudfront.model.PublishFunctionRequest;
import software.amazon.awssdk.services.cloudfront.model.PublishFunctionResponse;
import software.amazon.awssdk.services.cloudfront.model.UpdateFunctionRequest;
import software.amazon.awssdk.services.cloudfront.model.UpdateFunctionResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CloudFrontException;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionRequest;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionWithTagsRequest;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionWithTagsResponse;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationRequest;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationResponse;
import software.amazon.awssdk.services.cloudfront.model.CreateOriginAccessControlRequest;
import software.amazon.awssdk.services.cloudfront.model.CreateOriginAccessControlResponse;
import software.amazon.awssdk.services.cloudfront.model.CustomErrorResponse;
import software.amazon.awssdk.services.cloudfront.model.DeleteDistributionRequest;
import software.amazon.awssdk.services.cloudfront.model.DeleteDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.DeleteOriginAccessControlRequest;
import software.amazon.awssdk.services.cloudfront.model.DeleteOriginAccessControlResponse;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionAlreadyExistsException;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionNotDisabledException;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigRequest;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionRequest;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.GetInvalidationRequest;
import software.amazon.awssdk.services.cloudfront.model.GetInvalidationResponse;
import software.amazon.awssdk.services.cloudfront.model.GetOriginAccessControlRequest;
import software.amazon.awssdk.services.cloudfront.model.GetOriginAccessControlResponse;
import software.amazon.awssdk.services.cloudfront.model.IllegalOriginAccessConfigurationException;
import software.amazon.awssdk.services.cloudfront.model.IllegalUpdateException;
import software.amazon.awssdk.services.cloudfront.model.InconsistentQuantitiesException;
import software.amazon.awssdk.services.cloudfront.model.InvalidArgumentException;
import software.amazon.awssdk.services.cloudfront.model.InvalidIfMatchVersionException;
import software.amazon.awssdk.services.cloudfront.model.Invalidation;
import software.amazon.awssdk.services.cloudfront.model.InvalidationBatch;
import software.amazon.awssdk.services.cloudfront.model.ListDistributionsRequest;
import software.amazon.awssdk.services.cloudfront.model.ListDistributionsResponse;
import software.amazon.awssdk.services.cloudfront.model.ListOriginAccessControlsRequest;
import software.amazon.awssdk.services.cloudfront.model.ListOriginAccessControlsResponse;
import software.amazon.awssdk.services.cloudfront.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.cloudfront.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.cloudfront.model.MissingBodyException;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.NoSuchOriginAccessControlException;
import software.amazon.awssdk.services.cloudfront.model.NoSuchOriginException;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControl;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlAlreadyExistsException;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlConfig;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlInUseException;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlList;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlSummary;
import software.amazon.awssdk.services.cloudfront.model.PreconditionFailedException;
import software.amazon.awssdk.services.cloudfront.model.Tag;
import software.amazon.awssdk.services.cloudfront.model.TagResourceRequest;
import software.amazon.awssdk.services.cloudfront.model.TagResourceResponse;
import software.amazon.awssdk.services.cloudfront.model.Tags;

/**
 * An in-memory {@link CloudFrontClient} that enforces the behaviour CloudFront documents for the calls oneclick
 * makes:
 * <ul>
 *   <li>caller references: a create with a known reference and the config it was first used with returns the
 *       existing distribution (also after updates changed it); with another config it fails with {@code DistributionAlreadyExists} (also after the distribution was
 *       deleted, as the reference stays used);</li>
 *   <li>ETags: every read returns the current ETag, every write changes it; updates and deletes need
 *       {@code If-Match} ({@code InvalidIfMatchVersion} when missing, {@code PreconditionFailed} when stale);</li>
 *   <li>status: {@code InProgress} after every create or update, {@code Deployed} after {@link #readsToDeploy}
 *       reads of the distribution; delete only when disabled and deployed ({@code DistributionNotDisabled});</li>
 *   <li>origin access controls: unique names ({@code OriginAccessControlAlreadyExists}), ETags, delete refused
 *       while a distribution uses one ({@code OriginAccessControlInUse}); origins checked (quantities, an OAC that
 *       exists, OAC and OAI not both set, the default behaviour's target among the origins);</li>
 *   <li>configs as CloudFront returns them: what a create or update left out is filled in
 *       ({@link CloudFrontDefaults}: timeouts, connection attempts, origin shield off, empty lists as Quantity 0,
 *       the default certificate, PriceClass_All, ...);</li>
 *   <li>paged lists (page size {@link #pageSize}); tags as CloudFront limits them (50 per resource, key 1-128,
 *       value up to 256, letters, digits, spaces and {@code _ . : / = + - @}, no {@code aws:} prefix:
 *       {@code InvalidTagging}); invalidations with caller-reference idempotency, at most
 *       3,000 paths each ({@code BatchTooLarge}) and, while {@link #holdInvalidations} keeps them in progress, at most
 *       3,000 file paths and 15 wildcard paths in progress ({@code TooManyInvalidationsInProgress});</li>
 *   <li>CloudFront Functions: a DEVELOPMENT and a LIVE stage; create ({@code FunctionAlreadyExists}; name rule,
 *       runtime, 10 KB code limit {@code FunctionSizeLimitExceeded}) and update change DEVELOPMENT and its ETag,
 *       publish copies it to LIVE (both need the DEVELOPMENT ETag as {@code If-Match}), describe and get per stage
 *       ({@code NoSuchFunctionExists} for a LIVE stage never published), list (all, or LIVE only) paged by name,
 *       delete refused while a distribution uses the function ({@code FunctionInUse}); a distribution's function
 *       associations must name a published function's ARN, at most one per event type
 *       ({@code InvalidFunctionAssociation}).</li>
 * </ul>
 * Failure injection for tests: {@link #failAfterNextCreate()}, {@link #changeBehindNextUpdate()},
 * {@link #throttleNext(int)}. Thread-safe (synchronized).
 */
public final class FakeCloudFront implements CloudFrontClient {
    public static final String ACCOUNT = "123456789012";

    private final Random random = new Random(42);
    private final Map<String, Dist> distributions = new TreeMap<>();
    private final Map<String, String> callerReferences = new HashMap<>();
    /** The config each caller reference was first used with (CloudFront compares a repeat with the original). */
    private final Map<String, DistributionConfig> originalConfigs = new HashMap<>();
    private final Map<String, Oac> oacs = new TreeMap<>();
    private final Map<String, List<Invalidation>> invalidations = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private int readsToDeploy = 2;
    private int pageSize = 100;
    private boolean failAfterNextCreate;
    private int changeBehindUpdates;
    private int throttles;
    private boolean holdInvalidations;

    /** One page of a listing: the items after {@code marker} in id order, at most {@code max}. */
    private record Page<T>(List<T> items, int max, boolean truncated, String nextMarker) {
    }

    /** CloudFront's marker paging (items ordered by id; the marker is the last id of the previous page). */
    private <T> Page<T> page(java.util.Collection<T> values, java.util.function.Function<T, String> id, String marker,
            String maxItems) {
        int max = Math.min(pageSize, maxItems == null ? 100 : Integer.parseInt(maxItems));
        List<T> all = new ArrayList<>(values);
        int from = 0;
        if (marker != null && !marker.isEmpty()) {
            from = all.size();
            for (int i = 0; i < all.size(); i++) {
                if (id.apply(all.get(i)).compareTo(marker) > 0) {
                    from = i;
                    break;
                }
            }
        }
        List<T> items = all.subList(from, Math.min(all.size(), from + max));
        boolean truncated = from + max < all.size();
        return new Page<>(items, max, truncated, truncated ? id.apply(items.get(items.size() - 1)) : null);
    }

    private static final class Dist {
        String id;
        String arn;
        String domain;
        DistributionConfig config;
        String etag;
        String status;
        int readsLeft;
        Map<String, String> tags = new LinkedHashMap<>();
        Instant modified = Instant.now();
    }

    private static final class Fn {
        String name;
        FunctionConfig config;
        SdkBytes code;
        String etag;
        Instant created = Instant.now();
        Instant modified = created;
        /** The published copy; null until PublishFunction. */
        FunctionConfig liveConfig;
        SdkBytes liveCode;
        String liveEtag;
        Instant published;

        String arn() {
            return "arn:aws:cloudfront::" + ACCOUNT + ":function/" + name;
        }
    }

    private final Map<String, Fn> functions = new TreeMap<>();

    private static final class Oac {
        String id;
        OriginAccessControlConfig config;
        String etag;
    }

    // ------------------------------------------------------------------ test controls and inspection

    /** How many reads of a distribution turn InProgress into Deployed (default 2; 0 = at once). */
    public synchronized FakeCloudFront readsToDeploy(int n) {
        this.readsToDeploy = n;
        return this;
    }

    /** The most items a list call returns per page (default 100). */
    public synchronized FakeCloudFront pageSize(int n) {
        this.pageSize = n;
        return this;
    }

    /** Every distribution still InProgress becomes Deployed now (as if the propagation finished). */
    public synchronized void finishDeploying() {
        distributions.values().forEach(d -> d.status = "Deployed");
    }

    /** The next create stores the distribution, then fails as if the answer was lost on the network. */
    public synchronized void failAfterNextCreate() {
        failAfterNextCreate = true;
    }

    /** Before the next update is handled, someone else changes the distribution (so the caller's ETag is stale). */
    public synchronized void changeBehindNextUpdate() {
        changeBehindUpdates++;
    }

    /** New invalidations stay InProgress (counting toward CloudFront's limits) until {@link #completeInvalidations}. */
    public synchronized void holdInvalidations(boolean hold) {
        holdInvalidations = hold;
    }

    /** Every invalidation in progress completes now. */
    public synchronized void completeInvalidations() {
        invalidations.values().forEach(list -> list.replaceAll(i -> i.toBuilder().status("Completed").build()));
    }

    /** The next {@code n} calls fail with {@code Throttling}. */
    public synchronized void throttleNext(int n) {
        throttles = n;
    }

    /** Every operation called, in order (e.g. {@code CreateDistributionWithTags}). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized long count(String operation) {
        return calls.stream().filter(operation::equals).count();
    }

    public synchronized List<String> distributionIds() {
        return List.copyOf(distributions.keySet());
    }

    /** The current config of a distribution (no read counted). */
    public synchronized DistributionConfig config(String id) {
        return dist(id).config;
    }

    public synchronized String status(String id) {
        return dist(id).status;
    }

    public synchronized Map<String, String> tags(String id) {
        return Map.copyOf(dist(id).tags);
    }

    public synchronized List<OriginAccessControlConfig> originAccessControls() {
        return oacs.values().stream().map(o -> o.config).toList();
    }

    public synchronized List<String> originAccessControlIds() {
        return List.copyOf(oacs.keySet());
    }

    public synchronized List<Invalidation> invalidations(String distributionId) {
        return List.copyOf(invalidations.getOrDefault(distributionId, List.of()));
    }

    /** Adds a distribution of someone else (for list paging and lookup tests). */
    public synchronized String addForeignDistribution(String comment, Map<String, String> tags) {
        DistributionConfig config = DistributionConfig.builder().callerReference("foreign-" + random.nextLong())
                .comment(comment).enabled(true)
                .origins(o -> o.quantity(1).items(Origin.builder().id("o").domainName("example.com")
                        .customOriginConfig(c -> c.httpPort(80).httpsPort(443).originProtocolPolicy("https-only"))
                        .build()))
                .defaultCacheBehavior(b -> b.targetOriginId("o").viewerProtocolPolicy("allow-all"))
                .build();
        Dist d = store(config, tags);
        d.status = "Deployed";
        return d.id;
    }

    public synchronized boolean isEmpty() {
        return distributions.isEmpty() && oacs.isEmpty() && functions.isEmpty();
    }

    // ------------------------------------------------------------------ SdkClient

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    // ------------------------------------------------------------------ distributions

    @Override
    public synchronized CreateDistributionWithTagsResponse createDistributionWithTags(
            CreateDistributionWithTagsRequest request) {
        enter("CreateDistributionWithTags");
        if (request.distributionConfigWithTags() == null
                || request.distributionConfigWithTags().distributionConfig() == null) {
            throw err(MissingBodyException.builder(), 400, "MissingBody", "DistributionConfigWithTags is required");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        Tags t = request.distributionConfigWithTags().tags();
        if (t != null) {
            t.items().forEach(tag -> tags.put(tag.key(), tag.value()));
        }
        checkTags(tags);
        Dist d = create(request.distributionConfigWithTags().distributionConfig(), tags);
        CreateDistributionWithTagsResponse r = CreateDistributionWithTagsResponse.builder().distribution(view(d))
                .eTag(d.etag).location("https://cloudfront.amazonaws.com/2020-05-31/distribution/" + d.id).build();
        return afterCreate(r);
    }

    @Override
    public synchronized CreateDistributionResponse createDistribution(CreateDistributionRequest request) {
        enter("CreateDistribution");
        Dist d = create(request.distributionConfig(), Map.of());
        return afterCreate(CreateDistributionResponse.builder().distribution(view(d)).eTag(d.etag).build());
    }

    private <T> T afterCreate(T response) {
        if (failAfterNextCreate) {
            failAfterNextCreate = false;
            throw SdkClientException.create("Connection reset while reading the CreateDistribution response "
                    + "(injected by FakeCloudFront)");
        }
        return response;
    }

    private Dist create(DistributionConfig config, Map<String, String> tags) {
        validate(config);
        String existing = callerReferences.get(config.callerReference());
        if (existing != null) {
            Dist d = distributions.get(existing);
            if (d != null && originalConfigs.get(config.callerReference()).equals(config)) {
                return d;
            }
            throw err(DistributionAlreadyExistsException.builder(), 409, "DistributionAlreadyExists",
                    "The caller reference that you are using to create a distribution is associated with another "
                            + "distribution. Already exists: " + existing);
        }
        return store(config, tags);
    }

    private Dist store(DistributionConfig config, Map<String, String> tags) {
        Dist d = new Dist();
        d.id = "E" + token(13).toUpperCase(Locale.ROOT);
        d.arn = "arn:aws:cloudfront::" + ACCOUNT + ":distribution/" + d.id;
        d.domain = "d" + token(13) + ".cloudfront.net";
        d.config = CloudFrontDefaults.fill(config);
        d.etag = newEtag();
        d.status = "InProgress";
        d.readsLeft = readsToDeploy;
        d.tags.putAll(tags);
        distributions.put(d.id, d);
        callerReferences.put(config.callerReference(), d.id);
        originalConfigs.put(config.callerReference(), config);
        return d;
    }

    /** Function associations of a cache behaviour: quantities, published functions, one per event type. */
    private void validateFunctions(FunctionAssociations fa) {
        if (fa == null) {
            return;
        }
        List<FunctionAssociation> items = fa.items() == null ? List.of() : fa.items();
        if (fa.quantity() == null || fa.quantity() != items.size()) {
            throw err(InconsistentQuantitiesException.builder(), 400, "InconsistentQuantities",
                    "The value of Quantity and the size of Items don't match (FunctionAssociations)");
        }
        java.util.Set<Object> events = new java.util.HashSet<>();
        for (FunctionAssociation a : items) {
            if (a.eventType() == null || !events.add(a.eventType())) {
                throw err(InvalidFunctionAssociationException.builder(), 400, "InvalidFunctionAssociation",
                        "A cache behavior can have only one function for each event type: " + a.eventType());
            }
            Fn f = null;
            for (Fn candidate : functions.values()) {
                if (candidate.arn().equals(a.functionARN())) {
                    f = candidate;
                }
            }
            if (f == null || f.liveCode == null) {
                throw err(InvalidFunctionAssociationException.builder(), 400, "InvalidFunctionAssociation",
                        "The function ARN " + a.functionARN() + " does not name a published (LIVE) function");
            }
        }
    }

    private boolean functionInUse(String arn) {
        for (Dist d : distributions.values()) {
            List<FunctionAssociations> all = new ArrayList<>();
            all.add(d.config.defaultCacheBehavior().functionAssociations());
            if (d.config.cacheBehaviors() != null && d.config.cacheBehaviors().items() != null) {
                for (CacheBehavior b : d.config.cacheBehaviors().items()) {
                    all.add(b.functionAssociations());
                }
            }
            for (FunctionAssociations fa : all) {
                if (fa != null && fa.items() != null) {
                    for (FunctionAssociation a : fa.items()) {
                        if (arn.equals(a.functionARN())) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private void validate(DistributionConfig c) {
        if (c.defaultCacheBehavior() != null) {
            validateFunctions(c.defaultCacheBehavior().functionAssociations());
        }
        if (c.cacheBehaviors() != null && c.cacheBehaviors().items() != null) {
            for (CacheBehavior b : c.cacheBehaviors().items()) {
                validateFunctions(b.functionAssociations());
            }
        }
        if (c.callerReference() == null || c.comment() == null || c.enabled() == null || c.origins() == null
                || c.defaultCacheBehavior() == null) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument",
                    "CallerReference, Comment, Enabled, Origins and DefaultCacheBehavior are required");
        }
        if (c.comment().length() > 128) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument", "The comment is too long");
        }
        List<Origin> origins = c.origins().items();
        if (c.origins().quantity() == null || c.origins().quantity() != origins.size()) {
            throw err(InconsistentQuantitiesException.builder(), 400, "InconsistentQuantities",
                    "Origins Quantity does not match the number of items");
        }
        if (origins.isEmpty()) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument", "A distribution needs an origin");
        }
        for (Origin o : origins) {
            if (o.originAccessControlId() != null && !o.originAccessControlId().isEmpty()) {
                if (!oacs.containsKey(o.originAccessControlId())) {
                    throw err(NoSuchOriginAccessControlException.builder(), 404, "NoSuchOriginAccessControl",
                            "The origin access control does not exist: " + o.originAccessControlId());
                }
                if (o.s3OriginConfig() != null && o.s3OriginConfig().originAccessIdentity() != null
                        && !o.s3OriginConfig().originAccessIdentity().isEmpty()) {
                    throw err(IllegalOriginAccessConfigurationException.builder(), 400,
                            "IllegalOriginAccessConfiguration",
                            "An origin cannot have both an origin access control and an origin access identity");
                }
            }
        }
        String target = c.defaultCacheBehavior().targetOriginId();
        if (origins.stream().noneMatch(o -> o.id().equals(target))) {
            throw err(NoSuchOriginException.builder(), 404, "NoSuchOrigin",
                    "The default cache behavior targets an origin that does not exist: " + target);
        }
        if (c.customErrorResponses() != null) {
            List<CustomErrorResponse> errors = c.customErrorResponses().items();
            if (c.customErrorResponses().quantity() == null || c.customErrorResponses().quantity() != errors.size()) {
                throw err(InconsistentQuantitiesException.builder(), 400, "InconsistentQuantities",
                        "CustomErrorResponses Quantity does not match the number of items");
            }
        }
    }

    @Override
    public synchronized GetDistributionResponse getDistribution(GetDistributionRequest request) {
        enter("GetDistribution");
        Dist d = dist(request.id());
        read(d);
        return GetDistributionResponse.builder().distribution(view(d)).eTag(d.etag).build();
    }

    @Override
    public synchronized GetDistributionConfigResponse getDistributionConfig(GetDistributionConfigRequest request) {
        enter("GetDistributionConfig");
        Dist d = dist(request.id());
        return GetDistributionConfigResponse.builder().distributionConfig(d.config).eTag(d.etag).build();
    }

    @Override
    public synchronized ListDistributionsResponse listDistributions(ListDistributionsRequest request) {
        enter("ListDistributions");
        Page<Dist> page = page(distributions.values(), d -> d.id, request.marker(), request.maxItems());
        List<DistributionSummary> items = new ArrayList<>();
        for (Dist d : page.items()) {
            read(d);
            items.add(DistributionSummary.builder().id(d.id).arn(d.arn).domainName(d.domain).status(d.status)
                    .comment(d.config.comment()).enabled(d.config.enabled()).origins(d.config.origins())
                    .defaultCacheBehavior(d.config.defaultCacheBehavior()).eTag(d.etag)
                    .lastModifiedTime(d.modified).build());
        }
        DistributionList list = DistributionList.builder().marker(request.marker()).maxItems(page.max())
                .isTruncated(page.truncated()).nextMarker(page.nextMarker())
                .quantity(items.size()).items(items).build();
        return ListDistributionsResponse.builder().distributionList(list).build();
    }

    @Override
    public synchronized software.amazon.awssdk.services.cloudfront.model.UpdateDistributionResponse updateDistribution(
            software.amazon.awssdk.services.cloudfront.model.UpdateDistributionRequest request) {
        enter("UpdateDistribution");
        Dist d = dist(request.id());
        if (changeBehindUpdates > 0) {
            changeBehindUpdates--;
            d.etag = newEtag();
        }
        checkIfMatch(request.ifMatch(), d.etag);
        DistributionConfig c = request.distributionConfig();
        validate(c);
        if (!c.callerReference().equals(d.config.callerReference())) {
            throw err(IllegalUpdateException.builder(), 400, "IllegalUpdate", "The caller reference cannot change");
        }
        d.config = CloudFrontDefaults.fill(c);
        d.etag = newEtag();
        d.status = "InProgress";
        d.readsLeft = readsToDeploy;
        d.modified = Instant.now();
        return software.amazon.awssdk.services.cloudfront.model.UpdateDistributionResponse.builder()
                .distribution(view(d)).eTag(d.etag).build();
    }

    @Override
    public synchronized DeleteDistributionResponse deleteDistribution(DeleteDistributionRequest request) {
        enter("DeleteDistribution");
        Dist d = dist(request.id());
        checkIfMatch(request.ifMatch(), d.etag);
        if (Boolean.TRUE.equals(d.config.enabled()) || !"Deployed".equals(d.status)) {
            throw err(DistributionNotDisabledException.builder(), 409, "DistributionNotDisabled",
                    "The distribution you are trying to delete has not been disabled"
                            + (Boolean.TRUE.equals(d.config.enabled()) ? "" : " and deployed"));
        }
        distributions.remove(d.id);
        invalidations.remove(d.id);
        return DeleteDistributionResponse.builder().build();
    }

    private void read(Dist d) {
        if ("InProgress".equals(d.status)) {
            if (d.readsLeft <= 0) {
                d.status = "Deployed";
            } else {
                d.readsLeft--;
            }
        }
    }

    private Distribution view(Dist d) {
        return Distribution.builder().id(d.id).arn(d.arn).domainName(d.domain).status(d.status)
                .distributionConfig(d.config).lastModifiedTime(d.modified)
                .inProgressInvalidationBatches(0).build();
    }

    private Dist dist(String id) {
        Dist d = id == null ? null : distributions.get(id);
        if (d == null) {
            throw err(NoSuchDistributionException.builder(), 404, "NoSuchDistribution",
                    "The specified distribution does not exist: " + id);
        }
        return d;
    }

    // ------------------------------------------------------------------ tags

    @Override
    public synchronized ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest request) {
        enter("ListTagsForResource");
        Dist d = byArn(request.resource());
        List<Tag> items = new ArrayList<>();
        d.tags.forEach((k, v) -> items.add(Tag.builder().key(k).value(v).build()));
        return ListTagsForResourceResponse.builder().tags(t -> t.items(items)).build();
    }

    @Override
    public synchronized TagResourceResponse tagResource(TagResourceRequest request) {
        enter("TagResource");
        Dist d = byArn(request.resource());
        Map<String, String> next = new LinkedHashMap<>(d.tags);
        request.tags().items().forEach(t -> next.put(t.key(), t.value()));
        checkTags(next);
        d.tags.clear();
        d.tags.putAll(next);
        return TagResourceResponse.builder().build();
    }

    private Dist byArn(String arn) {
        for (Dist d : distributions.values()) {
            if (d.arn.equals(arn)) {
                return d;
            }
        }
        throw err(NoSuchDistributionException.builder(), 404, "NoSuchResource", "No resource with ARN " + arn);
    }

    // ------------------------------------------------------------------ origin access controls

    @Override
    public synchronized CreateOriginAccessControlResponse createOriginAccessControl(
            CreateOriginAccessControlRequest request) {
        enter("CreateOriginAccessControl");
        OriginAccessControlConfig c = request.originAccessControlConfig();
        if (c == null || c.name() == null || c.signingProtocol() == null || c.signingBehavior() == null
                || c.originAccessControlOriginType() == null) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument",
                    "Name, SigningProtocol, SigningBehavior and OriginAccessControlOriginType are required");
        }
        if (c.name().length() > 64) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument", "The name is too long");
        }
        for (Oac o : oacs.values()) {
            if (o.config.name().equals(c.name())) {
                throw err(OriginAccessControlAlreadyExistsException.builder(), 409,
                        "OriginAccessControlAlreadyExists", "An origin access control with this name already exists: "
                                + o.id);
            }
        }
        Oac o = new Oac();
        o.id = "E" + token(13).toUpperCase(Locale.ROOT);
        o.config = c;
        o.etag = newEtag();
        oacs.put(o.id, o);
        return CreateOriginAccessControlResponse.builder()
                .originAccessControl(OriginAccessControl.builder().id(o.id).originAccessControlConfig(c).build())
                .eTag(o.etag).build();
    }

    @Override
    public synchronized GetOriginAccessControlResponse getOriginAccessControl(GetOriginAccessControlRequest request) {
        enter("GetOriginAccessControl");
        Oac o = oac(request.id());
        return GetOriginAccessControlResponse.builder()
                .originAccessControl(OriginAccessControl.builder().id(o.id).originAccessControlConfig(o.config).build())
                .eTag(o.etag).build();
    }

    @Override
    public synchronized ListOriginAccessControlsResponse listOriginAccessControls(
            ListOriginAccessControlsRequest request) {
        enter("ListOriginAccessControls");
        Page<Oac> page = page(oacs.values(), o -> o.id, request.marker(), request.maxItems());
        List<OriginAccessControlSummary> items = new ArrayList<>();
        for (Oac o : page.items()) {
            items.add(OriginAccessControlSummary.builder().id(o.id).name(o.config.name())
                    .description(o.config.description()).signingProtocol(o.config.signingProtocol())
                    .signingBehavior(o.config.signingBehavior())
                    .originAccessControlOriginType(o.config.originAccessControlOriginType()).build());
        }
        return ListOriginAccessControlsResponse.builder().originAccessControlList(OriginAccessControlList.builder()
                .marker(request.marker()).maxItems(page.max()).isTruncated(page.truncated())
                .nextMarker(page.nextMarker()).quantity(items.size()).items(items)
                .build()).build();
    }

    @Override
    public synchronized DeleteOriginAccessControlResponse deleteOriginAccessControl(
            DeleteOriginAccessControlRequest request) {
        enter("DeleteOriginAccessControl");
        Oac o = oac(request.id());
        checkIfMatch(request.ifMatch(), o.etag);
        for (Dist d : distributions.values()) {
            for (Origin origin : d.config.origins().items()) {
                if (o.id.equals(origin.originAccessControlId())) {
                    throw err(OriginAccessControlInUseException.builder(), 409, "OriginAccessControlInUse",
                            "The origin access control is in use by distribution " + d.id);
                }
            }
        }
        oacs.remove(o.id);
        return DeleteOriginAccessControlResponse.builder().build();
    }

    private Oac oac(String id) {
        Oac o = id == null ? null : oacs.get(id);
        if (o == null) {
            throw err(NoSuchOriginAccessControlException.builder(), 404, "NoSuchOriginAccessControl",
                    "The origin access control does not exist: " + id);
        }
        return o;
    }

    // ------------------------------------------------------------------ invalidations

    @Override
    public synchronized CreateInvalidationResponse createInvalidation(CreateInvalidationRequest request) {
        enter("CreateInvalidation");
        Dist d = dist(request.distributionId());
        InvalidationBatch batch = request.invalidationBatch();
        if (batch == null || batch.callerReference() == null || batch.paths() == null) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument",
                    "InvalidationBatch with CallerReference and Paths is required");
        }
        List<String> paths = batch.paths().items();
        if (batch.paths().quantity() == null || batch.paths().quantity() != paths.size() || paths.isEmpty()) {
            throw err(InconsistentQuantitiesException.builder(), 400, "InconsistentQuantities",
                    "Paths Quantity does not match the number of items (and must be at least 1)");
        }
        for (String p : paths) {
            if (!p.startsWith("/")) {
                throw err(InvalidArgumentException.builder(), 400, "InvalidArgument",
                        "Invalidation paths must start with /: " + p);
            }
        }
        if (paths.size() > 3000) {
            throw err(software.amazon.awssdk.services.cloudfront.model.BatchTooLargeException.builder(), 413,
                    "BatchTooLarge", "Invalidation batch specified is too large: at most 3000 paths");
        }
        List<Invalidation> list = invalidations.computeIfAbsent(d.id, k -> new ArrayList<>());
        long wildcards = paths.stream().filter(p -> p.endsWith("*")).count();
        long files = paths.size() - wildcards;
        boolean repeat = list.stream().anyMatch(i -> i.invalidationBatch().callerReference()
                .equals(batch.callerReference()));
        if (!repeat) {
            long wildcardsInProgress = 0;
            long filesInProgress = 0;
            for (Invalidation inv : list) {
                if ("InProgress".equals(inv.status())) {
                    for (String p : inv.invalidationBatch().paths().items()) {
                        if (p.endsWith("*")) {
                            wildcardsInProgress++;
                        } else {
                            filesInProgress++;
                        }
                    }
                }
            }
            if ((wildcards > 0 && wildcardsInProgress + wildcards > 15)
                    || (files > 0 && filesInProgress + files > 3000)) {
                throw err(software.amazon.awssdk.services.cloudfront.model.TooManyInvalidationsInProgressException
                        .builder(), 400, "TooManyInvalidationsInProgress", "Processing your request will cause you "
                        + "to exceed the maximum number of in-progress wildcard invalidations (15) or file paths "
                        + "(3000)");
            }
        }
        for (Invalidation inv : list) {
            if (inv.invalidationBatch().callerReference().equals(batch.callerReference())) {
                if (inv.invalidationBatch().equals(batch)) {
                    return CreateInvalidationResponse.builder().invalidation(inv).build();
                }
                throw err(CloudFrontException.builder(), 409, "InvalidationBatchAlreadyExists",
                        "An invalidation with this caller reference and other paths exists");
            }
        }
        Invalidation inv = Invalidation.builder().id("I" + token(13).toUpperCase(Locale.ROOT))
                .status(holdInvalidations ? "InProgress" : "Completed")
                .createTime(Instant.now()).invalidationBatch(batch).build();
        list.add(inv);
        return CreateInvalidationResponse.builder().invalidation(inv).build();
    }

    @Override
    public synchronized GetInvalidationResponse getInvalidation(GetInvalidationRequest request) {
        enter("GetInvalidation");
        for (Invalidation inv : invalidations.getOrDefault(request.distributionId(), List.of())) {
            if (inv.id().equals(request.id())) {
                return GetInvalidationResponse.builder().invalidation(inv.toBuilder().status("Completed").build())
                        .build();
            }
        }
        throw err(CloudFrontException.builder(), 404, "NoSuchInvalidation", "No invalidation " + request.id());
    }

    // ------------------------------------------------------------------ CloudFront Functions

    /** The names of the functions (any stage). */
    public synchronized List<String> functionNames() {
        return new ArrayList<>(functions.keySet());
    }

    /** A function's code at a stage, or null when it has none there. */
    public synchronized String functionCode(String name, FunctionStage stage) {
        Fn f = functions.get(name);
        SdkBytes code = f == null ? null : stage == FunctionStage.LIVE ? f.liveCode : f.code;
        return code == null ? null : code.asUtf8String();
    }

    /** Adds a function made by someone else (for ownership tests), published. */
    public synchronized String addForeignFunction(String name, String comment, String code) {
        Fn f = new Fn();
        f.name = name;
        f.config = FunctionConfig.builder().comment(comment).runtime(FunctionRuntime.CLOUDFRONT_JS_2_0).build();
        f.code = SdkBytes.fromUtf8String(code);
        f.etag = newEtag();
        f.liveConfig = f.config;
        f.liveCode = f.code;
        f.liveEtag = newEtag();
        f.published = Instant.now();
        functions.put(name, f);
        return f.arn();
    }

    private Fn function(String name, FunctionStage stage) {
        Fn f = name == null ? null : functions.get(name);
        if (f == null || (stage == FunctionStage.LIVE && f.liveCode == null)) {
            throw err(NoSuchFunctionExistsException.builder(), 404, "NoSuchFunctionExists",
                    "The function does not exist" + (f == null ? "" : " in the LIVE stage (not published)") + ": "
                            + name);
        }
        return f;
    }

    private static FunctionStage stageOf(FunctionStage requested) {
        return requested == null || requested == FunctionStage.UNKNOWN_TO_SDK_VERSION ? FunctionStage.DEVELOPMENT
                : requested;
    }

    private FunctionSummary summary(Fn f, FunctionStage stage) {
        boolean live = stage == FunctionStage.LIVE;
        String status;
        if (!live && (f.liveCode == null || !f.liveCode.equals(f.code) || !f.liveConfig.equals(f.config))) {
            status = "UNPUBLISHED";
        } else {
            status = functionInUse(f.arn()) ? "ASSOCIATED" : "UNASSOCIATED";
        }
        return FunctionSummary.builder().name(f.name).status(status)
                .functionConfig(live ? f.liveConfig : f.config)
                .functionMetadata(FunctionMetadata.builder().functionARN(f.arn()).stage(stage)
                        .createdTime(f.created).lastModifiedTime(live ? f.published : f.modified).build())
                .build();
    }

    private static void checkFunction(String name, FunctionConfig config, SdkBytes code) {
        if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument",
                    "The function name must be 1-64 letters, digits, hyphens or underscores: " + name);
        }
        if (config == null || config.comment() == null || config.runtime() == null
                || config.runtime() == FunctionRuntime.UNKNOWN_TO_SDK_VERSION) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument",
                    "FunctionConfig with Comment and Runtime (cloudfront-js-1.0 or cloudfront-js-2.0) is required");
        }
        if (config.comment().length() > 128) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument", "The comment is too long");
        }
        if (code == null || code.asByteArray().length == 0) {
            throw err(InvalidArgumentException.builder(), 400, "InvalidArgument", "FunctionCode is required");
        }
        if (code.asByteArray().length > 10 * 1024) {
            throw err(FunctionSizeLimitExceededException.builder(), 413, "FunctionSizeLimitExceeded",
                    "The function is too large (at most 10 KB)");
        }
    }

    @Override
    public synchronized CreateFunctionResponse createFunction(CreateFunctionRequest request) {
        enter("CreateFunction");
        checkFunction(request.name(), request.functionConfig(), request.functionCode());
        if (functions.containsKey(request.name())) {
            throw err(FunctionAlreadyExistsException.builder(), 409, "FunctionAlreadyExists",
                    "A function with the same name already exists in this AWS account: " + request.name());
        }
        Fn f = new Fn();
        f.name = request.name();
        f.config = request.functionConfig();
        f.code = request.functionCode();
        f.etag = newEtag();
        functions.put(f.name, f);
        return CreateFunctionResponse.builder().functionSummary(summary(f, FunctionStage.DEVELOPMENT))
                .location("https://cloudfront.amazonaws.com/2020-05-31/function/" + f.arn()).eTag(f.etag).build();
    }

    @Override
    public synchronized DescribeFunctionResponse describeFunction(DescribeFunctionRequest request) {
        enter("DescribeFunction");
        FunctionStage stage = stageOf(request.stage());
        Fn f = function(request.name(), stage);
        return DescribeFunctionResponse.builder().functionSummary(summary(f, stage))
                .eTag(stage == FunctionStage.LIVE ? f.liveEtag : f.etag).build();
    }

    @Override
    public synchronized GetFunctionResponse getFunction(GetFunctionRequest request) {
        enter("GetFunction");
        FunctionStage stage = stageOf(request.stage());
        Fn f = function(request.name(), stage);
        boolean live = stage == FunctionStage.LIVE;
        return GetFunctionResponse.builder().functionCode(live ? f.liveCode : f.code)
                .eTag(live ? f.liveEtag : f.etag).contentType("application/octet-stream").build();
    }

    @Override
    public synchronized UpdateFunctionResponse updateFunction(UpdateFunctionRequest request) {
        enter("UpdateFunction");
        Fn f = function(request.name(), FunctionStage.DEVELOPMENT);
        checkIfMatch(request.ifMatch(), f.etag);
        checkFunction(request.name(), request.functionConfig(), request.functionCode());
        f.config = request.functionConfig();
        f.code = request.functionCode();
        f.etag = newEtag();
        f.modified = Instant.now();
        return UpdateFunctionResponse.builder().functionSummary(summary(f, FunctionStage.DEVELOPMENT))
                .eTag(f.etag).build();
    }

    @Override
    public synchronized PublishFunctionResponse publishFunction(PublishFunctionRequest request) {
        enter("PublishFunction");
        Fn f = function(request.name(), FunctionStage.DEVELOPMENT);
        checkIfMatch(request.ifMatch(), f.etag);
        f.liveConfig = f.config;
        f.liveCode = f.code;
        f.liveEtag = newEtag();
        f.published = Instant.now();
        return PublishFunctionResponse.builder().functionSummary(summary(f, FunctionStage.LIVE)).build();
    }

    @Override
    public synchronized DeleteFunctionResponse deleteFunction(DeleteFunctionRequest request) {
        enter("DeleteFunction");
        Fn f = function(request.name(), FunctionStage.DEVELOPMENT);
        checkIfMatch(request.ifMatch(), f.etag);
        if (functionInUse(f.arn())) {
            throw err(FunctionInUseException.builder(), 409, "FunctionInUse",
                    "Cannot delete the function: it is associated with one or more cache behaviors: " + f.name);
        }
        functions.remove(f.name);
        return DeleteFunctionResponse.builder().build();
    }

    @Override
    public synchronized ListFunctionsResponse listFunctions(ListFunctionsRequest request) {
        enter("ListFunctions");
        boolean liveOnly = request.stage() == FunctionStage.LIVE;
        FunctionStage stage = liveOnly ? FunctionStage.LIVE : FunctionStage.DEVELOPMENT;
        List<Fn> matching = new ArrayList<>();
        for (Fn f : functions.values()) {
            if (!liveOnly || f.liveCode != null) {
                matching.add(f);
            }
        }
        Page<Fn> page = page(matching, f -> f.name, request.marker(), request.maxItems());
        List<FunctionSummary> items = new ArrayList<>();
        for (Fn f : page.items()) {
            items.add(summary(f, stage));
        }
        return ListFunctionsResponse.builder().functionList(FunctionList.builder().items(items)
                .quantity(items.size()).maxItems(page.max()).nextMarker(page.nextMarker()).build()).build();
    }

    // ------------------------------------------------------------------ helpers

    private void enter(String operation) {
        calls.add(operation);
        if (throttles > 0) {
            throttles--;
            throw err(CloudFrontException.builder(), 400, "Throttling", "Rate exceeded");
        }
    }

    /** CloudFront's tag rules: 50 per resource, key 1-128, value 0-256, allowed characters, no aws: prefix. */
    private static void checkTags(Map<String, String> tags) {
        if (tags.size() > 50) {
            throw err(software.amazon.awssdk.services.cloudfront.model.InvalidTaggingException.builder(), 400,
                    "InvalidTagging", "A resource can have at most 50 tags");
        }
        tags.forEach((k, v) -> {
            boolean ok = k != null && !k.isEmpty() && k.length() <= 128 && v != null && v.length() <= 256
                    && TAG_CHARS.matcher(k).matches() && TAG_CHARS.matcher(v).matches()
                    && !k.toLowerCase(Locale.ROOT).startsWith("aws:");
            if (!ok) {
                throw err(software.amazon.awssdk.services.cloudfront.model.InvalidTaggingException.builder(), 400,
                        "InvalidTagging", "The tag " + k + "=" + v + " is not valid");
            }
        });
    }

    private static final java.util.regex.Pattern TAG_CHARS =
            java.util.regex.Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private static void checkIfMatch(String ifMatch, String etag) {
        if (ifMatch == null || ifMatch.isEmpty()) {
            throw err(InvalidIfMatchVersionException.builder(), 400, "InvalidIfMatchVersion",
                    "The If-Match version is missing or not valid for the resource.");
        }
        if (!ifMatch.equals(etag)) {
            throw err(PreconditionFailedException.builder(), 412, "PreconditionFailed",
                    "The precondition given in one or more of the request header fields evaluated to false.");
        }
    }

    private String token(int n) {
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    private String newEtag() {
        return "E" + token(12).toUpperCase(Locale.ROOT);
    }

    static RuntimeException err(CloudFrontException.Builder b, int status, String code, String message) {
        return (RuntimeException) b.message(message).statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).errorMessage(message).serviceName("CloudFront").build()).build();
    }
}
