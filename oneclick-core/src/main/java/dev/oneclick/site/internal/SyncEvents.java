package dev.oneclick.site.internal;

import dev.oneclick.DeployListener;

/**
 * The events the sync reports to a {@link DeployListener}: progress lines, file-uploaded and file-deleted. A
 * listener that throws does not stop the deploy (its exception is dropped). Thread-safe.
 */
final class SyncEvents {
    private final DeployListener listener;
    private final String guid;

    /**
     * @param listener where the events go; null for none
     * @param guid the project GUID, put into the events
     */
    SyncEvents(DeployListener listener, String guid) {
        this.listener = listener == null ? DeployListener.NONE : listener;
        this.guid = guid;
    }

    void progress(String message) {
        progress(listener, message);
    }

    void uploaded(String key, long size, boolean headersOnly) {
        quietly(() -> listener.fileUploaded(new DeployListener.FileUploaded(guid, key, size, headersOnly)));
    }

    void deleted(String key) {
        quietly(() -> listener.fileDeleted(new DeployListener.FileDeleted(guid, key)));
    }

    /** A progress line to {@code listener} (not null). */
    static void progress(DeployListener listener, String message) {
        quietly(() -> listener.progress(new DeployListener.Progress(null, message)));
    }

    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // a listener that throws does not stop the deploy
        }
    }
}
