package dev.oneclick.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Serves a site stored in an S3 bucket on a local URL the way oneclick's CloudFront distribution serves it:
 * {@code /} is the index document ({@code index.html} by default, the default root object), every other path is the
 * object of the same key, and a path without an object is answered according to the {@link Fallback}:
 * <ul>
 *   <li>{@link Fallback#ROUTES} (the default): only a path that looks like a client-side route (no file extension in
 *       its last segment, such as {@code /dashboard/settings} or {@code /docs/}) gets the index document with status
 *       200 (CloudFront: a viewer-request function rewriting such paths); a missing file such as
 *       {@code /assets/nope.js} gets 404, so the browser reports a missing file instead of parsing HTML;</li>
 *   <li>{@link Fallback#ALL}: every missing path gets the index document with 200 (CloudFront's custom error
 *       responses for 403 and 404, the behaviour before routes were told apart);</li>
 *   <li>{@link Fallback#NONE}: every missing path gets 404.</li>
 * </ul>
 * Each response carries the Content-Type and Cache-Control stored with the object. There is no directory listing,
 * and a path that tries to leave the bucket ({@code ..}, encoded slashes or backslashes, control characters) is
 * refused with 400. Without an index document ({@code indexDocument(null)}, a tree with no entry page) {@code /}
 * and every missing path get 404. oneclick's own folder {@code .oneclick/} (the deploy manifest) is never served: 404,
 * without fallback.
 *
 * <p>The server listens on 127.0.0.1 only (JDK {@code HttpServer}), answers GET and HEAD, and reads every object
 * through the given {@link S3Client} on each request, so a redeploy is visible at once. Thread-safe; close it to
 * stop serving. The S3 client stays open (the caller owns it).
 *
 * <p>With an {@link ApiProxy} ({@link Builder#apiProxy}, the full stack) every request under {@code /api/} goes to the
 * backend instead, whatever its method, as the deployed distribution's second origin answers it. A full stack
 * without a frontend has no bucket: then every other path is 404.
 */
public final class LocalSitePreview implements AutoCloseable {
    /** The default index document. */
    public static final String INDEX = "index.html";
    /**
     * oneclick's own folder in the bucket (the deploy manifest, which lists every key and hash): never served, as
     * the bucket policy keeps it from CloudFront.
     */
    static final String RESERVED_PREFIX = ".oneclick/";

    /** What a path without an object is answered with. */
    public enum Fallback {
        /** The index document for route-like paths (no file extension in the last segment), 404 for the rest. */
        ROUTES,
        /** The index document for every missing path (CloudFront's 403/404 custom error responses). */
        ALL,
        /** 404 for every missing path. */
        NONE
    }
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final Fallback fallback;
    private final String indexDocument;
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI url;
    private final ApiProxy api;

    private LocalSitePreview(Builder b) throws IOException {
        this.api = b.apiProxy;
        this.s3 = b.s3Client;
        this.bucket = api == null ? Objects.requireNonNull(b.bucket, "bucket") : b.bucket;
        if (bucket != null) {
            Objects.requireNonNull(s3, "s3Client");
        }
        this.indexDocument = b.indexDocument;
        this.fallback = b.indexDocument == null ? Fallback.NONE : b.fallback;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = HttpServer.create(new InetSocketAddress(loopback, b.port), 64);
        this.executor = Executors.newFixedThreadPool(b.threads, new DaemonThreads());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The root URL, such as {@code http://127.0.0.1:49152/}. */
    public URI url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The bucket served, or null for a full stack without a frontend. */
    public String bucket() {
        return bucket;
    }

    /** The proxy answering {@code /api/*}, or null for a static site. */
    public ApiProxy apiProxy() {
        return api;
    }

    /** Whether some missing paths get the index document ({@link #fallback()} is not NONE). */
    public boolean spaFallback() {
        return fallback != Fallback.NONE;
    }

    /** What a missing path is answered with (NONE when there is no index document). */
    public Fallback fallback() {
        return fallback;
    }

    /** The key served for {@code /} and the SPA fallback, or null when the site has no entry page. */
    public String indexDocument() {
        return indexDocument;
    }

    /**
     * Whether a request path looks like a client-side route rather than a file: its last segment (after the last
     * {@code /}) has no {@code .}, e.g. {@code /}, {@code /about}, {@code /docs/}, but not {@code /assets/app.js}
     * or {@code /favicon.ico}.
     */
    public static boolean isRouteLike(String path) {
        if (path == null) {
            return false;
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.indexOf('.') < 0;
    }

    /** Stops serving at once; requests in progress are cut. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (api != null && ApiProxy.matches(exchange.getRequestURI().getPath())) {
                api.forward(exchange);
                return;
            }
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendText(exchange, 405, "Method Not Allowed", head);
                return;
            }
            String key = keyOf(exchange.getRequestURI(), indexDocument);
            if (key == null) {
                sendText(exchange, 400, "Bad Request", head);
                return;
            }
            if (key.startsWith(RESERVED_PREFIX)) {
                sendText(exchange, 404, "Not Found", head);
                return;
            }
            if (serveObject(exchange, key, head)) {
                return;
            }
            boolean fallBack = switch (fallback) {
                case ALL -> true;
                case ROUTES -> isRouteLike(exchange.getRequestURI().getPath());
                case NONE -> false;
            };
            if (fallBack && !key.equals(indexDocument) && serveObject(exchange, indexDocument, head)) {
                return;
            }
            sendText(exchange, 404, "Not Found", head);
        } catch (RuntimeException e) {
            // The S3 endpoint failed: answer like a CDN whose origin failed, and keep serving.
            try {
                sendText(exchange, 502, "Bad Gateway", false);
            } catch (IOException | RuntimeException ignored) {
                // the response was already started; the client sees a cut connection
            }
        }
    }

    /**
     * The object key for a request path, or null if the path is refused. {@code /} maps to {@code index.html};
     * other paths map to their own key, percent-decoded, without the leading slash.
     */
    static String keyOf(URI requestUri) {
        return keyOf(requestUri, INDEX);
    }

    /** As {@link #keyOf(URI)}, with {@code /} mapped to {@code index} ({@code ""}, never served, when null). */
    static String keyOf(URI requestUri, String index) {
        String raw = requestUri.getRawPath();
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return null;
        }
        String lowerRaw = raw.toLowerCase(Locale.ROOT);
        if (lowerRaw.contains("%2f") || lowerRaw.contains("%5c") || lowerRaw.contains("%00")) {
            return null;
        }
        String path;
        try {
            path = requestUri.getPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path == null) {
            return null;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return null;
            }
        }
        if (path.equals("/")) {
            return index == null ? "" : index;
        }
        String key = path.substring(1);
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return null;
            }
        }
        if (key.startsWith("/")) {
            return null;
        }
        return key;
    }

    /** Sends the object; false when the bucket has no such key (or the key is a "folder"). */
    private boolean serveObject(HttpExchange exchange, String key, boolean head) throws IOException {
        if (bucket == null || key.isEmpty() || key.endsWith("/")) {
            return false;
        }
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(r -> r.bucket(bucket).key(key), ResponseTransformer.toInputStream());
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                return false;
            }
            throw e;
        }
        try (in) {
            GetObjectResponse object = in.response();
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", object.contentType() == null ? "application/octet-stream"
                    : object.contentType());
            if (object.cacheControl() != null) {
                headers.set("Cache-Control", object.cacheControl());
            }
            if (object.contentEncoding() != null) {
                headers.set("Content-Encoding", object.contentEncoding());
            }
            if (object.eTag() != null) {
                headers.set("ETag", object.eTag());
            }
            if (object.lastModified() != null) {
                headers.set("Last-Modified", HTTP_DATE.format(object.lastModified()));
            }
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            if (ifNoneMatch != null && object.eTag() != null && ifNoneMatch.equals(object.eTag())) {
                exchange.sendResponseHeaders(304, -1);
                return true;
            }
            long length = object.contentLength() == null ? 0 : object.contentLength();
            if (head) {
                headers.set("Content-Length", Long.toString(length));
                exchange.sendResponseHeaders(200, -1);
                return true;
            }
            exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
            if (length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sendText(HttpExchange exchange, int status, String text, boolean head) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Builds and starts a {@link LocalSitePreview}. Not thread-safe. */
    public static final class Builder {
        private S3Client s3Client;
        private String bucket;
        private int port;
        private Fallback fallback = Fallback.ROUTES;
        private String indexDocument = INDEX;
        private int threads = 8;
        private ApiProxy apiProxy;

        private Builder() {
        }

        /** The client to read objects with; it stays open when the preview closes. */
        public Builder s3Client(S3Client v) {
            s3Client = v;
            return this;
        }

        public Builder bucket(String v) {
            bucket = v;
            return this;
        }

        /** Sends {@code /api/*} to a backend (the full stack); null (the default) for none. */
        public Builder apiProxy(ApiProxy v) {
            apiProxy = v;
            return this;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, not " + v);
            }
            port = v;
            return this;
        }

        /**
         * Whether a path without an object may get the index document with 200: true (the default) is
         * {@link Fallback#ROUTES}, false is {@link Fallback#NONE}.
         */
        public Builder spaFallback(boolean v) {
            fallback = v ? Fallback.ROUTES : Fallback.NONE;
            return this;
        }

        /** What a path without an object is answered with; default {@link Fallback#ROUTES}. */
        public Builder fallback(Fallback v) {
            fallback = Objects.requireNonNull(v, "fallback");
            return this;
        }

        /**
         * The key served for {@code /} and as the SPA fallback (default {@code index.html}); null for a tree without
         * an entry page ({@code /} and missing paths then get 404).
         */
        public Builder indexDocument(String v) {
            if (v != null && (v.isBlank() || v.startsWith("/") || v.endsWith("/") || v.contains("\\"))) {
                throw new IllegalArgumentException("indexDocument must be a key such as index.html, not '" + v + "'");
            }
            indexDocument = v;
            return this;
        }

        /** Requests served at once; default 8. */
        public Builder threads(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            threads = v;
            return this;
        }

        /** Starts serving. */
        public LocalSitePreview start() {
            try {
                return new LocalSitePreview(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
        }
    }

    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "oneclick-preview-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
