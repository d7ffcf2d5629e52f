package dev.oneclick.examples.fullstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The example's backend: a JDK {@code HttpServer} on {@code PORT} (default 8080) with
 * <ul>
 *   <li>{@code GET /api/health}: {@code {"status":"ok","storage":"postgres"}} (the load balancer's health check);</li>
 *   <li>{@code GET /api/notes}: the notes, oldest first, as JSON;</li>
 *   <li>{@code POST /api/notes} with the note as a {@code text/plain} body (1 to 500 characters): 201 and the note;</li>
 *   <li>{@code GET /api/hello}: the {@code GREETING} variable.</li>
 * </ul>
 * Notes live in PostgreSQL when oneclick hands over a database ({@code DB_HOST}, {@code DB_PORT}, {@code DB_NAME},
 * {@code DB_USERNAME}, {@code DB_PASSWORD}), else in memory.
 */
public final class App {
    private static final int MAX_NOTE = 500;

    private final Notes notes;
    private final String greeting;

    App(Notes notes, String greeting) {
        this.notes = notes;
        this.greeting = greeting;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        App app = new App(Notes.fromEnvironment(env), env.getOrDefault("GREETING", "Hello"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", app::handle);
        server.start();
        System.out.println("fullstack example listening on port " + port + ", notes in " + app.notes.storage());
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            switch (path) {
                case "/api/health" -> send(ex, 200, "{\"status\":\"ok\",\"storage\":\"" + notes.storage() + "\"}");
                case "/api/hello" -> send(ex, 200, "{\"greeting\":" + json(greeting) + "}");
                case "/api/notes" -> {
                    if (method.equals("GET")) {
                        send(ex, 200, notes.list().stream().map(App::json).collect(Collectors.joining(",", "[", "]")));
                    } else if (method.equals("POST")) {
                        String text = new String(ex.getRequestBody().readNBytes(MAX_NOTE * 4 + 1),
                                StandardCharsets.UTF_8).strip();
                        if (text.isEmpty() || text.length() > MAX_NOTE) {
                            send(ex, 400, "{\"error\":\"a note is 1 to " + MAX_NOTE + " characters\"}");
                        } else {
                            send(ex, 201, json(notes.add(text)));
                        }
                    } else {
                        ex.getResponseHeaders().set("Allow", "GET, POST");
                        send(ex, 405, "{\"error\":\"use GET or POST\"}");
                    }
                }
                default -> send(ex, 404, "{\"error\":\"no such endpoint\"}");
            }
        } catch (SQLException e) {
            System.err.println("database error: " + e);
            send(ex, 503, "{\"error\":\"the database is not available\"}");
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static String json(Notes.Note n) {
        return "{\"id\":" + n.id() + ",\"text\":" + json(n.text()) + ",\"createdAt\":\"" + n.createdAt() + "\"}";
    }

    /** A JSON string literal. */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
