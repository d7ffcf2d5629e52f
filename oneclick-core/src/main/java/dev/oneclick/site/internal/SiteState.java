package dev.oneclick.site.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.internal.aws.BucketManager;
import dev.oneclick.internal.aws.CdnManager;
import dev.oneclick.naming.ProjectGuid;
import java.util.List;

/**
 * What the static site's steps of one run share: the derived names, the managers, and what each step found or made
 * for the steps after it (the bucket for the policy and the content, the OAC for the distribution, the distribution
 * for the policy and the invalidation). Used by one thread at a time.
 */
final class SiteState {
    final SiteClients clients;
    final DeployRequest request;
    final String guid;
    final String bucket;
    final String oacName;
    final String comment;
    final String callerReference;
    private final DeployListener listener;
    private BucketManager buckets;
    final CdnManager cdn;

    boolean bucketExists;
    String oacId;
    CdnManager.Dist dist;
    boolean newDist;
    /** The routing function's LIVE ARN to associate (routing ROUTES), once known. */
    String functionArn;
    /** Whether the routing function is still to be created, updated or published. */
    boolean functionPending;
    /** The recorded routing function's ARN when routing is not ROUTES, so its association is removed. */
    String ownFunctionArn;
    private SiteSync sync;
    SiteSnapshot snapshot;
    SyncPlan syncPlan;
    SyncResult synced;
    String invalidationId;
    List<String> invalidated = List.of();
    String url;
    /** The full stack's {@code /api/*} origin, read when the distribution's spec is made; null for a static site. */
    java.util.function.Supplier<dev.oneclick.internal.aws.ApiOrigins.Api> apiOrigin;

    SiteState(SiteClients clients, ProjectGuid guid, DeployRequest request, DeployListener listener) {
        this.clients = clients;
        this.request = request;
        this.guid = guid.value();
        this.bucket = clients.names().bucket(guid);
        this.oacName = clients.names().originAccessControl(guid);
        this.comment = clients.names().cloudFrontComment(guid);
        this.callerReference = clients.names().callerReference(guid);
        this.listener = listener;
        this.cdn = clients.cdnEnabled() ? new CdnManager(clients.cloudFront(), clients.call(), listener, this.guid)
                : null;
    }

    /** The bucket controls, made on first use (their S3 client may still be being built). */
    BucketManager buckets() {
        if (buckets == null) {
            buckets = new BucketManager(clients.s3(), clients.directS3(), clients.call(), clients.s3Compatible(),
                    listener, guid);
        }
        return buckets;
    }

    /** The content sync, made on first use (its async S3 client may still be being built). */
    /** Waits for the sync's unread prefetches, if a sync was made ({@link SiteSync#settle}). */
    void settle() {
        if (sync != null) {
            sync.settle();
        }
    }

    SiteSync sync() {
        if (sync == null) {
            sync = new SiteSync(clients.s3Async(), clients.directS3(), clients.concurrency(), clients.s3Throttles(),
                    listener, guid);
        }
        return sync;
    }

    CdnManager.Spec spec(String region) {
        DeployRequest.Routing routing = request.routing();
        return new CdnManager.Spec(callerReference, comment, bucket, region, oacId,
                routing == DeployRequest.Routing.ALL, request.indexDocument(),
                routing == DeployRequest.Routing.ROUTES ? functionArn : null, ownFunctionArn,
                apiOrigin == null ? null : apiOrigin.get());
    }
}
