package dev.oneclick.internal;

import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.errors.BucketNameTakenException;
import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.Deployment;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.Plan;
import dev.oneclick.errors.ProjectNotFoundException;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.internal.aws.BucketManager;
import dev.oneclick.internal.aws.CdnManager;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.site.internal.SiteSnapshot;
import dev.oneclick.site.internal.SiteSync;
import dev.oneclick.site.internal.SyncPlan;
import dev.oneclick.site.internal.SyncResult;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deploy engine behind {@link Deployer}: validates the request, optionally runs the build, plans (tracker
 * record, resources looked up by name and tag, the site hashed against the bucket) and applies the plan: the
 * private bucket, the Origin Access Control, the CloudFront distribution, the CloudFront-only bucket policy, the
 * file sync and the invalidation, recording every resource as soon as it exists.
 *
 * <p>Thread-safe: one instance serves any number of deploys (of different projects) at once. Obtain one through
 * {@link Deployer#builder()}, or through {@link #builder()} for the extra hooks of {@link Builder} (injected SDK
 * clients, as the Maven plugin's local target uses).
 */
public final class DefaultDeployer implements Deployer {
    private static final int SDK_MAX_ATTEMPTS = 8;

    private final String region;
    private final boolean s3Compatible;
    private final ResourceNames names;
    private final DeployListener listener;
    private final boolean cdnEnabled;
    private final int concurrency;
    private final S3Client s3;
    private final S3AsyncClient s3Async;
    private final CloudFrontClient cloudFront;
    private final ProjectRecords records;
    private final String siteUrl;
    private final URI s3Endpoint;
    private final Duration pollInterval;
    private final Duration destroyWaitTimeout;
    private final AwsCall call;
    private final List<AutoCloseable> owned;

    private DefaultDeployer(Builder b, String region, S3Client s3, S3AsyncClient s3Async, CloudFrontClient cloudFront,
            ProjectRecords records, List<AutoCloseable> owned) {
        this.region = region;
        this.s3Compatible = b.s3Compatible;
        this.names = b.names;
        this.listener = new SafeListener(b.listener);
        this.cdnEnabled = b.cdnEnabled;
        this.concurrency = b.concurrency;
        this.s3 = s3;
        this.s3Async = s3Async;
        this.cloudFront = cloudFront;
        this.records = records;
        this.siteUrl = b.siteUrl;
        this.s3Endpoint = b.endpoints.get(Service.S3);
        this.pollInterval = b.pollInterval;
        this.destroyWaitTimeout = b.destroyWaitTimeout;
        this.call = AwsCall.standard(b.sleeper);
        this.owned = owned;
    }

    /** A builder with the public settings of {@link Deployer.Builder} and the internal hooks. */
    public static Builder builder() {
        return new Builder();
    }

    /** The region resources are created in. */
    public String region() {
        return region;
    }

    // ================================================================ plan / deploy

    @Override
    public Plan plan(DeployRequest request) {
        return prepare(validate(request)).plan;
    }

    @Override
    public Deployment deploy(DeployRequest request) {
        long started = System.nanoTime();
        Ctx c = validate(request);
        Prepared p;
        try {
            p = prepare(c);
            records.ensureReady();
            records.updateStatus(c.userId, c.guid.value(), c.projectName, DeploymentStatus.DEPLOYING, null);
        } catch (RuntimeException e) {
            // nothing was created, so the record stays as it was; the listener still hears that the deploy ended
            OneclickException typed = typed(e, "deploy");
            listener.finished(new DeployListener.Finished(c.guid.value(), null, typed));
            throw typed;
        }
        try {
            Deployment d = apply(p, started);
            listener.finished(new DeployListener.Finished(c.guid.value(), d, null));
            return d;
        } catch (RuntimeException e) {
            OneclickException typed = typed(e, "deploy");
            try {
                records.updateStatus(c.userId, c.guid.value(), c.projectName, DeploymentStatus.FAILED,
                        typed.getMessage());
            } catch (RuntimeException again) {
                typed.addSuppressed(again);
            }
            listener.finished(new DeployListener.Finished(c.guid.value(), null, typed));
            throw typed;
        }
    }

    private static OneclickException typed(RuntimeException e, String what) {
        if (e instanceof OneclickException oe) {
            return oe;
        }
        if (e instanceof SdkClientException sce) {
            return AwsCall.wrap("AWS", what, "the project", sce);
        }
        return new OneclickException("The " + what + " failed unexpectedly: " + e, e);
    }

    /** Validated inputs. */
    private record Ctx(ProjectGuid guid, String userId, String projectName, String bucket, String oacName,
            String comment, String callerReference, Map<String, String> tags, DeployRequest request) {
    }

    /** What plan found, and the plan. */
    private record Prepared(Ctx ctx, Plan plan, SiteSync sync, SyncPlan syncPlan, AwsResources known,
            boolean bucketExists, Optional<String> oacId, Optional<CdnManager.Dist> dist) {
    }

    private Ctx validate(DeployRequest request) {
        Objects.requireNonNull(request, "request");
        ProjectGuid guid = ProjectGuid.parse(request.guid());
        String userId = ResourceNames.checkUserId(request.userId());
        if (request.kind() != DeployRequest.Kind.STATIC_SITE) {
            throw new InvalidInputException("kind", "Only static-site deploys (kind STATIC_SITE) are supported by "
                    + "this version; full-stack deploys are not available yet.");
        }
        if (request.siteDir() == null && request.projectDir() == null) {
            throw new InvalidInputException("siteDir", "No site folder given; give the built site folder (siteDir) "
                    + "or the project folder (projectDir) in which dist/ or build/ is found.");
        }
        if (request.maxDeletes() < 0) {
            throw new InvalidInputException("maxDeletes", "maxDeletes is " + request.maxDeletes()
                    + "; give 0 or more.");
        }
        if (request.waitTimeout().isNegative()) {
            throw new InvalidInputException("waitTimeout", "waitTimeout is " + request.waitTimeout()
                    + "; give zero or more (how long to wait for the CloudFront distribution to be Deployed).");
        }
        if (request.buildCommand() != null && request.buildCommand().isBlank()) {
            throw new InvalidInputException("buildCommand", "The build command is blank; give a command such as "
                    + "'npm ci && npm run build', or none.");
        }
        if (request.buildCommand() != null && request.projectDir() == null) {
            throw new InvalidInputException("projectDir", "A build command needs the project folder (projectDir) "
                    + "to run in.");
        }
        String projectName = request.projectName() == null || request.projectName().equals(request.guid())
                ? guid.value() : request.projectName();
        return new Ctx(guid, userId, projectName, names.bucket(guid), names.originAccessControl(guid),
                names.cloudFrontComment(guid), names.callerReference(guid), names.tags(guid, userId), request);
    }

    private Prepared prepare(Ctx c) {
        DeployRequest r = c.request;
        String guid = c.guid.value();
        if (r.buildCommand() != null) {
            SiteSync.runBuild(r.projectDir(), r.buildCommand(), r.buildTimeout(), listener);
        }
        Path site = SiteSync.locateSite(r.siteDir(), r.projectDir());
        SiteSync sync = new SiteSync(s3Async, concurrency, listener, guid);
        SiteSnapshot snapshot = sync.scan(site, r.cacheRules());

        AwsResources known = ownedRecord(c.guid, c.userId).map(DeploymentRecord::awsResources)
                .orElse(AwsResources.empty());
        Optional<String> knownRegion = known.region();
        if (knownRegion.isPresent() && known.s3Bucket().isPresent() && !knownRegion.get().equals(region)) {
            throw new InvalidInputException("region", "Project " + guid + " is deployed in region "
                    + knownRegion.get() + ", not " + region + ". Deploy with region " + knownRegion.get()
                    + ", or destroy the project first.");
        }

        BucketManager buckets = new BucketManager(s3, call, s3Compatible, listener, guid);
        boolean bucketExists = buckets.inspect(c.bucket, region) == BucketManager.BucketState.OWNED;
        if (bucketExists) {
            checkBucketOwner(buckets, c.bucket, guid, c.userId);
        }
        List<Plan.ResourceChange> changes = new ArrayList<>();
        if (!bucketExists) {
            changes.add(change("S3 bucket", c.bucket, Plan.ResourceChange.Action.CREATE,
                    "private (Block Public Access on, ACLs disabled, SSE-S3), tagged, in " + region));
        } else if (buckets.isPrivate(c.bucket)) {
            changes.add(change("S3 bucket", c.bucket, Plan.ResourceChange.Action.KEEP, "exists, private"));
        } else {
            changes.add(change("S3 bucket", c.bucket, Plan.ResourceChange.Action.REPAIR,
                    "exists; Block Public Access will be turned fully on"));
        }

        Optional<String> oacId = Optional.empty();
        Optional<CdnManager.Dist> dist = Optional.empty();
        if (cdnEnabled) {
            CdnManager cdn = new CdnManager(cloudFront, call, listener, guid);
            oacId = cdn.findOac(c.oacName);
            changes.add(change("CloudFront origin access control", c.oacName, oacId.isPresent()
                    ? Plan.ResourceChange.Action.KEEP : Plan.ResourceChange.Action.CREATE,
                    oacId.map(id -> "id " + id).orElse("SigV4, always sign, S3 origin")));
            dist = cdn.find(known.cloudFrontId().orElse(null), c.comment);
            if (dist.isEmpty()) {
                changes.add(change("CloudFront distribution", c.comment, Plan.ResourceChange.Action.CREATE,
                        "origin " + c.bucket + ".s3." + region + ".amazonaws.com with OAC, HTTPS redirect"
                                + (r.spaFallback() ? ", SPA fallback" : "")));
                changes.add(change("S3 bucket policy", c.bucket, Plan.ResourceChange.Action.CREATE,
                        "read only by the new distribution"));
            } else {
                CdnManager.Dist d = dist.get();
                boolean repair = oacId.isEmpty() || cdn.needsUpdate(d.id(), spec(c, oacId.get()));
                changes.add(change("CloudFront distribution", d.id(), repair ? Plan.ResourceChange.Action.REPAIR
                        : Plan.ResourceChange.Action.KEEP, d.url() + " (" + d.status() + ")"));
                if (s3Compatible) {
                    changes.add(change("S3 bucket policy", c.bucket, Plan.ResourceChange.Action.KEEP,
                            "not supported by the S3-compatible endpoint"));
                } else {
                    String current = bucketExists ? buckets.currentPolicy(c.bucket) : null;
                    boolean ok = BucketManager.policyMatches(current, c.bucket, d.arn());
                    changes.add(change("S3 bucket policy", c.bucket, ok ? Plan.ResourceChange.Action.KEEP
                            : current == null ? Plan.ResourceChange.Action.CREATE : Plan.ResourceChange.Action.REPAIR,
                            "read only by distribution " + d.id()));
                }
            }
        }

        SyncPlan syncPlan = sync.plan(c.bucket, snapshot, r.prune(), r.maxDeletes(), bucketExists);
        List<String> invalidations = dist.isPresent() ? syncPlan.invalidationPaths() : List.of();
        Plan plan = new Plan(guid, c.bucket, changes, syncPlan.uploads(), syncPlan.headerUpdates(),
                syncPlan.deletes(), syncPlan.unchanged(), invalidations);
        listener.planned(new DeployListener.Planned(plan));
        return new Prepared(c, plan, sync, syncPlan, known, bucketExists, oacId, dist);
    }

    /**
     * Refuses to touch a project another user owns: the tracker knows the GUID under another user id, or the bucket
     * is tagged with another user id.
     */
    private Optional<DeploymentRecord> ownedRecord(ProjectGuid guid, String userId) {
        Optional<DeploymentRecord> mine = records.get(userId, guid.value());
        if (mine.isPresent()) {
            return mine;
        }
        Optional<DeploymentRecord> any = records.findByProjectId(guid.value());
        if (any.isPresent() && !any.get().userId().equals(userId)) {
            throw new InvalidInputException("userId", "Project " + guid.value() + " belongs to another user "
                    + "(its record is under user id '" + any.get().userId() + "'), not to '" + userId
                    + "'. Use the owner's user id, or a new GUID for a new project.");
        }
        return Optional.empty();
    }

    private void checkBucketOwner(BucketManager buckets, String bucket, String guid, String userId) {
        String taggedUser = buckets.currentTags(bucket).get(ResourceNames.TAG_USER_ID);
        if (taggedUser != null && !taggedUser.equals(userId)) {
            throw new InvalidInputException("userId", "Bucket " + bucket + " of project " + guid + " is tagged for "
                    + "user id '" + taggedUser + "', not '" + userId + "'. Use the owner's user id, or a new GUID "
                    + "for a new project.");
        }
    }

    private static Plan.ResourceChange change(String type, String name, Plan.ResourceChange.Action action,
            String detail) {
        return new Plan.ResourceChange(type, name, action, detail);
    }

    private CdnManager.Spec spec(Ctx c, String oacId) {
        return new CdnManager.Spec(c.callerReference, c.comment, c.bucket, region, oacId, c.request.spaFallback());
    }

    private Deployment apply(Prepared p, long started) {
        Ctx c = p.ctx;
        DeployRequest r = c.request;
        String guid = c.guid.value();
        List<String> created = new ArrayList<>();
        List<String> reused = new ArrayList<>();

        BucketManager buckets = new BucketManager(s3, call, s3Compatible, listener, guid);
        boolean newBucket = !p.bucketExists && buckets.create(c.bucket, region);
        // recorded before its settings, so a failure while making it private still leaves it on record
        records.recordResources(c.userId, guid, c.projectName, AwsResources.builder().s3Bucket(c.bucket)
                .region(region).build());
        buckets.applyPrivateSettings(c.bucket, c.tags);
        note("S3 bucket", c.bucket, newBucket, created, reused, guid);
        AwsResources.Builder res = p.known.toBuilder().s3Bucket(c.bucket).region(region);

        CdnManager.Dist dist = null;
        boolean newDist = false;
        String url;
        if (cdnEnabled) {
            CdnManager cdn = new CdnManager(cloudFront, call, listener, guid);
            String oacId;
            if (p.oacId.isPresent()) {
                oacId = p.oacId.get();
                note("CloudFront origin access control", c.oacName, false, created, reused, guid);
            } else {
                oacId = cdn.createOac(c.oacName);
                note("CloudFront origin access control", c.oacName, true, created, reused, guid);
            }
            res.originAccessControlId(oacId);
            records.recordResources(c.userId, guid, c.projectName, AwsResources.builder()
                    .originAccessControlId(oacId).build());

            CdnManager.Spec spec = spec(c, oacId);
            if (p.dist.isPresent()) {
                dist = p.dist.get();
                if (cdn.update(dist.id(), cfg -> CdnManager.applySpec(cfg, spec))) {
                    listener.progress(new DeployListener.Progress(guid, "Updated CloudFront distribution "
                            + dist.id() + " to oneclick's settings"));
                }
            } else {
                CdnManager.Created made = cdn.create(spec, c.tags);
                dist = made.dist();
                newDist = made.created();
                if (!made.created()) {
                    cdn.update(dist.id(), cfg -> CdnManager.applySpec(cfg, spec));
                }
            }
            note("CloudFront distribution", dist.id(), newDist, created, reused, guid);
            url = dist.url();
            AwsResources cdnRes = AwsResources.builder().cloudFrontId(dist.id()).cloudFrontArn(dist.arn())
                    .cloudFrontUrl(url).siteUrl(url).build();
            res.cloudFrontId(dist.id()).cloudFrontArn(dist.arn()).cloudFrontUrl(url).siteUrl(url);
            records.recordResources(c.userId, guid, c.projectName, cdnRes);

            if (buckets.putCloudFrontPolicy(c.bucket, dist.arn())) {
                listener.progress(new DeployListener.Progress(guid, "Bucket policy of " + c.bucket
                        + " lets only CloudFront distribution " + dist.id() + " read it"));
            }
        } else {
            url = siteUrl != null ? siteUrl : defaultBucketUrl(c.bucket);
            res.siteUrl(url);
            records.recordResources(c.userId, guid, c.projectName, AwsResources.builder().siteUrl(url).build());
        }

        SyncResult sync = p.sync.apply(c.bucket, p.syncPlan);

        String invalidationId = null;
        List<String> invalidated = List.of();
        if (dist != null && !newDist && !p.syncPlan.invalidationPaths().isEmpty()) {
            CdnManager cdn = new CdnManager(cloudFront, call, listener, guid);
            invalidated = p.syncPlan.invalidationPaths();
            invalidationId = cdn.invalidate(dist.id(), invalidated, guid + "-" + UUID.randomUUID());
            listener.invalidationSent(new DeployListener.InvalidationSent(guid, dist.id(), invalidationId,
                    invalidated));
        }
        if (dist != null && r.waitForDeployed()) {
            CdnManager cdn = new CdnManager(cloudFront, call, listener, guid);
            Optional<CdnManager.Dist> now = cdn.waitDeployed(dist.id(), r.waitTimeout(), pollInterval);
            if (now.isPresent() && !now.get().deployed()) {
                listener.progress(new DeployListener.Progress(guid, "CloudFront distribution " + dist.id()
                        + " is still " + now.get().status() + " after " + r.waitTimeout()
                        + "; it keeps deploying and serves the site once Deployed"));
            }
        }

        AwsResources full = res.build();
        records.recordResources(c.userId, guid, c.projectName, full);
        records.updateStatus(c.userId, guid, c.projectName, DeploymentStatus.DEPLOYED, null);
        return new Deployment(guid, full, p.plan, created, reused, sync.filesUploaded(), sync.bytesUploaded(),
                sync.headersUpdated(), sync.deleted(), p.syncPlan.unchanged(), invalidationId, invalidated, url,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private String defaultBucketUrl(String bucket) {
        if (s3Endpoint != null) {
            String base = s3Endpoint.toString().replaceAll("/+$", "");
            return base + "/" + bucket + "/index.html";
        }
        return "https://" + bucket + ".s3." + region + ".amazonaws.com/index.html";
    }

    private void note(String type, String name, boolean isNew, List<String> created, List<String> reused,
            String guid) {
        (isNew ? created : reused).add(type + ": " + name);
        listener.resourceCreated(new DeployListener.ResourceCreated(guid, type, name, !isNew));
    }

    // ================================================================ destroy / status

    @Override
    public DeploymentRecord destroy(String guidText, String userIdText) {
        ProjectGuid guid = ProjectGuid.parse(guidText);
        String userId = ResourceNames.checkUserId(userIdText);
        String g = guid.value();
        Optional<DeploymentRecord> rec = ownedRecord(guid, userId);
        AwsResources known = rec.map(DeploymentRecord::awsResources).orElse(AwsResources.empty());
        if (!cdnEnabled && known.cloudFrontId().isPresent()) {
            throw new InvalidInputException("cdnEnabled", "Project " + g + " has CloudFront distribution "
                    + known.cloudFrontId().get() + " on record, but this deployer has the CDN switched off; destroy "
                    + "with cdnEnabled(true) so the distribution is removed too.");
        }
        String projectName = rec.map(DeploymentRecord::projectName).orElse(g);
        String bucket = known.s3Bucket().orElse(names.bucket(guid));
        String bucketRegion = known.region().orElse(region);

        BucketManager buckets = new BucketManager(s3, call, s3Compatible, listener, g);
        boolean bucketExists;
        try {
            bucketExists = buckets.inspect(bucket, bucketRegion) == BucketManager.BucketState.OWNED;
            if (bucketExists) {
                checkBucketOwner(buckets, bucket, g, userId);
            }
        } catch (BucketNameTakenException e) {
            listener.progress(new DeployListener.Progress(g, "Bucket " + bucket
                    + " belongs to another account; leaving it alone"));
            bucketExists = false;
        }
        CdnManager cdn = cdnEnabled ? new CdnManager(cloudFront, call, listener, g) : null;
        Optional<String> oacId = Optional.empty();
        Optional<CdnManager.Dist> dist = Optional.empty();
        if (cdn != null) {
            oacId = known.originAccessControlId().filter(id -> !id.isBlank())
                    .or(() -> cdn.findOac(names.originAccessControl(guid)));
            dist = cdn.find(known.cloudFrontId().orElse(null), names.cloudFrontComment(guid));
        }
        if (rec.isEmpty() && !bucketExists && oacId.isEmpty() && dist.isEmpty()) {
            throw new ProjectNotFoundException("Project " + g + " of user " + userId + " has no record and no "
                    + "resources were found by name; nothing to destroy. Check the GUID and the user id.");
        }

        records.ensureReady();
        records.updateStatus(userId, g, projectName, DeploymentStatus.DESTROYING, null);
        AwsResources.Builder remaining = known.toBuilder();
        try {
            // disabled before its bucket goes, so the distribution never keeps serving an origin name that anyone
            // could register again
            if (dist.isPresent() && cdn.disable(dist.get().id())) {
                listener.progress(new DeployListener.Progress(g, "Disabled CloudFront distribution "
                        + dist.get().id()));
            }
            if (bucketExists) {
                int n = buckets.emptyAndDelete(bucket);
                listener.progress(new DeployListener.Progress(g, "Deleted bucket " + bucket + " and its " + n
                        + " object version(s)"));
            }
            remaining.put(AwsResources.S3_BUCKET, null);
            records.replaceResources(userId, g, remaining.build());

            String incomplete = null;
            if (dist.isPresent()) {
                String id = dist.get().id();
                Optional<CdnManager.Dist> now = cdn.waitDeployed(id, destroyWaitTimeout, pollInterval);
                if (now.isEmpty() || now.get().deployed()) {
                    cdn.delete(id);
                    listener.progress(new DeployListener.Progress(g, "Deleted CloudFront distribution " + id));
                    remaining.put(AwsResources.CLOUD_FRONT_ID, null).put(AwsResources.CLOUD_FRONT_ARN, null)
                            .put(AwsResources.CLOUD_FRONT_URL, null).put(AwsResources.SITE_URL, null);
                    records.replaceResources(userId, g, remaining.build());
                } else {
                    remaining.cloudFrontId(id).cloudFrontArn(dist.get().arn());
                    records.replaceResources(userId, g, remaining.build());
                    incomplete = "CloudFront distribution " + id + " is disabled but still " + now.get().status()
                            + " after " + destroyWaitTimeout + "; run destroy again in a few minutes to delete it"
                            + (oacId.isPresent() ? " and origin access control " + oacId.get() : "") + ".";
                }
            } else {
                remaining.put(AwsResources.CLOUD_FRONT_ID, null).put(AwsResources.CLOUD_FRONT_ARN, null)
                        .put(AwsResources.CLOUD_FRONT_URL, null);
            }
            if (incomplete == null && oacId.isPresent()) {
                cdn.deleteOac(oacId.get());
                listener.progress(new DeployListener.Progress(g, "Deleted origin access control " + oacId.get()));
            }
            if (incomplete != null) {
                listener.progress(new DeployListener.Progress(g, incomplete));
                DeploymentRecord left = records.updateStatus(userId, g, projectName, DeploymentStatus.DESTROYING,
                        incomplete);
                listener.finished(new DeployListener.Finished(g, null, null));
                return left;
            }
            remaining.put(AwsResources.ORIGIN_ACCESS_CONTROL_ID, null).put(AwsResources.SITE_URL, null)
                    .put(AwsResources.REGION, null);
            records.replaceResources(userId, g, remaining.build());
            DeploymentRecord done = records.updateStatus(userId, g, projectName, DeploymentStatus.DESTROYED, null);
            listener.finished(new DeployListener.Finished(g, null, null));
            return done;
        } catch (RuntimeException e) {
            OneclickException typed = typed(e, "destroy");
            try {
                records.updateStatus(userId, g, projectName, DeploymentStatus.DESTROYING, "Destroy stopped: "
                        + typed.getMessage() + " Run destroy again to finish.");
            } catch (RuntimeException again) {
                typed.addSuppressed(again);
            }
            listener.finished(new DeployListener.Finished(g, null, typed));
            throw typed;
        }
    }

    @Override
    public Optional<DeploymentRecord> status(String guid, String userId) {
        ProjectGuid g = ProjectGuid.parse(guid);
        return records.get(ResourceNames.checkUserId(userId), g.value());
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing an AWS client failed", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ================================================================ builder

    /**
     * Builds a {@link DefaultDeployer}. Besides {@link Deployer.Builder}'s settings it takes ready-made SDK clients
     * ({@link #s3Client}, {@link #s3AsyncClient}, {@link #cloudFrontClient}, {@link #dynamoDbClient}); an injected
     * client is used as it is and not closed by the deployer. Not thread-safe.
     */
    public static final class Builder implements Deployer.Builder {
        private String region;
        private AwsCredentialsProvider credentials;
        private final Map<Service, URI> endpoints = new EnumMap<>(Service.class);
        private boolean s3Compatible;
        private DeploymentTracker tracker;
        private String tableName = DeploymentTracker.DEFAULT_TABLE;
        private ResourceNames names = ResourceNames.defaults();
        private DeployListener listener = DeployListener.NONE;
        private boolean cdnEnabled = true;
        private int concurrency = 32;
        private S3Client s3Client;
        private S3AsyncClient s3AsyncClient;
        private CloudFrontClient cloudFrontClient;
        private DynamoDbClient dynamoDbClient;
        private ProjectRecords records;
        private String siteUrl;
        private Duration pollInterval = Duration.ofSeconds(15);
        private Duration destroyWaitTimeout = Duration.ofMinutes(20);
        private AwsCall.Sleeper sleeper = AwsCall.REAL_SLEEP;

        private Builder() {
        }

        @Override
        public Builder region(String region) {
            if (region != null && region.isBlank()) {
                throw new InvalidInputException("region", "The region is blank; give one such as us-east-1.");
            }
            this.region = region;
            return this;
        }

        @Override
        public Builder credentialsProvider(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        @Override
        public Builder endpointOverride(Service service, URI endpoint) {
            Objects.requireNonNull(service, "service");
            if (endpoint == null) {
                endpoints.remove(service);
            } else {
                endpoints.put(service, endpoint);
            }
            return this;
        }

        @Override
        public Builder s3Compatible(boolean s3Compatible) {
            this.s3Compatible = s3Compatible;
            return this;
        }

        @Override
        public Builder tracker(DeploymentTracker tracker) {
            this.tracker = tracker;
            return this;
        }

        @Override
        public Builder tableName(String tableName) {
            if (tableName == null || tableName.isBlank()) {
                throw new InvalidInputException("tableName", "The table name is blank; give one such as "
                        + DeploymentTracker.DEFAULT_TABLE + ".");
            }
            this.tableName = tableName;
            return this;
        }

        @Override
        public Builder names(ResourceNames names) {
            this.names = Objects.requireNonNull(names, "names");
            return this;
        }

        @Override
        public Builder listener(DeployListener listener) {
            this.listener = listener == null ? DeployListener.NONE : listener;
            return this;
        }

        @Override
        public Builder cdnEnabled(boolean cdnEnabled) {
            this.cdnEnabled = cdnEnabled;
            return this;
        }

        @Override
        public Builder concurrency(int concurrency) {
            if (concurrency < 1 || concurrency > 1024) {
                throw new InvalidInputException("concurrency", "concurrency is " + concurrency
                        + "; give 1 to 1024 requests in flight.");
            }
            this.concurrency = concurrency;
            return this;
        }

        /** Uses this S3 client for bucket calls (not closed by the deployer). */
        public Builder s3Client(S3Client client) {
            this.s3Client = client;
            return this;
        }

        /** Uses this async S3 client for the file sync (not closed by the deployer). */
        public Builder s3AsyncClient(S3AsyncClient client) {
            this.s3AsyncClient = client;
            return this;
        }

        /** Uses this CloudFront client (not closed by the deployer). */
        public Builder cloudFrontClient(CloudFrontClient client) {
            this.cloudFrontClient = client;
            return this;
        }

        /** Builds the tracker over this DynamoDB client (not closed by the deployer) unless a tracker is given. */
        public Builder dynamoDbClient(DynamoDbClient client) {
            this.dynamoDbClient = client;
            return this;
        }

        /** The {@code siteUrl} recorded when {@link #cdnEnabled} is false (such as a local preview's address). */
        public Builder siteUrl(String siteUrl) {
            this.siteUrl = siteUrl;
            return this;
        }

        /** How often a wait polls CloudFront; default 15 s. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /** How long destroy waits for a disabled distribution to deploy before leaving it for a rerun; 20 min. */
        public Builder destroyWaitTimeout(Duration timeout) {
            this.destroyWaitTimeout = Objects.requireNonNull(timeout, "destroyWaitTimeout");
            return this;
        }

        /** How the deployer sleeps between retries and polls (tests pass one that does not wait). */
        public Builder sleeper(AwsCall.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The record store; default: {@link TrackerRecords} over the tracker. */
        Builder records(ProjectRecords records) {
            this.records = records;
            return this;
        }

        @Override
        public DefaultDeployer build() {
            String resolvedRegion = region != null ? region : defaultRegion();
            Region r = Region.of(resolvedRegion);
            AwsCredentialsProvider creds = credentials;
            List<AutoCloseable> owned = new ArrayList<>();
            RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(SDK_MAX_ATTEMPTS)
                    .build();
            try {
                if ((s3Client == null || s3AsyncClient == null || cloudFrontClient == null
                        || (tracker == null && records == null && dynamoDbClient == null)) && creds == null) {
                    DefaultCredentialsProvider dc = DefaultCredentialsProvider.builder().build();
                    owned.add(dc);
                    creds = dc;
                }
                S3Client s3 = s3Client;
                if (s3 == null) {
                    s3 = s3Settings(common(S3Client.builder(), r, creds, retry, Service.S3))
                            .httpClientBuilder(ApacheHttpClient.builder()).build();
                    owned.add(s3);
                }
                S3AsyncClient s3Async = s3AsyncClient;
                if (s3Async == null) {
                    s3Async = s3Settings(common(S3AsyncClient.builder(), r, creds, retry, Service.S3))
                            .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency * 2)
                                    .connectionAcquisitionTimeout(Duration.ofMinutes(2)))
                            .build();
                    owned.add(s3Async);
                }
                CloudFrontClient cf = cloudFrontClient;
                if (cf == null && cdnEnabled) {
                    cf = common(CloudFrontClient.builder(), Region.AWS_GLOBAL, creds, retry, Service.CLOUDFRONT)
                            .httpClientBuilder(ApacheHttpClient.builder()).build();
                    owned.add(cf);
                }
                ProjectRecords store = records;
                if (store == null) {
                    DeploymentTracker t = tracker;
                    if (t == null) {
                        DynamoDbClient ddb = dynamoDbClient;
                        if (ddb == null) {
                            ddb = common(DynamoDbClient.builder(), r, creds, retry, Service.DYNAMODB)
                                    .httpClientBuilder(ApacheHttpClient.builder()).build();
                            owned.add(ddb);
                        }
                        t = DeploymentTracker.builder().dynamoDbClient(ddb).tableName(tableName).build();
                    }
                    store = new TrackerRecords(t);
                }
                return new DefaultDeployer(this, resolvedRegion, s3, s3Async, cf, store, List.copyOf(owned));
            } catch (RuntimeException e) {
                for (AutoCloseable c : owned) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // already failing
                    }
                }
                throw e;
            }
        }

        /** Region, credentials, retries and the service's endpoint override, as every client of the deployer has. */
        private <B extends AwsClientBuilder<B, ?>> B common(B b, Region r, AwsCredentialsProvider creds,
                RetryStrategy retry, Service service) {
            b.region(r).credentialsProvider(creds).overrideConfiguration(o -> o.retryStrategy(retry));
            URI endpoint = endpoints.get(service);
            if (endpoint != null) {
                b.endpointOverride(endpoint);
            }
            return b;
        }

        /** In S3-compatible mode: path-style addressing, checksums only when required. */
        private <B extends S3BaseClientBuilder<B, ?>> B s3Settings(B b) {
            if (s3Compatible) {
                b.forcePathStyle(true)
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            }
            return b;
        }

        private static String defaultRegion() {
            try {
                return new DefaultAwsRegionProviderChain().getRegion().id();
            } catch (SdkClientException e) {
                return "us-east-1";
            }
        }
    }
}
