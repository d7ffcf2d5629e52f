package dev.oneclick.local;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionRequest;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionWithTagsRequest;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionWithTagsResponse;
import software.amazon.awssdk.services.cloudfront.model.DeleteDistributionRequest;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigRequest;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.ListDistributionsResponse;
import software.amazon.awssdk.services.cloudfront.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.Origins;
import software.amazon.awssdk.services.cloudfront.model.TagResourceRequest;
import software.amazon.awssdk.services.cloudfront.model.UntagResourceRequest;
import software.amazon.awssdk.services.cloudfront.model.UpdateDistributionRequest;
import software.amazon.awssdk.services.cloudfront.model.UpdateDistributionResponse;

/**
 * The ways moto {@value Moto#VERSION} answers differently from AWS that code under test would trip over, each
 * corrected by an SDK {@link ExecutionInterceptor} on the clients {@link Moto} sets up, so the engine sees what AWS
 * would send and needs no moto-specific code. Each one was seen with the SDK's real requests against moto
 * ({@code MotoTest} has a test per correction that fails without it). One instance per {@link Moto}: the state some
 * corrections keep is shared by all clients of that moto and emptied by {@link Moto#reset()}.
 *
 * <ol>
 *   <li>{@link ExpectContinue}: moto answers {@code Expect: 100-continue} twice, which fails async (Netty) uploads.</li>
 *   <li>{@link DistributionArn}: the distribution ARN lacks the empty region field.</li>
 *   <li>{@link OriginAccessControlIds}: an origin's {@code OriginAccessControlId} is dropped.</li>
 *   <li>{@link DistributionSummaries}: {@code ListDistributions} summaries hold only id, ARN, status, time and
 *       domain name; {@code Comment}, {@code Origins}, {@code Enabled} and the rest are missing.</li>
 * </ol>
 *
 * <p>Seen and <em>not</em> corrected (tests allow for them; rules moto does not enforce belong in the in-memory
 * fakes): CloudFront ids start with any capital letter ({@code CBYJFXV515MJV}; AWS: {@code E} followed by 12 or 13
 * capitals and digits), so code must not validate ids by a regex; distributions are {@code Deployed} at the first
 * {@code GetDistribution}; an enabled distribution can be deleted; {@code If-Match} must be present but any value is
 * accepted (update, delete), and the ETag never changes on update; {@code ListDistributions} ignores
 * {@code MaxItems} (one page with everything, never truncated); S3 buckets have no default Block Public Access,
 * ownership controls or encryption (AWS: all on since 2023; moto answers 404), and a public bucket policy is accepted
 * under Block Public Access; {@code ListObjectVersions} continued from the markers of versions deleted meanwhile
 * returns an empty, untruncated page.
 */
