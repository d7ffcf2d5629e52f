package dev.oneclick.local;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A backend run by {@link BackendProcessTest} as a child process: listens on PORT, echoes /api/echo requests. */
public final class EchoBackend {
    private EchoBackend() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getenv("FAIL_AT_START") != null) {
            System.out.println("refusing to start: " + System.getenv("FAIL_AT_START"));
            System.exit(3);
        }
        int port = Integer.parseInt(System.getenv("PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        long pid = ProcessHandle.current().pid();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String text;
            int status = 200;
            if (path.equals("/api/health")) {
                text = "ok";
            } else if (path.equals("/api/echo")) {
                text = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawQuery() + " "
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + " "
                        + exchange.getRequestHeaders().getFirst("X-Test") + " "
                        + exchange.getRequestHeaders().getFirst("Cookie") + " "
                        + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto") + " pid=" + pid + " greeting="
                        + System.getenv("GREETING");
                exchange.getResponseHeaders().add("Set-Cookie", "seen=1");
            } else {
                status = 404;
                text = "no route " + path;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        System.out.println("listening on " + port);
    }
}
