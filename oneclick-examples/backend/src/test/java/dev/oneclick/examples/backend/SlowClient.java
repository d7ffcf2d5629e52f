package dev.oneclick.examples.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP client that announces a body of {@code Content-Length} bytes, sends a part of it and stops: the slow
 * or abusive sender the backend must bound. Reads whatever the server answers before it closes.
 */
final class SlowClient implements AutoCloseable {
    private final Socket socket = new Socket();

    /** What the server answered: the status (0 when none) and the body after the headers. */
    record Answer(int status, String body, long millis) {
    }

    SlowClient(int port, String path, int contentLength, String sentPart) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
        socket.getOutputStream().write((head + sentPart).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads the answer until the server closes or {@code timeoutMillis} pass without data. */
    Answer read(int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout(timeoutMillis);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; out.size() < 1_000_000 && (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (complete(out.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // no more data: what arrived is the answer
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String text = out.toString(StandardCharsets.UTF_8);
        int status = text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        int bodyAt = text.indexOf("\r\n\r\n");
        return new Answer(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4), millis);
    }

    /** Whether the text holds the headers and the whole body their Content-Length announces. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String headers = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int at = headers.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return false;
        }
        int eol = headers.indexOf("\r\n", at + 2);
        long length = Long.parseLong(headers.substring(at + 17, eol < 0 ? headers.length() : eol).trim());
        return text.length() - end - 4 >= length;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
