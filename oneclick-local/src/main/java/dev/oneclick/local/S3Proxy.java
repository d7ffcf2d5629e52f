package dev.oneclick.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;
import org.jclouds.logging.slf4j.config.SLF4JLoggingModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * s3proxy, an S3 API server, running in this JVM on a free 127.0.0.1 port with authorization off.
 *
 * <p>{@link #start()} keeps objects in memory (jclouds {@code transient} store); {@link #start(Path)} keeps them in a
 * folder (jclouds {@code filesystem} store), for data sets too big for the heap. It serves objects, listing with
 * pagination, multipart uploads and copies; it does not implement bucket policies, Block Public Access, bucket
 * tagging, ownership controls or website configuration.
 *
 * <p>S3 clients must use path-style addressing and compute checksums only when required
 * ({@code requestChecksumCalculation(WHEN_REQUIRED)}, {@code responseChecksumValidation(WHEN_REQUIRED)}): s3proxy
 * cannot read the SDK's default {@code aws-chunked} uploads with checksum trailers. {@link LocalAws#s3Client()} is
 * configured that way. s3proxy runs with unknown headers ignored: operations where S3 requires a checksum (e.g.
 * {@code DeleteObjects}) always carry an {@code x-amz-checksum-crc32} header, which s3proxy would otherwise refuse
 * with 501 Not Implemented.
 */
public final class S3Proxy implements AutoCloseable {

    /** The s3proxy version this module depends on. */
    public static final String VERSION = "2.6.0";

    private static final Logger LOG = LoggerFactory.getLogger(S3Proxy.class);

    private final org.gaul.s3proxy.S3Proxy server;
    private final BlobStoreContext context;
    private final URI endpoint;
    private final String store;
    private boolean closed;

    private S3Proxy(org.gaul.s3proxy.S3Proxy server, BlobStoreContext context, String store) {
        this.server = server;
        this.context = context;
        this.store = store;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getPort());
    }

    /**
     * Starts s3proxy with an in-memory store.
     *
     * @throws LocalAwsException when it cannot start
     */
    public static S3Proxy start() {
        return start(ContextBuilder.newBuilder("transient"), "in memory");
    }

    /**
     * Starts s3proxy storing buckets as sub-folders of {@code baseDirectory} (created when missing).
     *
     * @throws LocalAwsException when the folder cannot be created or s3proxy cannot start
     */
    public static S3Proxy start(Path baseDirectory) {
        Path base = baseDirectory.toAbsolutePath();
        try {
            Files.createDirectories(base);
        } catch (java.io.IOException e) {
            throw new LocalAwsException("cannot create the s3proxy folder " + base + ": " + e, e);
        }
        Properties properties = new Properties();
        properties.setProperty(FilesystemConstants.PROPERTY_BASEDIR, base.toString());
        return start(ContextBuilder.newBuilder("filesystem").overrides(properties), "in " + base);
    }

    private static S3Proxy start(ContextBuilder contextBuilder, String store) {
        // jclouds logs through java.util.logging unless told otherwise; route it to slf4j like the rest.
        BlobStoreContext context = contextBuilder.modules(List.of(new SLF4JLoggingModule()))
                .buildView(BlobStoreContext.class);
        org.gaul.s3proxy.S3Proxy server = org.gaul.s3proxy.S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .ignoreUnknownHeaders(true)
                .build();
        try {
            server.start();
        } catch (Exception e) {
            context.close();
            throw new LocalAwsException("cannot start s3proxy " + VERSION + " on 127.0.0.1: " + e, e);
        }
        S3Proxy proxy = new S3Proxy(server, context, store);
        LOG.debug("s3proxy {} answers at {} (objects {})", VERSION, proxy.endpoint, store);
        return proxy;
    }

    /** The endpoint to pass to the SDK's {@code endpointOverride}, e.g. {@code http://127.0.0.1:40124}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Stops the server and drops an in-memory store's objects. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping s3proxy at {} failed", endpoint, e);
        } finally {
            context.close();
        }
    }

    @Override
    public String toString() {
        return "s3proxy " + VERSION + " at " + endpoint + " (objects " + store + ")";
    }
}
