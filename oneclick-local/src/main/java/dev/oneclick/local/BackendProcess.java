package dev.oneclick.local;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The full stack's backend run as a local process, the same program the deployed image runs: {@code java -jar <jar>}
 * or {@code java -cp <classes>:<dependencies>/* <mainClass>} with this JVM's {@code java}. It gets the variables the
 * deployed task gets: {@code PORT} (a free port on 127.0.0.1 unless one is given), the project's own environment and,
 * with a database, {@code DB_*} (see {@link LocalPostgres#environment()}). {@link Builder#start()} returns once the
 * health path answers 2xx or 3xx, and fails (with the end of the process's log) when the process exits first or the
 * start timeout passes. Its output goes to the log file. {@link #restart()} stops and starts it again on the same
 * port; {@link #close()} stops it (SIGTERM, then a forced kill after 10 s). Thread-safe.
 */
public final class BackendProcess implements AutoCloseable {
    private final List<String> command;
    private final Map<String, String> environment;
    private final int port;
    private final String healthPath;
    private final Path logFile;
    private final Path workingDirectory;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private BackendProcess(Builder b, int port) {
        this.command = b.command();
        this.port = port;
        this.environment = new LinkedHashMap<>(b.environment);
        this.environment.put("PORT", Integer.toString(port));
        this.healthPath = b.healthPath;
        this.logFile = b.logFile.toAbsolutePath();
        this.workingDirectory = b.workingDirectory;
        this.startTimeout = b.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the backend listens on (its {@code PORT}). */
    public int port() {
        return port;
    }

    /** The backend's base URL, such as {@code http://127.0.0.1:41234/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** The file the process's output goes to. */
    public Path logFile() {
        return logFile;
    }

    /** The command line (without the environment). */
    public List<String> command() {
        return List.copyOf(command);
    }

    /** The variables set for the process on top of this JVM's environment (values included: no secrets here). */
    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** Whether the process runs. */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The process id, or -1 when stopped. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Stops the process and starts it again on the same port; returns once it is healthy. */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private void launch() {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        pb.environment().putAll(environment);
        try {
            Files.createDirectories(logFile.getParent());
            process = pb.start();
        } catch (IOException e) {
            throw new LocalAwsException("Cannot start the backend (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
        ChildProcesses.register(process);
        long deadline = System.nanoTime() + startTimeout.toNanos();
        URI health = URI.create("http://127.0.0.1:" + port + healthPath);
        while (true) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                ChildProcesses.unregister(process);
                process = null;
                throw new LocalAwsException("The backend exited with code " + code + " before " + health
                        + " answered (" + String.join(" ", command) + "). End of " + logFile + ":\n"
                        + tail(logFile, 30));
            }
            if (healthy(health)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new LocalAwsException("The backend did not answer " + health + " with 2xx or 3xx within "
                        + startTimeout.toSeconds() + " s (it must listen on the port in the PORT variable and "
                        + "answer the health path). End of " + logFile + ":\n" + tail(logFile, 30));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                stop();
                Thread.currentThread().interrupt();
                throw new LocalAwsException("Interrupted while waiting for the backend to start", e);
            }
        }
    }

    private boolean healthy(URI health) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() >= 200 && r.statusCode() < 400;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            ChildProcesses.unregister(p);
        }
    }

    /** The last {@code lines} lines of a log file (at most its last 64 KiB), or a note that there is none. */
    static String tail(Path file, int lines) {
        if (file == null || !Files.isRegularFile(file)) {
            return "(no log)";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            int size = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[size];
            f.seek(length - size);
            f.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Settings of a {@link BackendProcess}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private Path jar;
        private Path classesDir;
        private Path dependencies;
        private String mainClass;
        private int port;
        private String healthPath = "/api/health";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path logFile;
        private Path workingDirectory;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Runs {@code java -jar jar}. */
        public Builder jar(Path v) {
            jar = Objects.requireNonNull(v, "jar");
            classesDir = null;
            return this;
        }

        /** Runs {@code mainClass} from a classes folder, with the jars in {@code dependencies} (may be null). */
        public Builder classes(Path classesDir, Path dependencies, String mainClass) {
            this.classesDir = Objects.requireNonNull(classesDir, "classesDir");
            this.dependencies = dependencies;
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
            jar = null;
            return this;
        }

        /** The port (the process's {@code PORT}); 0 (the default) picks a free one on 127.0.0.1. */
        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, not " + v);
            }
            port = v;
            return this;
        }

        /** The path answered with 2xx or 3xx once the backend is up; default {@code /api/health}. */
        public Builder healthPath(String v) {
            if (v == null || !v.startsWith("/")) {
                throw new IllegalArgumentException("health path must start with '/', not '" + v + "'");
            }
            healthPath = v;
            return this;
        }

        /** Variables for the process (added to earlier ones; {@code PORT} is always the backend's port). */
        public Builder environment(Map<String, String> v) {
            environment.putAll(v);
            return this;
        }

        /** Where the process's output goes (appended); required. */
        public Builder logFile(Path v) {
            logFile = Objects.requireNonNull(v, "logFile");
            return this;
        }

        /** The process's working folder; default this JVM's. */
        public Builder workingDirectory(Path v) {
            workingDirectory = v;
            return this;
        }

        /** How long the backend may take to answer its health path; default 60 s. */
        public Builder startTimeout(Duration v) {
            if (v == null || v.isZero() || v.isNegative()) {
                throw new IllegalArgumentException("start timeout must be positive");
            }
            startTimeout = v;
            return this;
        }

        private List<String> command() {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> c = new ArrayList<>();
            c.add(java);
            if (jar != null) {
                c.add("-jar");
                c.add(jar.toAbsolutePath().toString());
            } else {
                String cp = classesDir.toAbsolutePath().toString();
                if (dependencies != null) {
                    cp += File.pathSeparator + dependencies.toAbsolutePath().resolve("*");
                }
                c.add("-cp");
                c.add(cp);
                c.add(mainClass);
            }
            return c;
        }

        /**
         * Starts the backend and waits for its health path.
         *
         * @throws LocalAwsException when the jar or classes folder is missing, the process exits before it is
         *     healthy, or it is not healthy within the start timeout (the message has the end of its log)
         */
        public BackendProcess start() {
            if (jar == null && classesDir == null) {
                throw new IllegalStateException("give a jar or a classes folder");
            }
            Objects.requireNonNull(logFile, "logFile");
            Path program = jar != null ? jar : classesDir;
            if (jar != null ? !Files.isRegularFile(jar) : !Files.isDirectory(classesDir)) {
                throw new LocalAwsException("The backend " + (jar != null ? "jar " : "classes folder ") + program
                        + " does not exist; build it first (e.g. mvn package).");
            }
            BackendProcess b = new BackendProcess(this, port != 0 ? port : freePort());
            synchronized (b) {
                b.launch();
            }
            return b;
        }

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
