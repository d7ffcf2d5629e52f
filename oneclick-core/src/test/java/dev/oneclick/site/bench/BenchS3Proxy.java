package dev.oneclick.site.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;

/**
 * The benchmark's S3 endpoint, run as its own process: s3proxy (authorization none) over a jclouds in-memory
 * ({@code transient}) or filesystem store, on 127.0.0.1. It counts the store operations the S3 requests turn into, so that requests sent by any
 * client (this project's sync or the AWS CLI) are counted the same way, on the server side.
 *
 * <p>Usage: {@code BenchS3Proxy <transient|store-dir> <port>}; prints {@code READY <port>}, then answers the stdin commands
 * {@code COUNTS} (one line {@code COUNTS op=n ...}) and {@code RESET}; stops when stdin closes.
 */
public final class BenchS3Proxy {
    private BenchS3Proxy() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        BlobStoreContext ctx;
        if (args[0].equals("transient")) {
            ctx = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        } else {
            Properties props = new Properties();
            props.setProperty("jclouds.filesystem.basedir", args[0]);
            ctx = ContextBuilder.newBuilder("filesystem").overrides(props).build(BlobStoreContext.class);
        }
        Counting store = new Counting(ctx.getBlobStore());
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + args[1]))
                .awsAuthentication(AuthenticationType.NONE, null, null).jettyMaxThreads(96).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(20);
        }
        System.out.println("READY " + proxy.getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            switch (line.trim()) {
                case "COUNTS" -> {
                    StringBuilder sb = new StringBuilder("COUNTS");
                    new TreeMap<>(store.counts).forEach((k, v) -> sb.append(' ').append(k).append('=').append(v.get()));
                    System.out.println(sb);
                    System.out.flush();
                }
                case "RESET" -> {
                    store.counts.clear();
                    System.out.println("OK");
                    System.out.flush();
                }
                default -> {
                    System.out.println("ERROR unknown command");
                    System.out.flush();
                }
            }
        }
        proxy.stop();
        ctx.close();
        System.exit(0);
    }

    /** Counts the operations S3 requests become: one per PUT, part, copy, GET, HEAD, list page, delete. */
    static final class Counting extends ForwardingBlobStore {
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        Counting(BlobStore delegate) {
            super(delegate);
        }

        private void count(String op) {
            counts.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public String putBlob(String container, Blob blob) {
            count("put");
            return super.putBlob(container, blob);
        }

        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
            count("put");
            return super.putBlob(container, blob, options);
        }

        @Override
        public String copyBlob(String fromContainer, String fromName, String toContainer, String toName,
                CopyOptions options) {
            count("copy");
            return super.copyBlob(fromContainer, fromName, toContainer, toName, options);
        }

        @Override
        public MultipartUpload initiateMultipartUpload(String container, BlobMetadata blobMetadata, PutOptions options) {
            count("mpu_create");
            return super.initiateMultipartUpload(container, blobMetadata, options);
        }

        @Override
        public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
            count("mpu_part");
            return super.uploadMultipartPart(mpu, partNumber, payload);
        }

        @Override
        public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
            count("mpu_complete");
            return super.completeMultipartUpload(mpu, parts);
        }

        @Override
        public BlobMetadata blobMetadata(String container, String name) {
            count("head");
            return super.blobMetadata(container, name);
        }

        @Override
        public Blob getBlob(String container, String name) {
            count("get");
            return super.getBlob(container, name);
        }

        @Override
        public Blob getBlob(String container, String name, GetOptions options) {
            count("get");
            return super.getBlob(container, name, options);
        }

        @Override
        public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
            count("list");
            return super.list(container, options);
        }

        @Override
        public void removeBlob(String container, String name) {
            count("delete");
            super.removeBlob(container, name);
        }

        @Override
        public void removeBlobs(String container, Iterable<String> names) {
            count("delete_batch");
            super.removeBlobs(container, names);
        }
    }
}
