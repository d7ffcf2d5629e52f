package dev.oneclick.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Forwards the local preview's {@code /api/*} requests to the backend, as the deployed distribution's {@code /api/*}
 * behaviour forwards them to the load balancer: every method, the path and query string unchanged, the viewer's
 * headers and cookies (hop-by-hop headers dropped, {@code X-Forwarded-For}, {@code -Host} and {@code -Proto} added),
 * the body, and nothing cached. A backend that does not answer gets {@code 502 Bad Gateway}, one slower than the
 * timeout {@code 504 Gateway Timeout} (CloudFront's answers). Request bodies are limited to {@value #MAX_BODY} bytes
 * ({@code 413}). Thread-safe.
 */
public final class ApiProxy {
    /** The path prefix forwarded to the backend (the distribution's {@code /api/*} behaviour). */
    public static final String PREFIX = "/api/";
    /** The largest request body forwarded. */
    public static final int MAX_BODY = 10 * 1024 * 1024;

    /** Headers that describe one connection, or that the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "http2-settings");

    private final URI backend;
    private final Duration timeout;
    private final HttpClient http;

    /** Forwards to {@code backend} (such as {@code http://127.0.0.1:41234/}), waiting up to {@code timeout}. */
    public ApiProxy(URI backend, Duration timeout) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The backend's base URL. */
    public URI backend() {
        return backend;
    }

    /** Whether {@code path} (a request's decoded path) goes to the backend: it starts with {@value #PREFIX}. */
    public static boolean matches(String path) {
        return path != null && path.startsWith(PREFIX);
    }

    /** Forwards the exchange to the backend and sends its answer back; never throws for a backend failure. */
    public void forward(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            send(exchange, 413, "Payload Too Large");
            return;
        }
        URI target = backend.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !name.startsWith("x-forwarded-")) {
                h.getValue().forEach(v -> request.header(h.getKey(), v));
            }
        }
        request.header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host != null) {
            request.header("X-Forwarded-Host", host);
        }
        request.header("X-Forwarded-Proto", "http");
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            send(exchange, 504, "Gateway Timeout: the backend at " + backend + " did not answer within "
                    + timeout.toSeconds() + " s");
            return;
        } catch (IOException e) {
            send(exchange, 502, "Bad Gateway: the backend at " + backend + " did not answer (" + e + ")");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 502, "Bad Gateway: interrupted");
            return;
        }
        for (Map.Entry<String, List<String>> h : response.headers().map().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(h.getKey(), h.getValue());
            }
        }
        int status = response.statusCode();
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean noBody = "HEAD".equals(method) || status == 204 || status == 304 || length == 0;
        try (InputStream in = response.body()) {
            // HttpServer: -1 means no body, 0 means chunked
            exchange.sendResponseHeaders(status, noBody ? -1 : Math.max(length, 0));
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
