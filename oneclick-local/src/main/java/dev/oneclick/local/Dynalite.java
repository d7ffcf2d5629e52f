package dev.oneclick.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite, a DynamoDB emulator, running as a {@code node} child process on a free 127.0.0.1 port with its
 * in-memory store (nothing is written to disk, no native module is loaded for storage).
 *
 * <p>{@link #start()} locates or installs dynalite {@value #VERSION} (see below), starts it and returns once a real
 * {@code ListTables} call succeeds. {@link #close()} kills the process; a JVM shutdown hook kills it too if the JVM
 * exits first; and node watches its standard input, a pipe from this JVM, and exits when it closes, so not even a
 * killed JVM ({@code kill -9}, a fork timeout) leaves a node process behind.
 *
 * <p>Where dynalite comes from: the folder named by the system property {@code oneclick.dynalite.dir} or the
 * environment variable {@code ONECLICK_DYNALITE_DIR} (a folder holding {@code node_modules/dynalite}); otherwise
 * {@code ~/.oneclick/dynalite-4.0.0/} (base folder overridable with {@code oneclick.home} / {@code ONECLICK_HOME}),
 * filled on first use by {@code npm ci} from the {@code package.json} and {@code package-lock.json} packaged in this
 * jar. Needs Node.js {@value #MIN_NODE_MAJOR}+ and npm on the {@code PATH}, else {@link NodeNotFoundException}.
 *
 * <p>Tables, indexes and deletions take effect at once (dynalite runs with {@code --createTableMs 0
 * --deleteTableMs 0 --updateTableMs 0}), as on LocalStack: the SDK's table waiters, whose DynamoDB poll interval is
 * 20 s, then return on their first call instead of stalling every test that creates a table.
 */
public final class Dynalite implements AutoCloseable {

    /** The dynalite version, pinned in the packaged {@code package-lock.json}. */
    public static final String VERSION = "4.0.0";
    /** The oldest Node.js major version dynalite {@value #VERSION} supports ({@code engines} in its package). */
    public static final int MIN_NODE_MAJOR = 20;

    private static final Logger LOG = LoggerFactory.getLogger(Dynalite.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;
    /** One JVM shutdown hook for every dynalite of this JVM. */
    private static final ShutdownHookProcessDestroyer SHUTDOWN_HOOK = new ShutdownHookProcessDestroyer();
    private static Path parentWatch;
    /** node executables whose version passed the check in this JVM. */
    private static final Set<Path> CHECKED_NODES = ConcurrentHashMap.newKeySet();

    private final URI endpoint;
    private final ExecuteWatchdog watchdog;
    private final DefaultExecuteResultHandler result;
    private final OutputTail output;
    private final ProcessCapture capture;
    private boolean closed;

    private Dynalite(URI endpoint, ExecuteWatchdog watchdog, DefaultExecuteResultHandler result, OutputTail output,
            ProcessCapture capture) {
        this.endpoint = endpoint;
        this.watchdog = watchdog;
        this.result = result;
        this.output = output;
        this.capture = capture;
    }

    /**
     * Installs dynalite if needed, starts it on a free 127.0.0.1 port and waits until it answers.
     *
     * @throws NodeNotFoundException when node or npm is not on the PATH
     * @throws LocalAwsException when installation or start fails; the message holds the process output
     */
    public static Dynalite start() {
        Path node = Executables.require("node", Executables.systemPath());
        checkNodeVersion(node);
        Path folder = DynaliteInstaller.locate();
        PortTakenException portTaken = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return launch(node, folder, FreePort.find());
            } catch (PortTakenException e) {
                portTaken = e;
            }
        }
        throw new LocalAwsException("dynalite could not bind a free port in " + START_ATTEMPTS + " attempts",
                portTaken);
    }

    /** The endpoint to pass to the SDK's {@code endpointOverride}, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** True until {@link #close()} ran or the node process ended by itself. */
    public synchronized boolean isRunning() {
        return !closed && !result.hasResult();
    }

    /** Kills the node process and waits for it to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.destroyProcess();
        try {
            result.waitFor(STOP_TIMEOUT);
            Process process = capture.process;
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("dynalite at {} stopped", endpoint);
    }

    /** The node process (for tests). */
    Process process() {
        return capture.process;
    }

    @Override
    public String toString() {
        return "dynalite " + VERSION + " at " + endpoint;
    }

    private static Dynalite launch(Path node, Path folder, int port) {
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        CommandLine command = new CommandLine(node.toFile())
                .addArgument("--require", false).addArgument(parentWatch().toString(), false)
                .addArgument(DynaliteInstaller.cli(folder).toString(), false)
                .addArgument("--host", false).addArgument("127.0.0.1", false)
                .addArgument("--port", false).addArgument(Integer.toString(port), false)
                .addArgument("--createTableMs", false).addArgument("0", false)
                .addArgument("--deleteTableMs", false).addArgument("0", false)
                .addArgument("--updateTableMs", false).addArgument("0", false);
        OutputTail output = new OutputTail(16 * 1024);
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(ExecuteWatchdog.INFINITE_TIMEOUT_DURATION)
                .get();
        ProcessCapture capture = new ProcessCapture();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(folder.toFile())
                .setExecuteStreamHandler(new StdinKeepingStreamHandler(output))
                .get();
        executor.setWatchdog(watchdog);
        executor.setProcessDestroyer(capture);
        DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
        try {
            executor.execute(command, result);
        } catch (IOException e) {
            throw new LocalAwsException("cannot start dynalite: " + Commands.describe(command) + ": " + e, e);
        }
        Dynalite dynalite = new Dynalite(endpoint, watchdog, result, output, capture);
        try {
            dynalite.awaitReady(command);
        } catch (RuntimeException e) {
            dynalite.close();
            throw e;
        }
        LOG.debug("dynalite {} answers at {}", VERSION, endpoint);
        return dynalite;
    }

    /** Polls with a real {@code ListTables} call until it succeeds, the process dies, or the timeout passes. */
    private void awaitReady(CommandLine command) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SdkException lastError = null;
        try (DynamoDbClient probe = Clients.probe(endpoint)) {
            while (true) {
                if (result.hasResult()) {
                    if (output.contains("EADDRINUSE")) {
                        throw new PortTakenException(output.text());
                    }
                    throw new LocalAwsException("dynalite exited with code " + result.getExitValue()
                            + " before answering. Command: " + Commands.describe(command) + "\nOutput:\n"
                            + output.text());
                }
                try {
                    probe.listTables(b -> b.limit(1));
                    return;
                } catch (SdkException e) {
                    lastError = e;
                }
                if (System.nanoTime() > deadline) {
                    throw new LocalAwsException("dynalite did not answer ListTables at " + endpoint + " within "
                            + START_TIMEOUT.toSeconds() + " s (last error: " + lastError + "). Command: "
                            + Commands.describe(command) + "\nOutput:\n" + output.text());
                }
                sleep(100);
            }
        }
    }

    /**
     * A script preloaded into node ({@code --require}) that exits when standard input closes, i.e. when this JVM is
     * gone. Written once per JVM to a temporary file.
     */
    private static synchronized Path parentWatch() {
        if (parentWatch == null || !Files.isRegularFile(parentWatch)) {
            try {
                Path script = Files.createTempFile("oneclick-dynalite-parent-watch-", ".js");
                script.toFile().deleteOnExit();
                Files.writeString(script, String.join("\n",
                        "// oneclick-local: exit when the JVM that started this process is gone (stdin closes).",
                        "process.stdin.on('end', () => process.exit(0));",
                        "process.stdin.on('error', () => process.exit(0));",
                        "process.stdin.resume();",
                        ""));
                parentWatch = script;
            } catch (IOException e) {
                throw new LocalAwsException("cannot write a temporary file for dynalite: " + e, e);
            }
        }
        return parentWatch;
    }

    private static void checkNodeVersion(Path node) {
        if (CHECKED_NODES.contains(node)) {
            return;
        }
        String version = Commands.run(node, List.of("--version"), Path.of(".").toAbsolutePath(),
                Duration.ofSeconds(30), "node --version").strip();
        int major;
        try {
            major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        } catch (NumberFormatException e) {
            throw new LocalAwsException("cannot read the version of " + node + " (it printed '" + version + "')."
                    + " Install Node.js " + MIN_NODE_MAJOR + " or newer.");
        }
        if (major < MIN_NODE_MAJOR) {
            throw new LocalAwsException(node + " is Node.js " + version + " but dynalite " + VERSION + " needs Node.js "
                    + MIN_NODE_MAJOR + " or newer: upgrade Node.js or put a newer node first on the PATH.");
        }
        CHECKED_NODES.add(node);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalAwsException("interrupted while waiting for dynalite to start", e);
        }
    }

    /** dynalite exited because another process took its port between the free-port check and its start. */
    private static final class PortTakenException extends LocalAwsException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String output) {
            super("dynalite's port was taken before it could bind it:\n" + output);
        }
    }

    /**
     * Pumps output into the tail buffer and keeps the child's standard input open (commons-exec closes it when no
     * input is given); it closes only when the process ends or this JVM dies, which the parent-watch script notices.
     */
    private static final class StdinKeepingStreamHandler extends PumpStreamHandler {
        private volatile OutputStream stdin;

        StdinKeepingStreamHandler(OutputTail output) {
            super(output, output);
        }

        @Override
        public void setProcessInputStream(OutputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        public void stop() throws IOException {
            try {
                super.stop();
            } finally {
                OutputStream in = stdin;
                if (in != null) {
                    in.close();
                }
            }
        }
    }

    /** Registers the process with the shared shutdown hook and remembers it, so close() can force-kill it. */
    private static final class ProcessCapture implements ProcessDestroyer {
        private volatile Process process;

        @Override
        public boolean add(Process process) {
            this.process = process;
            return SHUTDOWN_HOOK.add(process);
        }

        @Override
        public boolean remove(Process process) {
            return SHUTDOWN_HOOK.remove(process);
        }

        @Override
        public int size() {
            return SHUTDOWN_HOOK.size();
        }
    }
}
