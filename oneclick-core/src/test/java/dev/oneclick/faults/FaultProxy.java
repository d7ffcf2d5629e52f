package dev.oneclick.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of one local endpoint (moto or dynalite) that injects faults chosen per
 * request by a {@link Function} from the request to a {@link Fault}: a connection reset in the middle of the request
 * body (the request never reaches the server) or of the response body (the server did the work, the client never
 * learns it), a canned error answer (S3 500 InternalError / 503 SlowDown, CloudFront 400 Throttling and 429 TooManyRequestsException, DynamoDB 500 /
 * 400 ThrottlingException, CloudFront and DynamoDB 503) instead of forwarding, or added latency. Every request goes upstream on its own connection
 * with {@code Connection: close}, and every answer closes the client's connection, so a fault never leaks into the
 * next request. Counts what it injected, by kind, and what it received, by request ({@link Request#key()}: a retry
 * counts under the same key).
 */
final class FaultProxy implements AutoCloseable {
    /** What to do with one request. */
    enum Fault {
        NONE, RESET_REQUEST, RESET_RESPONSE, S3_500, S3_SLOW_DOWN, CLOUDFRONT_THROTTLING, CLOUDFRONT_TOO_MANY_REQUESTS, CLOUDFRONT_503, DYNAMO_500,
        DYNAMO_THROTTLING, DYNAMO_503, LATENCY
    }

    /** A request as the fault function sees it. */
    record Request(String method, String target, Map<String, String> headers, int bodyLength) {
        boolean cloudFront() {
            return target.startsWith("/2020-05-31/");
        }

        boolean dynamoDb() {
            return headers.containsKey("x-amz-target");
        }

        boolean s3() {
            return !cloudFront() && !dynamoDb();
        }

        boolean uploadPart() {
            return method.equals("PUT") && target.contains("partNumber=") && target.contains("uploadId=");
        }

        boolean mutating() {
            return !method.equals("GET") && !method.equals("HEAD");
        }

        /**
         * The same request sent again (a retry) has the same key: method and target, and for DynamoDB (whose requests
         * all go to "/") the operation and the body's length.
         */
        String key() {
            String op = headers.get("x-amz-target");
            return method + " " + target + (op == null ? "" : " " + op + " (" + bodyLength + " bytes)");
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Map<Fault, AtomicInteger> injected = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private volatile Function<Request, Fault> faults = r -> Fault.NONE;
    private volatile long latencyMillis = 100;
    private final AtomicInteger inFlight = new AtomicInteger();

    FaultProxy(URI upstream) throws IOException {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        pool.execute(this::accept);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    void faults(Function<Request, Fault> faults) {
        this.faults = faults;
    }

    void latency(long millis) {
        this.latencyMillis = millis;
    }

    /** Faults injected since the last {@link #clearCounts()}, by kind. */
    Map<Fault, Integer> injected() {
        Map<Fault, Integer> m = new LinkedHashMap<>();
        for (Fault f : Fault.values()) {
            AtomicInteger n = injected.get(f);
            if (n != null && n.get() > 0) {
                m.put(f, n.get());
            }
        }
        return m;
    }

    int injectedTotal() {
        return injected().values().stream().mapToInt(Integer::intValue).sum();
    }

    void clearCounts() {
        injected.clear();
        received.clear();
    }

    /** Requests received since the last {@link #clearCounts()}, by {@link Request#key()}. */
    Map<String, Integer> received() {
        Map<String, Integer> m = new LinkedHashMap<>();
        received.forEach((k, n) -> m.put(k, n.get()));
        return m;
    }

    /**
     * Requests being served right now (read, answered or forwarded, and not yet closed), this one included when the
     * fault function asks: a fault function can answer SlowDown above a capacity, as an overloaded store does.
     */
    int inFlight() {
        return inFlight.get();
    }

    int receivedTotal() {
        return received.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        boolean counted = false;
        try (client) {
            client.setSoTimeout(60_000);
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
            int length = chunked ? -1 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            Request request = new Request(requestLine[0], requestLine[1], headers, length);
            inFlight.incrementAndGet();
            counted = true;
            received.computeIfAbsent(request.key(), k -> new AtomicInteger()).incrementAndGet();
            Fault fault = faults.apply(request);
            if (fault == Fault.RESET_REQUEST && length <= 0) {
                fault = Fault.RESET_RESPONSE; // nothing to cut in the middle of: cut the answer instead
            }
            if (fault != Fault.NONE) {
                injected.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
            }
            if (fault == Fault.RESET_REQUEST) {
                if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                    client.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
                in.readNBytes(length / 2);
                reset(client);
                return;
            }
            OutputStream out = client.getOutputStream();
            if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body = chunked ? readChunked(in) : in.readNBytes(length);
            String canned = canned(fault);
            if (canned != null) {
                out.write(canned.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return;
            }
            if (fault == Fault.LATENCY) {
                Thread.sleep(latencyMillis);
            }
            byte[] response = forward(lines, body, chunked);
            if (fault == Fault.RESET_RESPONSE) {
                int headEnd = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                int bodyLength = response.length - headEnd - 4;
                out.write(response, 0, headEnd + 4 + Math.max(0, bodyLength / 2));
                out.flush();
                reset(client);
                return;
            }
            out.write(response);
            out.flush();
        } catch (IOException e) {
            // the client went away; nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
        }
    }

    /** Sends the request upstream on a new connection (Connection: close) and returns the whole answer, its
     * Connection header set to close. */
    private byte[] forward(String[] lines, byte[] body, boolean chunked) throws IOException {
        try (Socket up = new Socket()) {
            up.connect(upstream, 10_000);
            up.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                String lower = lines[i].toLowerCase(Locale.ROOT);
                if (lower.startsWith("connection:") || lower.startsWith("transfer-encoding:")
                        || lower.startsWith("expect:") || lower.startsWith("content-length:")) {
                    continue;
                }
                head.append(lines[i]).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = up.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            byte[] response = up.getInputStream().readAllBytes();
            return closeConnection(response);
        }
    }

    /** Rewrites the answer's Connection header to close (the proxy closes after each answer). */
    private static byte[] closeConnection(byte[] response) {
        int headEnd = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headEnd < 0) {
            return response;
        }
        String head = new String(response, 0, headEnd, StandardCharsets.ISO_8859_1);
        StringBuilder b = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                b.append(line).append("\r\n");
            }
        }
        b.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(response.length + 32);
        out.writeBytes(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(response, headEnd + 4, response.length - headEnd - 4);
        return out.toByteArray();
    }

    private static String canned(Fault fault) {
        return switch (fault) {
            case S3_500 -> answer(500, "Internal Server Error", "application/xml", "<?xml version=\"1.0\" "
                    + "encoding=\"UTF-8\"?><Error><Code>InternalError</Code><Message>injected</Message></Error>");
            case S3_SLOW_DOWN -> answer(503, "Slow Down", "application/xml", "<?xml version=\"1.0\" "
                    + "encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate."
                    + "</Message></Error>");
            case CLOUDFRONT_THROTTLING -> answer(400, "Bad Request", "text/xml", "<?xml version=\"1.0\"?>"
                    + "<ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Error>"
                    + "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                    + "<RequestId>injected</RequestId></ErrorResponse>");
            case CLOUDFRONT_TOO_MANY_REQUESTS -> answer(429, "Too Many Requests", "text/xml", "<?xml version=\"1.0\"?>"
                    + "<ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Error>"
                    + "<Type>Sender</Type><Code>TooManyRequestsException</Code><Message>Rate exceeded</Message>"
                    + "</Error><RequestId>injected</RequestId></ErrorResponse>");
            case CLOUDFRONT_503 -> answer(503, "Service Unavailable", "text/xml", "<?xml version=\"1.0\"?>"
                    + "<ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Error>"
                    + "<Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>injected</Message></Error>"
                    + "<RequestId>injected</RequestId></ErrorResponse>");
            case DYNAMO_503 -> answer(503, "Service Unavailable", "application/x-amz-json-1.0",
                    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ServiceUnavailable\",\"message\":\"injected\"}");
            case DYNAMO_500 -> answer(500, "Internal Server Error", "application/x-amz-json-1.0",
                    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"injected\"}");
            case DYNAMO_THROTTLING -> answer(400, "Bad Request", "application/x-amz-json-1.0",
                    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"Rate of "
                            + "requests exceeds the allowed throughput.\"}");
            default -> null;
        };
    }

    private static String answer(int status, String reason, String type, String body) {
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: " + length
                + "\r\nx-amz-request-id: injected\r\nConnection: close\r\n\r\n" + body;
    }

    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0); // close sends RST
        s.close();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
                    : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.substring(0, s.length() - 4);
            }
            if (b.size() > 64 * 1024) {
                throw new IOException("request head too long");
            }
        }
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int chunks = 0; chunks < 1_000_000; chunks++) {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
        throw new IOException("too many chunks");
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > 8192) {
                throw new IOException("line too long");
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
