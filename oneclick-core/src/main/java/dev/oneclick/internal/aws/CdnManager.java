package dev.oneclick.internal.aws;

import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.errors.ResourceNotOwnedException;
import dev.oneclick.DeployListener;
import dev.oneclick.naming.ResourceNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionWithTagsResponse;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionAlreadyExistsException;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.NoSuchDistributionException;
import software.amazon.awssdk.services.cloudfront.model.NoSuchOriginAccessControlException;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlList;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlOriginTypes;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlSigningBehaviors;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlSigningProtocols;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlSummary;
import software.amazon.awssdk.services.cloudfront.model.PreconditionFailedException;
import software.amazon.awssdk.services.cloudfront.model.Tag;
import software.amazon.awssdk.services.cloudfront.model.TooManyInvalidationsInProgressException;

/**
 * The project's CloudFront side: the Origin Access Control, the distribution in front of the bucket, invalidations,
 * and their removal. Everything is found again by name, comment and tags, so reruns never create duplicates; every
 * update reads the config with its ETag and sends it back with {@code If-Match}, retrying on a precondition failure.
 * Thread-safe.
 */
public final class CdnManager {
    /** The managed CachingOptimized cache policy. */
    public static final String CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    public static final String ROOT_OBJECT = "index.html";
    public static final String SPA_PAGE = "/index.html";
    static final int PRECONDITION_ATTEMPTS = 5;
    /** The most paths one invalidation may carry (CloudFront's limit). */
    public static final int MAX_INVALIDATION_PATHS = 3000;
    static final int INVALIDATION_ATTEMPTS = 6;
    static final Duration INVALIDATION_FIRST_WAIT = Duration.ofSeconds(10);
    static final Duration INVALIDATION_MAX_WAIT = Duration.ofSeconds(60);

    private final CloudFrontClient cf;
    private final AwsCall call;
    private final DeployListener listener;
    private final String guid;

    /** A distribution as oneclick needs it. */
    public record Dist(String id, String arn, String domainName, String status, boolean enabled) {
        public String url() {
            return "https://" + domainName;
        }

        public boolean deployed() {
            return "Deployed".equals(status);
        }
    }

    /**
     * The settings oneclick manages on the distribution.
     *
     * @param spaFallback the SPA fallback as 403/404 custom error responses to the index document (routing ALL)
     * @param indexDocument the root object and fallback page, or null for a site without one
     * @param functionArn the LIVE ARN of the routing function to associate on viewer request (routing ROUTES), or
     *     null for none
     * @param ownFunctionArn this project's routing function's ARN when it exists, so it is removed from the default
     *     behaviour when {@code functionArn} is null; or null
     */
    public record Spec(String callerReference, String comment, String bucket, String region, String oacId,
            boolean spaFallback, String indexDocument, String functionArn, String ownFunctionArn) {
        /** A spec with the 403/404 fallback (or none), the index document {@code index.html} and no function. */
        public Spec(String callerReference, String comment, String bucket, String region, String oacId,
                boolean spaFallback) {
            this(callerReference, comment, bucket, region, oacId, spaFallback, ROOT_OBJECT, null, null);
        }

        public String originId() {
            return "s3-" + bucket;
        }

        /** The bucket's regional endpoint, which CloudFront reaches with OAC. */
        public String originDomain() {
            return bucket + ".s3." + region + ".amazonaws.com";
        }
    }

    public CdnManager(CloudFrontClient cf, AwsCall call, DeployListener listener, String guid) {
        this.cf = cf;
        this.call = call;
        this.listener = listener;
        this.guid = guid;
    }

    // ---------------------------------------------------------------- origin access control

    /** The id of the OAC of that name, looked for on every page. */
    public Optional<String> findOac(String name) {
        String marker = null;
        while (true) {
            String m = marker;
            OriginAccessControlList list = call.run("CloudFront", "ListOriginAccessControls", name,
                    () -> cf.listOriginAccessControls(r -> r.marker(m).maxItems("100"))).originAccessControlList();
            if (list == null) {
                return Optional.empty();
            }
            for (OriginAccessControlSummary s : list.items()) {
                if (name.equals(s.name())) {
                    return Optional.of(s.id());
                }
            }
            if (!Boolean.TRUE.equals(list.isTruncated()) || list.nextMarker() == null) {
                return Optional.empty();
            }
            marker = list.nextMarker();
        }
    }

