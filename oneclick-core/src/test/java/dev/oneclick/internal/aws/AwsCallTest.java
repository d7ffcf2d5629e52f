package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.AwsRequestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The typed errors and their messages: what failed, on what, and what to grant or check. */
class AwsCallTest {
    private final List<Duration> sleeps = new ArrayList<>();
    private final AwsCall call = AwsCall.standard(sleeps::add);

    private static S3Exception s3Error(int status, String code, String message) {
        return (S3Exception) S3Exception.builder().statusCode(status).message(message).awsErrorDetails(AwsErrorDetails
                .builder().errorCode(code).errorMessage(message).serviceName("S3").build()).build();
    }

    @Test
    void run_whenAccessDeniedOnHeadBucket_namesTheIamActionToGrant() {
        AwsRequestException e = assertThrows(AwsRequestException.class, () -> call.run("S3", "HeadBucket",
                "tmux-builder-x", () -> {
                    throw s3Error(403, "AccessDenied", "Access Denied");
                }));

        assertEquals("AccessDenied", e.errorCode());
        assertEquals("HeadBucket", e.operation());
        assertTrue(e.getMessage().startsWith("S3 HeadBucket on tmux-builder-x failed with AccessDenied"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("allow s3:ListBucket."), e.getMessage());
        assertTrue(sleeps.isEmpty(), "access denied is not retried");
    }

    @Test
    void run_whenAccessDeniedOnAnOperationNamedLikeItsAction_namesThatAction() {
        AwsRequestException e = assertThrows(AwsRequestException.class, () -> call.run("S3", "PutBucketPolicy",
                "b", () -> {
                    throw s3Error(403, "AccessDenied", "Access Denied");
                }));

        assertTrue(e.getMessage().endsWith("allow s3:PutBucketPolicy."), e.getMessage());
        assertEquals("cloudfront:CreateDistribution and cloudfront:TagResource",
                AwsCall.iamActions("CloudFront", "CreateDistributionWithTags"));
        assertEquals("s3:PutBucketPublicAccessBlock", AwsCall.iamActions("S3", "PutPublicAccessBlock"));
    }

    @Test
    void run_whenTheNetworkFails_saysToCheckTheConnectionAndEndpoint() {
        AwsRequestException e = assertThrows(AwsRequestException.class, () -> call.run("S3", "CreateBucket", "b",
                () -> {
                    throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
                }));

        assertEquals(null, e.errorCode());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Check the network connection and the endpoint."), e.getMessage());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void run_whenS3SaysSlowDown_sendsTheRequestOnceAndNamesTheThrottling() {
        int[] calls = {0};

        AwsRequestException e = assertThrows(AwsRequestException.class, () -> call.run("S3", "PutBucketTagging",
                "b", () -> {
                    calls[0]++;
                    throw s3Error(503, "SlowDown", "Please reduce your request rate.");
                }));

        assertEquals(1, calls[0], "the SDK client retries; oneclick adds no loop on top");
        assertEquals("SlowDown", e.errorCode());
        assertTrue(e.getMessage().endsWith("AWS kept throttling the request through the SDK's retries; try again "
                + "later."), e.getMessage());
        assertTrue(sleeps.isEmpty());
    }
}
