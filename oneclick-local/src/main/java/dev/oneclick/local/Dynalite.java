package dev.oneclick.local;

import dev.oneclick.local.ChildProcesses.ListeningLine;
import dev.oneclick.local.ChildProcesses.ProcessCapture;
import dev.oneclick.local.ChildProcesses.StdinKeepingStreamHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite, a DynamoDB emulator, running as a {@code node} child process on a free 127.0.0.1 port, with its
 * in-memory store ({@link #start()}: nothing is written to disk) or its LevelDB store in a folder
 * ({@link #start(Path)}: tables and items survive a restart on the same folder; this loads the native
 * {@code classic-level} module, which ships prebuilt for the common platforms).
 *
 * <p>{@link #start()} locates or installs dynalite {@value #VERSION} (see below) and starts it through a small launcher
 * script that lets the operating system pick the port (port 0, so no other process can take it between choosing and
 * binding) and prints the bound port and node's pid once the server listens. {@code start()} returns once that line
 * came from <em>its own</em> child (same pid), a real {@code ListTables} call on that port succeeded, and the child is
 * still alive. {@link #close()} kills the process; a JVM shutdown hook kills it too if the JVM exits first; and node
 * watches its standard input, a pipe from this JVM, and exits when it closes, so not even a killed JVM
 * ({@code kill -9}, a fork timeout) leaves a node process behind.
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
    /** node executables whose version passed the check in this JVM. */
    private static final Set<Path> CHECKED_NODES = ConcurrentHashMap.newKeySet();

    /** Printed by the launcher script once the server listens: {@code <marker> port=<port> pid=<pid>}. */
    private static final Pattern LISTENING = Pattern.compile("oneclick-dynalite listening port=(\\d+) pid=(\\d+)");
    private static Path launcher;

    /** The name of the lock file {@link #start(Path)} holds in its folder while dynalite runs. */
    static final String LOCK_FILE = "oneclick-dynalite.lock";

    /** Set once the child reported the port it bound; never changes afterwards. */
    private volatile URI endpoint;
    private final ExecuteWatchdog watchdog;
    private final DefaultExecuteResultHandler result;
    private final OutputTail output;
    private final ProcessCapture capture;
    private final Path dataDirectory;
    private volatile FolderLock lock;
    private boolean closed;

    private Dynalite(ExecuteWatchdog watchdog, DefaultExecuteResultHandler result, OutputTail output,
            ProcessCapture capture, Path dataDirectory) {
        this.dataDirectory = dataDirectory;
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
        return start(() -> 0, null);
    }

    /**
     * Like {@link #start()}, but dynalite keeps its tables and items in {@code dataDirectory} (dynalite's
     * {@code path} option: a LevelDB database, created when missing), so a later start on the same folder sees
     * them again. One dynalite at a time may use a folder: this one holds the lock file {@value #LOCK_FILE} in it
     * until {@link #close()}.
     *
     * @throws NodeNotFoundException when node or npm is not on the PATH
     * @throws LocalAwsException when the folder cannot be created, another dynalite (of this or another process)
     *         uses it, or dynalite cannot start or open its database there
     */
    public static Dynalite start(Path dataDirectory) {
        return start(() -> 0, java.util.Objects.requireNonNull(dataDirectory, "dataDirectory"));
    }

    /**
     * Starts dynalite on the ports {@code ports} yields, one per attempt (0 = let the operating system pick a free
     * one); an attempt whose port turns out to be taken (node exits with EADDRINUSE) is retried with the next port.
     * The hook exists so tests can force a taken port; {@link #start()} always asks for port 0.
     */
    static Dynalite start(IntSupplier ports) {
        return start(ports, null);
    }

    private static Dynalite start(IntSupplier ports, Path dataDirectory) {
        Path dir = null;
        FolderLock lock = null;
        if (dataDirectory != null) {
            dir = dataDirectory.toAbsolutePath().normalize();
            lock = FolderLock.acquire(dir, LOCK_FILE, "dynalite's data folder");
        }
        try {
            Dynalite dynalite = startProcess(ports, dir);
            dynalite.lock = lock;
            return dynalite;
        } catch (RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    private static Dynalite startProcess(IntSupplier ports, Path dir) {
        Path node = Executables.require("node", Executables.systemPath());
        checkNodeVersion(node);
        Path folder = DynaliteInstaller.locate();
        PortTakenException portTaken = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return launch(node, folder, ports.getAsInt(), dir);
            } catch (PortTakenException e) {
                LOG.debug("dynalite attempt {} of {}: {}", attempt, START_ATTEMPTS, e.getMessage());
                portTaken = e;
            }
        }
        throw new LocalAwsException("dynalite could not bind a port in " + START_ATTEMPTS + " attempts: another"
                + " process held it each time", portTaken);
    }

    /** The endpoint to pass to the SDK's {@code endpointOverride}, e.g. {@code http://127.0.0.1:40123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The folder holding dynalite's LevelDB database, or empty when it keeps its state in memory. */
    public java.util.Optional<Path> dataDirectory() {
        return java.util.Optional.ofNullable(dataDirectory);
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
            Process process = capture.process();
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
        LOG.debug("dynalite at {} stopped", endpoint);
    }

    /** The node process (for tests). */
    Process process() {
        return capture.process();
    }

    @Override
    public String toString() {
        return "dynalite " + VERSION + " at " + endpoint + (dataDirectory == null ? "" : " (data in " + dataDirectory
                + ")");
    }

    private static Dynalite launch(Path node, Path folder, int port, Path dataDirectory) {
        CommandLine command = new CommandLine(node.toFile())
                .addArgument(launcher().toString(), false)
                .addArgument(DynaliteInstaller.cli(folder).getParent().toString(), false)
                .addArgument(Integer.toString(port), false);
        if (dataDirectory != null) {
            command.addArgument(dataDirectory.toString(), false);
        }
        OutputTail output = new OutputTail(16 * 1024);
        ListeningLine listening = new ListeningLine(output, LISTENING);
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(ExecuteWatchdog.INFINITE_TIMEOUT_DURATION)
                .get();
        ProcessCapture capture = new ProcessCapture();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(folder.toFile())
                .setExecuteStreamHandler(new StdinKeepingStreamHandler(listening, output))
                .get();
        executor.setWatchdog(watchdog);
        executor.setProcessDestroyer(capture);
        DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
        try {
            executor.execute(command, result);
        } catch (IOException e) {
            throw new LocalAwsException("cannot start dynalite: " + Commands.describe(command) + ": " + e, e);
        }
        Dynalite dynalite = new Dynalite(watchdog, result, output, capture, dataDirectory);
        try {
            dynalite.awaitReady(command, port, listening);
        } catch (RuntimeException e) {
            dynalite.close();
            throw e;
        }
        LOG.debug("dynalite {} answers at {} (pid {})", VERSION, dynalite.endpoint, dynalite.process().pid());
        return dynalite;
    }

    /**
     * Waits until our own child reports the port it listens on (the launcher prints it from the listen callback,
     * with its pid), then until a real {@code ListTables} call on that port succeeds, and checks the child is still
     * alive afterwards. Anything else answering on some port can therefore never pass for our dynalite. A child that
     * exits with EADDRINUSE is reported as {@link PortTakenException} (the caller retries).
     */
    private void awaitReady(CommandLine command, int requestedPort, ListeningLine listening) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!listening.seen()) {
            checkAlive(command, requestedPort);
            if (System.nanoTime() > deadline) {
                throw new LocalAwsException("dynalite did not report listening within " + START_TIMEOUT.toSeconds()
                        + " s. Command: " + Commands.describe(command) + "\nOutput:\n" + output.text());
            }
            sleep(20);
        }
        while (capture.process() == null) { // commons-exec registers the process just after starting its pumps
            checkAlive(command, requestedPort);
            sleep(5);
        }
        long pid = capture.process().pid();
        if (listening.pid() != pid || (requestedPort != 0 && listening.port() != requestedPort)) {
            throw new LocalAwsException("dynalite reported port " + listening.port() + " and pid " + listening.pid()
                    + " but was started as pid " + pid + " on port " + requestedPort + ". Output:\n" + output.text());
        }
        endpoint = URI.create("http://127.0.0.1:" + listening.port());
        SdkException lastError = null;
        try (DynamoDbClient probe = Clients.probe(endpoint)) {
            while (true) {
                checkAlive(command, requestedPort);
                try {
                    probe.listTables(b -> b.limit(1));
                    checkAlive(command, requestedPort);
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

    private void checkAlive(CommandLine command, int requestedPort) {
        Process process = capture.process();
        if (!result.hasResult() && (process == null || process.isAlive())) {
            return;
        }
        if (process != null) {
            try {
                // let the pumps copy the last output, so the EADDRINUSE message is in the tail
                result.waitFor(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (output.contains("EADDRINUSE")) {
            throw new PortTakenException(requestedPort, output.text());
        }
        throw new LocalAwsException("dynalite exited" + (result.hasResult() ? " with code " + result.getExitValue()
                : "") + " before it was ready. Command: " + Commands.describe(command) + "\nOutput:\n"
                + output.text());
    }

    /**
     * The script node runs (written once per JVM to a temporary file): exits when standard input closes, i.e. when
     * this JVM is gone; starts dynalite in memory, or with its LevelDB store in the folder given as third argument
     * (opened once first, so a folder LevelDB cannot open fails the start with LevelDB's message instead of every
     * request), with table state changes taking effect at once; listens on 127.0.0.1 and the given port (0 = any
     * free one); prints the port it bound and its pid once listening; exits with a message naming the error code
     * when it cannot listen.
     */
    private static synchronized Path launcher() {
        if (launcher == null || !Files.isRegularFile(launcher)) {
            try {
                Path script = Files.createTempFile("oneclick-dynalite-", ".js");
                script.toFile().deleteOnExit();
                Files.writeString(script, String.join("\n",
                        "// oneclick-local: runs dynalite. Arguments: the dynalite package folder, the port (0 = any).",
                        "'use strict';",
                        "// exit when the JVM that started this process is gone (stdin closes)",
                        "process.stdin.on('end', () => process.exit(0));",
                        "process.stdin.on('error', () => process.exit(0));",
                        "process.stdin.resume();",
                        "const [dir, port, dataDir] = process.argv.slice(2);",
                        "function run() {",
                        "  const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };",
                        "  if (dataDir) options.path = dataDir;",
                        "  const server = require(dir)(options);",
                        "  server.on('error', (e) => {",
                        "    console.error('oneclick-dynalite cannot listen on 127.0.0.1:' + port + ': ' + e.code + ' '"
                                + " + e.message);",
                        "    process.exit(e.code === 'EADDRINUSE' ? 98 : 1);",
                        "  });",
                        "  server.listen(Number(port), '127.0.0.1', () => {",
                        "    console.log('oneclick-dynalite listening port=' + server.address().port + ' pid=' +"
                                + " process.pid);",
                        "  });",
                        "}",
                        "if (!dataDir) {",
                        "  run();",
                        "} else {",
                        "  const { ClassicLevel } = require(require.resolve('classic-level', { paths: [dir] }));",
                        "  const probe = new ClassicLevel(dataDir, { valueEncoding: 'json' });",
                        "  probe.open().then(() => probe.close()).then(run, (e) => {",
                        "    const cause = e && e.cause ? ' (' + e.cause.message + ')' : '';",
                        "    console.error('oneclick-dynalite cannot open its LevelDB data folder ' + dataDir + ': '"
                                + " + (e && e.message) + cause);",
                        "    process.exit(3);",
                        "  });",
                        "}",
                        ""));
                launcher = script;
            } catch (IOException e) {
                throw new LocalAwsException("cannot write a temporary file for dynalite: " + e, e);
            }
        }
        return launcher;
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

        PortTakenException(int port, String output) {
            super("port " + port + " was taken by another process, dynalite could not bind it:\n" + output);
        }
    }
}