final class MotoCorrections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MotoCorrections.class);

    private final ExpectContinue expectContinue = new ExpectContinue();
    private final DistributionArn distributionArn = new DistributionArn();
    private final OriginAccessControlIds originAccessControlIds = new OriginAccessControlIds();
    private final DistributionSummaries distributionSummaries;
    private final List<ExecutionInterceptor> interceptors;

    /**
     * @param sideClient makes the CloudFront client {@link DistributionSummaries} reads configurations with (called
     *     once, on first need; the client gets these corrections too); closed by {@link #close()}
     */
    MotoCorrections(Supplier<CloudFrontClient> sideClient) {
        this.distributionSummaries = new DistributionSummaries(sideClient);
        this.interceptors = List.of(expectContinue, distributionArn, originAccessControlIds, distributionSummaries);
    }

    /** Every correction, in the order they run; each ignores the requests and responses it does not correct. */
    List<ExecutionInterceptor> interceptors() {
        return interceptors;
    }

    /** Forgets the remembered origin access control ids (moto was reset, the distributions are gone). */
    void reset() {
        originAccessControlIds.byDistribution.clear();
    }

    /** How many distributions have origin access control ids remembered (for tests). */
    int rememberedDistributions() {
        return originAccessControlIds.byDistribution.size();
    }

    /** Closes the side client, if one was made. */
    @Override
    public void close() {
        distributionSummaries.close();
    }

    /**
     * moto answers a request with {@code Expect: 100-continue} with two {@code 100 Continue} lines (werkzeug's
     * request handler writes one, and Python's {@code http.server} underneath writes another). AWS sends one. The
     * Apache client skips the extra one, but the Netty client takes it as the final answer of the upload (an
     * {@code S3Exception} with status code 100) or of the next request on the connection; the S3 client asks for it
     * on every {@code PutObject} and {@code UploadPart} body over its threshold (1 MiB here), so async uploads of
     * larger objects fail. This correction removes the {@code Expect} header from every request: the body is sent at
     * once, which is what AWS then also accepts. (The Apache client adds the header again itself after the
     * interceptors; the clients {@link Moto} builds turn that off with {@code expectContinueEnabled(false)}.)
     */
    static final class ExpectContinue implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                ExecutionAttributes executionAttributes) {
            SdkHttpRequest request = context.httpRequest();
            return request.firstMatchingHeader("Expect").isPresent()
                    ? request.toBuilder().removeHeader("Expect").build()
                    : request;
        }
    }

    /**
     * moto's distribution ARNs lack the empty region field: {@code arn:aws:cloudfront:123456789012:distribution/ID}
     * where AWS says {@code arn:aws:cloudfront::123456789012:distribution/ID} (CloudFront is global, so the region is
     * empty, never absent). Code that builds an ARN (a bucket policy's {@code AWS:SourceArn}) or compares one would
     * disagree with moto's. This correction rewrites the ARN in the answers of {@code CreateDistribution},
     * {@code CreateDistributionWithTags}, {@code GetDistribution}, {@code UpdateDistribution} and each summary of
     * {@code ListDistributions} to the AWS form, and, since moto keys tags by its own form of the ARN, rewrites the
     * AWS form back to moto's in {@code TagResource}, {@code UntagResource} and {@code ListTagsForResource} requests,
     * so tags given at creation, added later and listed all meet.
     */
    static final class DistributionArn implements ExecutionInterceptor {
        private static final Pattern MOTO_FORM = Pattern.compile("^arn:([^:]+):cloudfront:(\\d{12}):");
        private static final Pattern AWS_FORM = Pattern.compile("^arn:([^:]+):cloudfront::(\\d{12}):");

        /** {@code arn:aws:cloudfront:ACCT:...} to {@code arn:aws:cloudfront::ACCT:...}; other values unchanged. */
        static String toAws(String arn) {
            return arn == null ? null : MOTO_FORM.matcher(arn).replaceFirst("arn:$1:cloudfront::$2:");
        }

        /** {@code arn:aws:cloudfront::ACCT:...} to moto's {@code arn:aws:cloudfront:ACCT:...}. */
        static String toMoto(String arn) {
            return arn == null ? null : AWS_FORM.matcher(arn).replaceFirst("arn:$1:cloudfront:$2:");
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes executionAttributes) {
            SdkRequest request = context.request();
            if (request instanceof TagResourceRequest tag) {
                return tag.toBuilder().resource(toMoto(tag.resource())).build();
            }
            if (request instanceof UntagResourceRequest untag) {
                return untag.toBuilder().resource(toMoto(untag.resource())).build();
            }
            if (request instanceof ListTagsForResourceRequest list) {
                return list.toBuilder().resource(toMoto(list.resource())).build();
            }
            return request;
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes executionAttributes) {
            SdkResponse response = context.response();
            if (response instanceof CreateDistributionResponse r && r.distribution() != null) {
                return r.toBuilder().distribution(fix(r.distribution())).build();
            }
            if (response instanceof CreateDistributionWithTagsResponse r && r.distribution() != null) {
                return r.toBuilder().distribution(fix(r.distribution())).build();
            }
            if (response instanceof GetDistributionResponse r && r.distribution() != null) {
                return r.toBuilder().distribution(fix(r.distribution())).build();
            }
            if (response instanceof UpdateDistributionResponse r && r.distribution() != null) {
                return r.toBuilder().distribution(fix(r.distribution())).build();
            }
            if (response instanceof ListDistributionsResponse r && r.distributionList() != null
                    && r.distributionList().hasItems()) {
                DistributionList list = r.distributionList();
                return r.toBuilder().distributionList(list.toBuilder().items(list.items().stream()
                        .map(s -> s.toBuilder().arn(toAws(s.arn())).build()).toList()).build()).build();
            }
            return response;
        }

        private static Distribution fix(Distribution distribution) {
            return distribution.toBuilder().arn(toAws(distribution.arn())).build();
        }
    }

    /**
     * moto drops an origin's {@code OriginAccessControlId}: it accepts it in {@code CreateDistribution} and
     * {@code UpdateDistribution} but never returns it, so a distribution read back looks as if its bucket origin had
     * no origin access control, and code that repairs drift would "fix" it on every run. AWS returns the id it was
     * given. moto also drops an S3 origin's {@code S3OriginConfig} when its origin access identity is empty (as it is
     * with OAC); AWS returns it ({@code <OriginAccessIdentity></OriginAccessIdentity>}), and code that compares the
     * config it sent with the one read back would see a change on every run. This correction remembers, for each
     * distribution and origin id, the origin access control id and the {@code S3OriginConfig} of the last
     * {@code CreateDistribution}, {@code CreateDistributionWithTags} or {@code UpdateDistribution} request sent
     * through any client of the same {@link Moto}, and puts it back where moto's answer has none: in those
     * operations' answers and in {@code GetDistribution} and {@code GetDistributionConfig}. A distribution made
     * outside these clients (say with boto3) has nothing remembered and stays as moto says; {@code DeleteDistribution}
     * forgets it.
     */
    static final class OriginAccessControlIds implements ExecutionInterceptor {
        /** distribution id to (origin id to the origin as last sent). */
        final Map<String, Map<String, Origin>> byDistribution = new ConcurrentHashMap<>();

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes executionAttributes) {
            SdkRequest request = context.request();
            SdkResponse response = context.response();
            if (request instanceof CreateDistributionRequest create
                    && response instanceof CreateDistributionResponse r && r.distribution() != null) {
                remember(r.distribution().id(), create.distributionConfig());
                return r.toBuilder().distribution(restore(r.distribution())).build();
            }
            if (request instanceof CreateDistributionWithTagsRequest create
                    && response instanceof CreateDistributionWithTagsResponse r && r.distribution() != null
                    && create.distributionConfigWithTags() != null) {
                remember(r.distribution().id(), create.distributionConfigWithTags().distributionConfig());
                return r.toBuilder().distribution(restore(r.distribution())).build();
            }
            if (request instanceof UpdateDistributionRequest update
                    && response instanceof UpdateDistributionResponse r && r.distribution() != null) {
                remember(update.id(), update.distributionConfig());
                return r.toBuilder().distribution(restore(r.distribution())).build();
            }
            if (response instanceof GetDistributionResponse r && r.distribution() != null) {
                return r.toBuilder().distribution(restore(r.distribution())).build();
            }
            if (request instanceof GetDistributionConfigRequest get
                    && response instanceof GetDistributionConfigResponse r && r.distributionConfig() != null) {
                return r.toBuilder().distributionConfig(restore(get.id(), r.distributionConfig())).build();
            }
            if (request instanceof DeleteDistributionRequest delete) {
                byDistribution.remove(delete.id());
            }
            return response;
        }

        private void remember(String distributionId, DistributionConfig config) {
            if (distributionId == null || config == null || config.origins() == null) {
                return;
            }
            Map<String, Origin> sent = new ConcurrentHashMap<>();
            for (Origin origin : config.origins().items()) {
                if (origin.id() != null) {
                    sent.put(origin.id(), origin);
                }
            }
            byDistribution.put(distributionId, sent);
        }

        private Distribution restore(Distribution distribution) {
            DistributionConfig config = distribution.distributionConfig();
            return config == null ? distribution
                    : distribution.toBuilder().distributionConfig(restore(distribution.id(), config)).build();
        }

        private DistributionConfig restore(String distributionId, DistributionConfig config) {
            Map<String, Origin> sent = distributionId == null ? null : byDistribution.get(distributionId);
            if (sent == null || sent.isEmpty() || config.origins() == null || !config.origins().hasItems()) {
                return config;
            }
            List<Origin> origins = config.origins().items().stream().map(origin -> {
                Origin remembered = sent.get(origin.id());
                if (remembered == null) {
                    return origin;
                }
                Origin.Builder b = origin.toBuilder();
                String oac = remembered.originAccessControlId();
                if ((origin.originAccessControlId() == null || origin.originAccessControlId().isEmpty())
                        && oac != null && !oac.isEmpty()) {
                    b.originAccessControlId(oac);
                }
                // AWS answers an S3 origin with its S3OriginConfig, even when the origin access identity is empty
                if (origin.s3OriginConfig() == null && origin.customOriginConfig() == null
                        && remembered.s3OriginConfig() != null) {
                    b.s3OriginConfig(remembered.s3OriginConfig());
                }
                return b.build();
            }).toList();
            return config.toBuilder().origins(config.origins().toBuilder().items(origins).build()).build();
        }
    }

    /**
     * moto's {@code ListDistributions} summaries hold only {@code Id}, {@code ARN}, {@code Status},
     * {@code LastModifiedTime}, {@code DomainName}, {@code OriginGroups} and {@code AliasICPRecordals}; AWS's also
     * hold the configuration's {@code Comment}, {@code Enabled}, {@code Aliases}, {@code Origins},
     * {@code DefaultCacheBehavior}, {@code CacheBehaviors}, {@code CustomErrorResponses}, {@code PriceClass},
     * {@code ViewerCertificate}, {@code Restrictions}, {@code WebACLId}, {@code HttpVersion},
     * {@code IsIPV6Enabled} and {@code Staging}. Code that finds a project's distribution by its comment (the fixed
     * contract {@code tmux-builder-{guid}}) finds nothing on moto. This correction reads each listed distribution's
     * configuration ({@code GetDistributionConfig}, through a side client of the same moto, so the origin access
     * control ids are restored too) and fills every field moto left out; a distribution deleted meanwhile stays as
     * listed. On an async client the side calls block the thread that completes the list call.
     */
    static final class DistributionSummaries implements ExecutionInterceptor, AutoCloseable {
        private final Supplier<CloudFrontClient> factory;
        private CloudFrontClient client;
        private boolean closed;

        DistributionSummaries(Supplier<CloudFrontClient> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes executionAttributes) {
            if (!(context.response() instanceof ListDistributionsResponse r) || r.distributionList() == null
                    || !r.distributionList().hasItems()) {
                return context.response();
            }
            DistributionList list = r.distributionList();
            List<DistributionSummary> items = list.items().stream().map(this::fill).toList();
            return r.toBuilder().distributionList(list.toBuilder().items(items).build()).build();
        }

        private DistributionSummary fill(DistributionSummary summary) {
            if (summary.comment() != null && summary.origins() != null) {
                return summary; // nothing dropped
            }
            DistributionConfig config;
            try {
                config = client().getDistributionConfig(b -> b.id(summary.id())).distributionConfig();
            } catch (SdkException e) {
                LOG.debug("cannot read the configuration of listed distribution {}: {}", summary.id(), e.toString());
                return summary;
            }
            DistributionSummary.Builder b = summary.toBuilder();
            if (summary.comment() == null) {
                b.comment(config.comment());
            }
            if (summary.enabled() == null) {
                b.enabled(config.enabled());
            }
            if (summary.aliases() == null) {
                b.aliases(config.aliases());
            }
            if (summary.origins() == null) {
                b.origins(config.origins() == null ? Origins.builder().quantity(0).build() : config.origins());
            }
            if (summary.defaultCacheBehavior() == null) {
                b.defaultCacheBehavior(config.defaultCacheBehavior());
            }
            if (summary.cacheBehaviors() == null) {
                b.cacheBehaviors(config.cacheBehaviors());
            }
            if (summary.customErrorResponses() == null) {
                b.customErrorResponses(config.customErrorResponses());
            }
            if (summary.priceClass() == null) {
                b.priceClass(config.priceClass());
            }
            if (summary.viewerCertificate() == null) {
                b.viewerCertificate(config.viewerCertificate());
            }
            if (summary.restrictions() == null) {
                b.restrictions(config.restrictions());
            }
            if (summary.webACLId() == null) {
                b.webACLId(config.webACLId());
            }
            if (summary.httpVersion() == null) {
                b.httpVersion(config.httpVersion());
            }
            if (summary.isIPV6Enabled() == null) {
                b.isIPV6Enabled(config.isIPV6Enabled());
            }
            if (summary.staging() == null) {
                b.staging(config.staging());
            }
            return b.build();
        }

        private synchronized CloudFrontClient client() {
            if (closed) {
                throw new IllegalStateException("moto is closed");
            }
            if (client == null) {
                client = factory.get();
            }
            return client;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }
}
