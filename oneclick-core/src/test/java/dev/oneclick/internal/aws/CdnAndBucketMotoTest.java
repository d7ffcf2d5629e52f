package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.local.Moto;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/** CdnManager and BucketManager against moto's real CloudFront and S3 wire. */
class CdnAndBucketMotoTest {
    private static Moto moto;
    private static CloudFrontClient cf;

    @BeforeAll
    static void start() {
        moto = Moto.start();
        cf = moto.cloudFrontClient();
    }

    @AfterAll
    static void stop() {
        moto.close();
    }

    private static List<DistributionSummary> distributions() {
        var list = cf.listDistributions(r -> r.maxItems("100")).distributionList();
        return list.items() == null ? List.of() : list.items();
    }

    @Test
    void create_whenMotoAnswersDistributionAlreadyExists_resolvesTheDistributionItNames() {
        String guid = UUID.randomUUID().toString();
        Map<String, String> tags = ResourceNames.defaults().tags(ProjectGuid.parse(guid), "user-1");
        CdnManager cdn = new CdnManager(cf, AwsCall.standard(AwsCall.REAL_SLEEP), DeployListener.NONE, guid);
        String oac = cdn.createOac("oac-" + guid.substring(0, 8));
        CdnManager.Spec first = new CdnManager.Spec("tmux-builder-" + guid, "tmux-builder-" + guid,
                "tmux-builder-" + guid, "us-east-1", oac, true);
        String id = cdn.create(first, tags).dist().id();
        int before = distributions().size();

        // a rerun after a crash between create and record, with a config that changed meanwhile
        CdnManager.Created again = cdn.create(new CdnManager.Spec(first.callerReference(), first.comment(),
                first.bucket(), first.region(), oac, false), tags);

        assertFalse(again.created());
        assertEquals(id, again.dist().id());
        assertEquals(before, distributions().size(), "no second distribution");
        assertTrue(distributions().stream().noneMatch(d -> !d.id().equals(id) && d.arn() != null
                && cdn.tags(d.arn()).containsValue(guid)), "nothing else tagged with the project");
    }

    private static BucketManager buckets(List<String> progress) {
        DeployListener listener = new DeployListener() {
            @Override
            public void progress(Progress event) {
                progress.add(event.message());
            }
        };
        return new BucketManager(moto.s3Client(), AwsCall.standard(AwsCall.REAL_SLEEP), false, listener, "guid");
    }

    @Test
    void ensureAbortRule_onMoto_addsOneclicksRuleNextToTheUsersAndWritesNothingOnRerun() {
        S3Client s3 = moto.s3Client();
        String bucket = "lifecycle-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        LifecycleRule users = LifecycleRule.builder().id("expire-logs").status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix("logs/")).expiration(e -> e.days(30)).build();
        s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(users)));
        BucketManager buckets = buckets(new ArrayList<>());

        assertFalse(buckets.hasAbortRule(bucket));
        assertTrue(buckets.ensureAbortRule(bucket));

        List<LifecycleRule> rules = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
        assertEquals(List.of("expire-logs", BucketLifecycle.RULE_ID), rules.stream().map(LifecycleRule::id).toList());
        LifecycleRule kept = rules.get(0);
        assertEquals("logs/", kept.filter().prefix());
        assertEquals(30, kept.expiration().days());
        assertEquals(1, rules.get(1).abortIncompleteMultipartUpload().daysAfterInitiation());
        assertTrue(buckets.hasAbortRule(bucket));
        assertFalse(buckets.ensureAbortRule(bucket), "already there: nothing written");
    }

    @Test
    void emptyAndDelete_onMoto_deletesInBatchesWithContentMd5() {
        S3Client s3 = moto.s3Client();
        String bucket = "bulk-delete-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        for (int i = 0; i < 300; i++) {
            String key = "k/" + i;
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        List<String> progress = new ArrayList<>();

        assertEquals(300, buckets(progress).emptyAndDelete(bucket));

        assertTrue(progress.stream().noneMatch(m -> m.contains("one by one")), progress.toString());
        assertTrue(s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket)));
    }
}
