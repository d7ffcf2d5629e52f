package dev.oneclick;

/**
 * Progress of a plan, deploy or destroy, in the style of the AWS SDK's {@code TransferListener}: every method
 * has a no-op default, every event is immutable. Methods may be called from several threads at once and must
 * return quickly: file events come from the S3 client's I/O threads, so a listener that blocks there (on I/O, a lock
 * held elsewhere, or another deploy) holds up the transfers. A listener that throws does not stop the deploy (the
 * error is ignored).
 */
public interface DeployListener {
    DeployListener NONE = new DeployListener() { };

    /** A free-text progress line, such as a step starting or a line of build output. */
    default void progress(Progress event) {
    }

    default void planned(Planned event) {
    }

    default void resourceCreated(ResourceCreated event) {
    }

    default void fileUploaded(FileUploaded event) {
    }

    default void fileDeleted(FileDeleted event) {
    }

    default void invalidationSent(InvalidationSent event) {
    }

    default void finished(Finished event) {
    }

    record Progress(String guid, String message) {
    }

    record Planned(Plan plan) {
    }

    /**
     * A resource now exists. {@code reused} is true when it existed before this run.
     */
    record ResourceCreated(String guid, String type, String name, boolean reused) {
    }

    /** A file was sent; {@code bytes} is 0 when only its headers were re-applied. */
    record FileUploaded(String guid, String key, long bytes, boolean headersOnly) {
    }

    record FileDeleted(String guid, String key) {
    }

    record InvalidationSent(String guid, String distributionId, String invalidationId, java.util.List<String> paths) {
    }

    /**
     * The deploy or destroy ended; {@code error} is null on success. Sent once for every deploy whose input was
     * valid (also when it failed before creating anything), and for every destroy that started removing.
     */
    record Finished(String guid, Deployment deployment, Throwable error) {
    }
}
