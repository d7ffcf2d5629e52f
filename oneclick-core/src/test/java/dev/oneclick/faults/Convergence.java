package dev.oneclick.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.local.Moto;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.OriginAccessControlSummary;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What "converged" means, checked on moto and the record: after a deploy exactly one bucket, one origin access
 * control and one distribution of the project, the bucket's objects equal to the site byte for byte with the headers
 * of a clean deploy, the record DEPLOYED with every id (in both resource maps) and no lease; after a destroy nothing
 * of the project left and the record DESTROYED. Either way no resource tagged with the project's GUID that the record
 * does not list.
 */
final class Convergence {
    private final CloudFrontClient cloudFront;
    private final S3Client s3;
    private final DeploymentTracker tracker;
    private final String user;
    private final Path site;
    /** key to "Content-Type | Cache-Control" of a clean deploy. */
    private final Map<String, String> cleanHeaders = new TreeMap<>();

    Convergence(Moto moto, DeploymentTracker tracker, String user, Path site) {
        this.cloudFront = moto.cloudFrontClient();
        this.s3 = moto.s3Client();
        this.tracker = tracker;
        this.user = user;
        this.site = site;
    }

    static String name(String guid) {
        return "tmux-builder-" + guid;
    }

    /** Takes the headers of a clean deploy's objects as the ones every converged deploy must have. */
    void rememberHeaders(String guid) {
        for (String key : siteKeys()) {
            cleanHeaders.put(key, headers(s3.headObject(r -> r.bucket(name(guid)).key(key))));
        }
        assertTrue(cleanHeaders.get("index.html").startsWith("text/html"), cleanHeaders.toString());
        assertTrue(cleanHeaders.get("assets/app.3f9a2b1c.js").contains("immutable"), cleanHeaders.toString());
    }

    void assertDeployed(String guid) throws IOException {
        assertDeployed(guid, true);
    }

    /**
     * @param oacOnOrigin whether to check that the distribution's origin names the recorded origin access control:
     *     moto drops it and only this JVM's corrections put it back, so a distribution last written by another JVM
     *     reads back without it
     */
    void assertDeployed(String guid, boolean oacOnOrigin) throws IOException {
        String bucket = name(guid);
        DeploymentRecord rec = tracker.get(user, guid).orElseThrow(() -> new AssertionError("no record"));
        assertEquals(Optional.of(DeploymentStatus.DEPLOYED), rec.status(), rec.toString());
        assertTrue(rec.lease().isEmpty(), "lease left: " + rec);
        List<Bucket> buckets = bucketsNamed(bucket);
        assertEquals(1, buckets.size(), "buckets named " + bucket);
        List<OriginAccessControlSummary> oacs = oacsNamed(name(guid));
        assertEquals(1, oacs.size(), "OACs named " + name(guid) + ": " + oacs);
        List<DistributionSummary> dists = distributionsCommented(name(guid));
        assertEquals(1, dists.size(), "distributions commented " + name(guid));
        for (AwsResources r : List.of(rec.oneclickResources(), rec.awsResources())) {
            assertEquals(Optional.of(bucket), r.s3Bucket(), r.toString());
            assertEquals(Optional.of(oacs.get(0).id()), r.originAccessControlId(), r.toString());
            assertEquals(Optional.of(dists.get(0).id()), r.cloudFrontId(), r.toString());
            assertEquals(Optional.of(dists.get(0).arn()), r.cloudFrontArn(), r.toString());
            assertEquals(Optional.of("us-east-1"), r.region(), r.toString());
            assertTrue(r.cloudFrontUrl().isPresent() && r.siteUrl().isPresent(), r.toString());
        }
        if (oacOnOrigin) {
            assertEquals(oacs.get(0).id(), cloudFront.getDistributionConfig(b -> b.id(dists.get(0).id()))
                    .distributionConfig().origins().items().get(0).originAccessControlId(), "the origin's OAC");
        }
        String policy = s3.getBucketPolicy(b -> b.bucket(bucket)).policy();
        assertTrue(policy.contains(dists.get(0).arn()), policy);
        assertEquals(guid, s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().stream()
                .filter(t -> t.key().equals(ResourceNames.TAG_PROJECT_GUID)).findFirst().orElseThrow().value());
        assertEquals(List.of(dists.get(0).id()), taggedDistributions(guid), "distributions tagged " + guid);
        assertEquals(List.of(bucket), taggedBuckets(guid), "buckets tagged " + guid);
        assertContentEqualsSite(bucket);
    }

