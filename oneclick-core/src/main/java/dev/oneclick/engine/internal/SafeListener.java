package dev.oneclick.engine.internal;

import dev.oneclick.DeployListener;

/** Passes events on to a user's listener and ignores what it throws, as {@link DeployListener} promises. */
public final class SafeListener implements DeployListener {
    private final DeployListener delegate;

    public SafeListener(DeployListener delegate) {
        this.delegate = delegate == null ? DeployListener.NONE : delegate;
    }

    private static void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // a listener must not break a deploy
        }
    }

    @Override
    public void progress(Progress event) {
        guard(() -> delegate.progress(event));
    }

    @Override
    public void planned(Planned event) {
        guard(() -> delegate.planned(event));
    }

    @Override
    public void resourceCreated(ResourceCreated event) {
        guard(() -> delegate.resourceCreated(event));
    }

    @Override
    public void fileUploaded(FileUploaded event) {
        guard(() -> delegate.fileUploaded(event));
    }

    @Override
    public void fileDeleted(FileDeleted event) {
        guard(() -> delegate.fileDeleted(event));
    }

    @Override
    public void invalidationSent(InvalidationSent event) {
        guard(() -> delegate.invalidationSent(event));
    }

    @Override
    public void finished(Finished event) {
        guard(() -> delegate.finished(event));
    }
}
