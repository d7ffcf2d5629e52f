package dev.oneclick.errors;

/**
 * An AWS request of a deploy, plan or destroy failed (access denied, a limit reached, throttled past the retries,
 * the endpoint unreachable). The message names the service, the operation, the resource and AWS's error code;
 * {@link #errorCode()} is AWS's code (such as {@code AccessDenied}) or null when no response came back.
 */
public class AwsRequestException extends OneclickException {
    private static final long serialVersionUID = 1L;
    private final String service;
    private final String operation;
    private final String errorCode;

    public AwsRequestException(String service, String operation, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
        this.operation = operation;
        this.errorCode = errorCode;
    }

    /** The AWS service, such as {@code S3} or {@code CloudFront}. */
    public String service() {
        return service;
    }

    /** The API operation, such as {@code PutBucketPolicy}. */
    public String operation() {
        return operation;
    }

    /** AWS's error code, or null when the request got no answer. */
    public String errorCode() {
        return errorCode;
    }
}
