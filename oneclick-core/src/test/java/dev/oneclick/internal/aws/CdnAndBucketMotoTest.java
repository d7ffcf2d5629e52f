package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.local.Moto;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;

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
}
