package dev.oneclick.internal.aws;

import dev.oneclick.errors.AwsRequestException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one AWS request and turns its failure into an {@link AwsRequestException} whose message names the service,
 * the operation and the resource. It does not retry: retries (throttling, 5xx, network errors) are the SDK client's
 * own, with the bounded standard strategy every client of the deployer gets ({@code ClientFactory}), so a request
 * that keeps failing is sent at most that many times, not that many times a loop of oneclick's own. Thread-safe.
 */
public final class AwsCall {
    /** Error codes AWS services use for "slow down". */
    static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
            "TooManyRequestsException", "RequestLimitExceeded", "SlowDown", "RequestThrottled",
            "RequestThrottledException", "ProvisionedThroughputExceededException");

    /** Sleeps between polls; replaceable so tests need not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public static final Sleeper REAL_SLEEP = d -> Thread.sleep(d.toMillis());

    private final Sleeper sleeper;

    private AwsCall(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    /** Calls that sleep (between polls of a wait) with {@code sleeper}. */
    public static AwsCall standard(Sleeper sleeper) {
        return new AwsCall(sleeper);
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    /**
     * Runs {@code request} once (the SDK client has already retried what it retries).
     *
     * @param service e.g. {@code S3}
     * @param operation e.g. {@code PutBucketPolicy}
     * @param resource what the request is about, for the message
     * @throws AwsRequestException when the request fails
     */
    public <T> T run(String service, String operation, String resource, Supplier<T> request) {
        try {
            return request.get();
        } catch (AwsServiceException | SdkClientException e) {
            throw wrap(service, operation, resource, e);
        }
    }

    /** Runs a request whose answer is not needed. */
    public void exec(String service, String operation, String resource, Runnable request) {
        run(service, operation, resource, () -> {
            request.run();
            return null;
        });
    }

    /** Sleeps for {@code d}, turning an interrupt into an error that keeps the interrupt flag. */
    public void sleep(Duration d, String why) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new AwsRequestException("oneclick", "wait", null, "Interrupted while " + why + ".", ie);
        }
    }

    /** AWS's error code of {@code e}, or null. */
    public static String errorCode(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            return ase.awsErrorDetails().errorCode();
        }
        return null;
    }

    /** Wraps an SDK error in an {@link AwsRequestException} that says what failed and what to check. */
    public static AwsRequestException wrap(String service, String operation, String resource, SdkException e) {
        String code = errorCode(e);
        StringBuilder msg = new StringBuilder();
        msg.append(service).append(' ').append(operation).append(" on ").append(resource).append(" failed");
        if (code != null) {
            msg.append(" with ").append(code);
        }
        String detail = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && ase.awsErrorDetails().errorMessage() != null ? ase.awsErrorDetails().errorMessage() : e.getMessage();
        if (detail != null && !detail.isBlank()) {
            msg.append(": ").append(detail);
        }
        if (code != null && (code.contains("AccessDenied") || code.equals("UnauthorizedOperation")
                || code.equals("InvalidAccessKeyId") || code.equals("SignatureDoesNotMatch")
                || code.equals("ExpiredToken"))) {
            msg.append(". Check that the AWS credentials in use are valid and allow ")
                    .append(iamActions(service, operation)).append('.');
        } else if (code == null) {
            msg.append(". Check the network connection and the endpoint.");
        } else if (isThrottlingCode(code)) {
            msg.append(". AWS kept throttling the request through the SDK's retries; try again later.");
        }
        return new AwsRequestException(service, operation, code, msg.toString(), e);
    }

    /**
     * The IAM action(s) an operation needs, where the action is not named like the operation (HeadBucket needs
     * {@code s3:ListBucket}, ...), so an access-denied message names what to grant.
     */
    static String iamActions(String service, String operation) {
        String prefix = service.toLowerCase(Locale.ROOT) + ":";
        String actions = IAM_ACTIONS.get(prefix + operation);
        return actions != null ? actions : prefix + operation;
    }

    private static final Map<String, String> IAM_ACTIONS = Map.ofEntries(
            Map.entry("s3:HeadBucket", "s3:ListBucket"),
            Map.entry("s3:ListObjectsV2", "s3:ListBucket"),
            Map.entry("s3:ListObjectVersions", "s3:ListBucketVersions"),
            Map.entry("s3:PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
            Map.entry("s3:GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
            Map.entry("s3:PutBucketEncryption", "s3:PutEncryptionConfiguration"),
            Map.entry("s3:GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
            Map.entry("s3:PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
            Map.entry("s3:DeleteObjects", "s3:DeleteObject and s3:DeleteObjectVersion"),
            Map.entry("s3:HeadObject", "s3:GetObject"),
            Map.entry("s3:CopyObject", "s3:GetObject and s3:PutObject"),
            Map.entry("cloudfront:CreateDistributionWithTags", "cloudfront:CreateDistribution and "
                    + "cloudfront:TagResource"));

    private static boolean isThrottlingCode(String code) {
        return code != null && THROTTLING.contains(code);
    }
}
