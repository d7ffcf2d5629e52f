package dev.oneclick.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/** Test support: a JDK HTTP server on 127.0.0.1 that records requests, and a runner for rendered scripts. */
final class ScriptHarness {
    private ScriptHarness() {
    }

    /** One received request. */
    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: status and JSON body. */
    record Answer(int status, String body) {
    }

    /** A server on 127.0.0.1 that records every request to /notify and answers from a queue (then 200). */
    static final class RecordingServer implements AutoCloseable {
        final List<Received> received = Collections.synchronizedList(new ArrayList<>());
        private final Deque<Answer> answers = new ArrayDeque<>();
        private final HttpServer server;
        private BiFunction<Map<String, List<String>>, byte[], Answer> handler;

        RecordingServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        headers, body));
                Answer answer;
                synchronized (this) {
                    answer = answers.isEmpty() ? null : answers.poll();
                }
                if (answer == null) {
                    answer = handler != null ? handler.apply(headers, body) : new Answer(200, "{\"status\":\"ok\"}");
                }
                byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            });
            server.start();
        }

        /** Answers the next requests with these, in order. */
        synchronized RecordingServer thenAnswer(Answer... next) {
            answers.addAll(List.of(next));
            return this;
        }

        /** Answers requests with a handler once the queue is empty. */
        RecordingServer handler(BiFunction<Map<String, List<String>>, byte[], Answer> handler) {
            this.handler = handler;
            return this;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    record Run(int exitCode, String stdout, String stderr) {
    }

    /** Runs a script with the given environment additions (and no proxy variables), waiting up to 60 s. */
    static Run run(Path script, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(script.getParent().toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy") || k.startsWith("NOTIFY_"));
        e.put("NOTIFY_RETRY_DELAY", "0");
        e.putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("script did not finish within 60 s");
        }
        return new Run(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The absolute path of a program on this machine's PATH (resolving pyenv-style shims for python3). */
    static Optional<Path> program(String name) {
        if (name.equals("python3")) {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
                String exe = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor() == 0 && !exe.isEmpty()) {
                    return Optional.of(Path.of(exe));
                }
            } catch (IOException | InterruptedException e) {
                return Optional.empty();
            }
        }
        for (String dir : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * A folder holding wrappers (exec) of exactly the named programs, to use as PATH, so a test decides which tools the
     * script finds. Fails the test if one of them is not installed.
     */
    static Path binWith(Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        Map<String, Path> found = new HashMap<>();
        for (String name : names) {
            Path real = program(name).orElseThrow(() -> new AssertionError(name + " is not installed here"));
            found.put(name, real);
        }
        for (Map.Entry<String, Path> e : found.entrySet()) {
            Path wrapper = dir.resolve(e.getKey());
            Files.writeString(wrapper, "#!/bin/sh\nexec '" + e.getValue() + "' \"$@\"\n");
            wrapper.toFile().setExecutable(true);
        }
        return dir;
    }
}
