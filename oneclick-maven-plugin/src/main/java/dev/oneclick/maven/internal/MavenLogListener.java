package dev.oneclick.maven.internal;

import dev.oneclick.DeployListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.maven.plugin.logging.Log;

/**
 * Routes deploy events to the Maven log: steps and resources at info, each uploaded file at debug (the summary
 * counts them), deletes and invalidations at info. Thread-safe.
 */
public final class MavenLogListener implements DeployListener {
    private final Log log;
    private final AtomicInteger uploaded = new AtomicInteger();

    public MavenLogListener(Log log) {
        this.log = log;
    }

    /** Files seen uploaded so far. */
    public int uploaded() {
        return uploaded.get();
    }

    @Override
    public void progress(Progress event) {
        log.info(event.message());
    }

    @Override
    public void planned(Planned event) {
        Timings.mark(log, "planned");
        if (log.isDebugEnabled()) {
            log.debug("Planned: " + event.plan().uploads().size() + " uploads, " + event.plan().deletes().size()
                    + " deletes, " + event.plan().unchanged() + " unchanged");
        }
    }

    @Override
    public void resourceCreated(ResourceCreated event) {
        log.info((event.reused() ? "Using existing " : "Created ") + event.type() + " " + event.name());
    }

    @Override
    public void fileUploaded(FileUploaded event) {
        uploaded.incrementAndGet();
        if (log.isDebugEnabled()) {
            log.debug(event.headersOnly() ? "Headers updated: " + event.key()
                    : "Uploaded " + event.key() + " (" + event.bytes() + " bytes)");
        }
    }

    @Override
    public void fileDeleted(FileDeleted event) {
        log.info("Deleted " + event.key());
    }

    @Override
    public void invalidationSent(InvalidationSent event) {
        log.info("Invalidation " + event.invalidationId() + " sent to " + event.distributionId() + " for "
                + event.paths());
    }

    @Override
    public void finished(Finished event) {
        if (event.error() != null && log.isDebugEnabled()) {
            log.debug("Finished with error: " + event.error());
        }
    }
}