    /** Creates the OAC (SigV4, always sign, origin type S3); an OAC of that name created meanwhile is reused. */
    public String createOac(String name) {
        try {
            return call.run("CloudFront", "CreateOriginAccessControl", name, () -> cf.createOriginAccessControl(r -> r
                    .originAccessControlConfig(c -> c.name(name)
                            .description("oneclick: S3 origin access for project " + guid)
                            .signingProtocol(OriginAccessControlSigningProtocols.SIGV4)
                            .signingBehavior(OriginAccessControlSigningBehaviors.ALWAYS)
                            .originAccessControlOriginType(OriginAccessControlOriginTypes.S3))))
                    .originAccessControl().id();
        } catch (AwsRequestException e) {
            if ("OriginAccessControlAlreadyExists".equals(e.errorCode())) {
                return findOac(name).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /**
     * Deletes the OAC with a fresh ETag. A missing one is fine.
     *
     * @return true when it was deleted or already gone
     */
    public boolean deleteOac(String id) {
        return deleteWithFreshEtag(id, "GetOriginAccessControl", () -> cf.getOriginAccessControl(r -> r.id(id)).eTag(),
                "DeleteOriginAccessControl", etag -> cf.deleteOriginAccessControl(r -> r.id(id).ifMatch(etag)),
                NoSuchOriginAccessControlException.class);
    }

    /**
     * Reads the resource's current ETag and deletes it with {@code If-Match}; on a precondition failure (it changed
     * in between) reads again, a bounded number of times. A resource that is already gone counts as deleted.
     */
    private boolean deleteWithFreshEtag(String id, String readOperation, Supplier<String> readEtag,
            String deleteOperation, Consumer<String> deleteIfMatch, Class<? extends Exception> gone) {
        for (int attempt = 1; ; attempt++) {
            String etag;
            try {
                etag = call.run("CloudFront", readOperation, id, readEtag);
            } catch (AwsRequestException e) {
                if (gone.isInstance(e.getCause())) {
                    return true;
                }
                throw e;
            }
            try {
                call.exec("CloudFront", deleteOperation, id, () -> deleteIfMatch.accept(etag));
                return true;
            } catch (AwsRequestException e) {
                if (gone.isInstance(e.getCause())) {
                    return true;
                }
                if (e.getCause() instanceof PreconditionFailedException && attempt < PRECONDITION_ATTEMPTS) {
                    continue;
                }
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- distribution lookup

    /** The distribution of that id, or empty when it no longer exists. */
    public Optional<Dist> get(String id) {
        try {
            Distribution d = call.run("CloudFront", "GetDistribution", id, () -> cf.getDistribution(r -> r.id(id)))
                    .distribution();
            return Optional.of(toDist(d));
        } catch (AwsRequestException e) {
            if (e.getCause() instanceof NoSuchDistributionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The distribution carrying {@code comment} and tagged {@code oneclick:project-guid} = this project's GUID,
     * looked for on every page; distributions with the comment but another or no project tag are not this
     * project's and are passed over (reported through {@code passedOver}).
     */
    public Optional<Dist> findTagged(String comment, Consumer<Dist> passedOver) {
        String marker = null;
        while (true) {
            String m = marker;
            DistributionList list = call.run("CloudFront", "ListDistributions", comment,
                    () -> cf.listDistributions(r -> r.marker(m).maxItems("100"))).distributionList();
            if (list == null) {
                return Optional.empty();
            }
            for (DistributionSummary s : list.items()) {
                if (comment.equals(s.comment())) {
                    Dist d = new Dist(s.id(), s.arn(), s.domainName(), s.status(), Boolean.TRUE.equals(s.enabled()));
                    if (guid.equals(tags(s.arn()).get(ResourceNames.TAG_PROJECT_GUID))) {
                        return Optional.of(d);
                    }
                    passedOver.accept(d);
                }
            }
            if (!Boolean.TRUE.equals(list.isTruncated()) || list.nextMarker() == null) {
                return Optional.empty();
            }
            marker = list.nextMarker();
        }
    }

    /** The distribution's tags (empty for a null ARN). */
    public Map<String, String> tags(String arn) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (arn == null) {
            return out;
        }
        call.run("CloudFront", "ListTagsForResource", arn, () -> cf.listTagsForResource(r -> r.resource(arn)))
                .tags().items().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /** The name of the origin access control of that id, or empty when there is none. */
    public Optional<String> oacName(String id) {
        try {
            return Optional.of(call.run("CloudFront", "GetOriginAccessControl", id,
                    () -> cf.getOriginAccessControl(r -> r.id(id))).originAccessControl().originAccessControlConfig()
                    .name());
        } catch (AwsRequestException e) {
            if (e.getCause() instanceof NoSuchOriginAccessControlException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Dist toDist(Distribution d) {
        boolean enabled = d.distributionConfig() != null && Boolean.TRUE.equals(d.distributionConfig().enabled());
        return new Dist(d.id(), d.arn(), d.domainName(), d.status(), enabled);
    }

    // ---------------------------------------------------------------- distribution create/update

    /** The full config of a new distribution for {@code spec}; see {@link DistributionConfigs#newConfig}. */
    public static DistributionConfig newConfig(Spec spec) {
        return DistributionConfigs.newConfig(spec);
    }

    /** {@code current} with oneclick's settings applied; see {@link DistributionConfigs#applySpec}. */
    public static DistributionConfig applySpec(DistributionConfig current, Spec spec) {
        return DistributionConfigs.applySpec(current, spec);
    }

    /** Whether the distribution's config differs from what {@code spec} asks for. */
    public boolean needsUpdate(String id, Spec spec) {
        DistributionConfig current = call.run("CloudFront", "GetDistributionConfig", id,
                () -> cf.getDistributionConfig(r -> r.id(id))).distributionConfig();
        return !applySpec(current, spec).equals(current);
    }

    /**
     * Creates the distribution with its tags. When CloudFront answers {@code DistributionAlreadyExists} (the derived
     * caller reference was used before with another config, e.g. a crash between create and record), the distribution
     * it names (its id is in the error; else the one tagged with this project's comment) is this project's and is
     * returned, never replaced by a new one. Only when the distribution that used the reference is proven gone (a
     * destroy deleted it; CloudFront keeps the reference) is a new one created, with a new caller reference.
     *
     * @throws ResourceNotOwnedException when the distribution holding the reference is not tagged with this GUID
     */
    public Created create(Spec spec, Map<String, String> tags) {
        DistributionConfig config = newConfig(spec);
        try {
            return new Created(toDist(createWith(config, tags)), true);
        } catch (AwsRequestException e) {
            if (!(e.getCause() instanceof DistributionAlreadyExistsException)) {
                throw e;
            }
            Optional<String> named = idInError(e.getCause().getMessage());
            Optional<Dist> existing = named.flatMap(this::get);
            if (existing.isEmpty()) {
                existing = findTagged(spec.comment(), d -> { });
            }
            if (existing.isPresent()) {
                requireTagged(existing.get());
                progress("CloudFront distribution " + existing.get().id() + " already holds caller reference "
                        + spec.callerReference() + "; oneclick uses it");
                return new Created(existing.get(), false);
            }
            if (named.isEmpty()) {
                throw e; // no distribution to resolve to, and no proof the reference is free to replace
            }
            progress("CloudFront distribution " + named.get() + ", which used caller reference "
                    + spec.callerReference() + ", no longer exists; creating a new one with a new reference");
            String fresh = spec.callerReference() + "-" + Instant.now().getEpochSecond();
            DistributionConfig retry = config.toBuilder().callerReference(fresh).build();
            return new Created(toDist(createWith(retry, tags)), true);
        }
    }

    /** The distribution id in a {@code DistributionAlreadyExists} message ("... Already exists: E2QWRUHEXAMPLE"). */
    static Optional<String> idInError(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = ALREADY_EXISTS_ID.matcher(message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static final Pattern ALREADY_EXISTS_ID = Pattern.compile("[Aa]lready exists: ?([A-Z0-9]{6,})");

    private void requireTagged(Dist d) {
        String tagged = tags(d.arn()).get(ResourceNames.TAG_PROJECT_GUID);
        if (!guid.equals(tagged)) {
            throw new ResourceNotOwnedException("CloudFront distribution", d.id(), null, "CloudFront distribution "
                    + d.id() + " holds project " + guid + "'s caller reference but "
                    + (tagged == null ? "has no " + ResourceNames.TAG_PROJECT_GUID + " tag" : "is tagged "
                    + ResourceNames.TAG_PROJECT_GUID + "=" + tagged) + "; oneclick leaves it alone. If it is this "
                    + "project's, tag it " + ResourceNames.TAG_PROJECT_GUID + "=" + guid + ".");
        }
    }

    /** A distribution from {@link #create}; {@code created} is false when an existing one was found instead. */
    public record Created(Dist dist, boolean created) {
    }

    private Distribution createWith(DistributionConfig config, Map<String, String> tags) {
        List<Tag> tagList = new ArrayList<>();
        tags.forEach((k, v) -> tagList.add(Tag.builder().key(k).value(v).build()));
        CreateDistributionWithTagsResponse r = call.run("CloudFront", "CreateDistributionWithTags", config.comment(),
                () -> cf.createDistributionWithTags(req -> req.distributionConfigWithTags(w -> w
                        .distributionConfig(config).tags(t -> t.items(tagList)))));
        return r.distribution();
    }

    /**
     * Reads the config and its ETag, applies {@code change}, and sends it back with {@code If-Match}; on a
     * precondition failure (someone changed it in between) it reads again and retries, a bounded number of times.
     *
     * @return true when an update was sent (false when {@code change} left the config as it was)
     */
    public boolean update(String id, UnaryOperator<DistributionConfig> change) {
        for (int attempt = 1; ; attempt++) {
            GetDistributionConfigResponse got = call.run("CloudFront", "GetDistributionConfig", id,
                    () -> cf.getDistributionConfig(r -> r.id(id)));
            DistributionConfig next = change.apply(got.distributionConfig());
            if (next.equals(got.distributionConfig())) {
                return false;
            }
            try {
                call.exec("CloudFront", "UpdateDistribution", id, () -> cf.updateDistribution(r -> r.id(id)
                        .ifMatch(got.eTag()).distributionConfig(next)));
                return true;
            } catch (AwsRequestException e) {
                if (e.getCause() instanceof PreconditionFailedException && attempt < PRECONDITION_ATTEMPTS) {
                    progress("CloudFront distribution " + id + " changed while oneclick updated it; reading it again");
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Invalidates {@code paths} with a caller reference unique to this deploy; returns the invalidation id. More than
     * {@value #MAX_INVALIDATION_PATHS} paths (CloudFront's limit per invalidation) go as {@code /*}. When CloudFront
     * answers {@code TooManyInvalidationsInProgress} (3,000 file paths or 15 wildcard paths in progress per
     * distribution), it waits and tries again, {@value #INVALIDATION_ATTEMPTS} attempts at most, doubling the wait
     * from {@link #INVALIDATION_FIRST_WAIT} up to {@link #INVALIDATION_MAX_WAIT}; then the error is thrown.
     */
    public String invalidate(String id, List<String> paths, String callerReference) {
        List<String> sent = paths.size() > MAX_INVALIDATION_PATHS ? List.of("/*") : List.copyOf(paths);
        Duration wait = INVALIDATION_FIRST_WAIT;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run("CloudFront", "CreateInvalidation", id, () -> cf.createInvalidation(r -> r
                        .distributionId(id).invalidationBatch(b -> b.callerReference(callerReference)
                                .paths(p -> p.quantity(sent.size()).items(sent))))).invalidation().id();
            } catch (AwsRequestException e) {
                if (!(e.getCause() instanceof TooManyInvalidationsInProgressException)) {
                    throw e;
                }
                if (attempt >= INVALIDATION_ATTEMPTS) {
                    throw new AwsRequestException("CloudFront", "CreateInvalidation", e.errorCode(), "CloudFront "
                            + "distribution " + id + " still had too many invalidations in progress after "
                            + attempt + " attempts; the new files are in the bucket, but " + sent.size()
                            + " path(s) may be served from the cache until it expires (a rerun finds nothing changed "
                            + "and sends no invalidation; once the invalidations in progress finish, run: aws "
                            + "cloudfront create-invalidation --distribution-id " + id + " --paths '/*'): "
                            + e.getMessage(),
                            e.getCause());
                }
                progress("CloudFront distribution " + id + " has too many invalidations in progress; trying again in "
                        + wait.toSeconds() + " s (attempt " + (attempt + 1) + " of " + INVALIDATION_ATTEMPTS + ")");
                call.sleep(wait, "waiting for CloudFront distribution " + id + "'s invalidations in progress");
                wait = wait.multipliedBy(2).compareTo(INVALIDATION_MAX_WAIT) > 0 ? INVALIDATION_MAX_WAIT
                        : wait.multipliedBy(2);
            }
        }
    }

    /**
     * Polls until the distribution is Deployed or {@code timeout} passes.
     *
     * @return the last status seen (empty when the distribution is gone)
     */
    public Optional<Dist> waitDeployed(String id, Duration timeout, Duration pollInterval) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Dist> d = get(id);
            if (d.isEmpty() || d.get().deployed() || System.nanoTime() >= deadline) {
                return d;
            }
            progress("CloudFront distribution " + id + " is " + d.get().status() + "; waiting");
            call.sleep(pollInterval, "waiting for CloudFront distribution " + id + " to deploy");
        }
    }

    /** Disables the distribution (If-Match, retried); returns true when an update was sent. */
    public boolean disable(String id) {
        return update(id, c -> Boolean.FALSE.equals(c.enabled()) ? c : c.toBuilder().enabled(false).build());
    }

    /**
     * Deletes a disabled, deployed distribution with a fresh ETag.
     *
     * @return true when it is gone
     */
    public boolean delete(String id) {
        return deleteWithFreshEtag(id, "GetDistributionConfig", () -> cf.getDistributionConfig(r -> r.id(id)).eTag(),
                "DeleteDistribution", etag -> cf.deleteDistribution(r -> r.id(id).ifMatch(etag)),
                NoSuchDistributionException.class);
    }

    private void progress(String message) {
        listener.progress(new DeployListener.Progress(guid, message));
    }
}
