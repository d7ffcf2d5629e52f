package dev.oneclick.errors;

/**
 * The project's S3 bucket name is owned by another AWS account (bucket names are global across all accounts).
 * Nothing was created for the project. Choose another name prefix ({@code ResourceNames.withPrefixes}) or use
 * the account that owns the bucket.
 */
public class BucketNameTakenException extends OneclickException {
    private static final long serialVersionUID = 1L;
    private final String bucket;

    public BucketNameTakenException(String bucket, String message, Throwable cause) {
        super(message, cause);
        this.bucket = bucket;
    }

    /** The bucket name that is taken. */
    public String bucket() {
        return bucket;
    }
}