    void assertDestroyed(String guid) {
        DeploymentRecord rec = tracker.get(user, guid).orElseThrow(() -> new AssertionError("no record"));
        assertEquals(Optional.of(DeploymentStatus.DESTROYED), rec.status(), rec.toString());
        assertTrue(rec.lease().isEmpty(), "lease left: " + rec);
        assertTrue(rec.oneclickResources().isEmpty(), rec.toString());
        assertTrue(rec.awsResources().isEmpty(), rec.toString());
        assertEquals(List.of(), bucketsNamed(name(guid)), "buckets named " + name(guid));
        assertEquals(List.of(), oacsNamed(name(guid)), "OACs named " + name(guid));
        assertEquals(List.of(), distributionsCommented(name(guid)), "distributions commented " + name(guid));
        assertEquals(List.of(), taggedDistributions(guid), "distributions tagged " + guid);
        assertEquals(List.of(), taggedBuckets(guid), "buckets tagged " + guid);
    }

    /** Deletes what a converged deploy left (directly, not through the engine) so moto stays small. */
    void removeDirectly(String guid) {
        for (DistributionSummary d : distributionsCommented(name(guid))) {
            String etag = cloudFront.getDistribution(b -> b.id(d.id())).eTag();
            cloudFront.deleteDistribution(b -> b.id(d.id()).ifMatch(etag));
        }
        for (OriginAccessControlSummary o : oacsNamed(name(guid))) {
            String etag = cloudFront.getOriginAccessControl(b -> b.id(o.id())).eTag();
            cloudFront.deleteOriginAccessControl(b -> b.id(o.id()).ifMatch(etag));
        }
        String bucket = name(guid);
        if (!bucketsNamed(bucket).isEmpty()) {
            s3.listObjectVersionsPaginator(b -> b.bucket(bucket)).forEach(page -> {
                page.versions().forEach(v -> s3.deleteObject(b -> b.bucket(bucket).key(v.key())
                        .versionId(v.versionId())));
                page.deleteMarkers().forEach(v -> s3.deleteObject(b -> b.bucket(bucket).key(v.key())
                        .versionId(v.versionId())));
            });
            s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> s3.deleteObject(b -> b
                    .bucket(bucket).key(o.key())));
            s3.deleteBucket(b -> b.bucket(bucket));
        }
    }

    private void assertContentEqualsSite(String bucket) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            if (!o.key().startsWith(".oneclick/")) {
                keys.add(o.key());
            }
        }
        assertEquals(new TreeSet<>(siteKeys()), keys, "keys in " + bucket);
        for (String key : keys) {
            byte[] want = Files.readAllBytes(site.resolve(key));
            byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            assertEquals(sha256(want), sha256(got), "SHA-256 of " + key);
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            assertEquals(sha256(got), head.metadata().get("oneclick-sha256"), "x-amz-meta-oneclick-sha256 of " + key);
            if (!cleanHeaders.isEmpty()) {
                assertEquals(cleanHeaders.get(key), headers(head), "headers of " + key);
            }
        }
    }

    private static String headers(HeadObjectResponse head) {
        return head.contentType() + " | " + head.cacheControl();
    }

    List<String> siteKeys() {
        try (Stream<Path> files = Files.walk(site)) {
            return files.filter(Files::isRegularFile).map(f -> site.relativize(f).toString().replace('\\', '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Bucket> bucketsNamed(String bucket) {
        return s3.listBuckets().buckets().stream().filter(b -> b.name().equals(bucket)).toList();
    }

    private List<OriginAccessControlSummary> oacsNamed(String oacName) {
        var list = cloudFront.listOriginAccessControls(b -> { }).originAccessControlList();
        return list.hasItems() ? list.items().stream().filter(o -> oacName.equals(o.name())).toList() : List.of();
    }

    private List<DistributionSummary> distributionsCommented(String comment) {
        var list = cloudFront.listDistributions(b -> { }).distributionList();
        return list.hasItems() ? list.items().stream().filter(d -> comment.equals(d.comment())).toList() : List.of();
    }

    private List<String> taggedDistributions(String guid) {
        var list = cloudFront.listDistributions(b -> { }).distributionList();
        if (!list.hasItems()) {
            return List.of();
        }
        return list.items().stream().filter(d -> cloudFront.listTagsForResource(b -> b.resource(d.arn())).tags()
                .items().stream().anyMatch(t -> t.key().equals(ResourceNames.TAG_PROJECT_GUID)
                        && t.value().equals(guid))).map(DistributionSummary::id).toList();
    }

    private List<String> taggedBuckets(String guid) {
        return s3.listBuckets().buckets().stream().map(Bucket::name).filter(b -> {
            try {
                return s3.getBucketTagging(r -> r.bucket(b)).tagSet().stream().anyMatch(t -> t.key()
                        .equals(ResourceNames.TAG_PROJECT_GUID) && t.value().equals(guid));
            } catch (S3Exception e) {
                return false; // no tags (NoSuchTagSet) or gone meanwhile
            }
        }).toList();
    }
}
