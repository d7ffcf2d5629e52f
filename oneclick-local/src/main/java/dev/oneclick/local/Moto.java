package dev.oneclick.local;

import dev.oneclick.local.ChildProcesses.ListeningLine;
import dev.oneclick.local.ChildProcesses.ProcessCapture;
import dev.oneclick.local.ChildProcesses.StdinKeepingStreamHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * moto, the AWS control-plane emulator, running as a Python child process on a free 127.0.0.1 port, with clients
 * that correct the ways moto's answers differ from AWS (see {@link MotoCorrections}).
 *
 * <pre>{@code
 * try (Moto moto = Moto.builder().environment("MOTO_ECS_SERVICE_RUNNING", "1").start()) {
 *     moto.cloudFrontClient().listDistributions(b -> {});
 *     EcsClient ecs = moto.configure(EcsClient.builder()).build();   // any service, the same way
 * }
 * }</pre>
 *
 * <p>Where moto comes from: moto {@value #VERSION} with its server extras ({@code moto[server]}), as shipped on this
 * project's machine image ({@code moto_server} on the {@code PATH}). The interpreter is the one named by
 * {@link Builder#python}, else the system property {@value #PYTHON_PROPERTY}, else the environment variable
 * {@value #PYTHON_ENV}; else the first that can import moto's server of: the interpreter in {@code moto_server}'s
 * {@code #!} line, a {@code python3} or {@code python} next to {@code moto_server} (a virtualenv's or pyenv's shims),
 * {@code python3} and {@code python} on the {@code PATH}. None: {@link MotoNotFoundException}, naming what to install.
 *
 * <p>{@link Builder#start()} runs a small launcher script in that interpreter which serves moto's own WSGI
 * application (the one {@code moto_server} serves) with werkzeug on 127.0.0.1, port 0 (the operating system picks a
 * free one, so nothing can take it between choosing and binding), and prints the bound port and its pid. {@code start}
 * returns once that line came from <em>its own</em> child (same pid), {@code GET /moto-api/} answered 200, and the
 * child is still alive. {@link #close()} kills the process; a JVM shutdown hook kills it if the JVM exits first; and
 * the launcher watches its standard input, a pipe from this JVM, and exits when it closes, so a killed JVM
 * ({@code kill -9}, a fork timeout) leaves no moto behind. moto's output (werkzeug logs a line per request) goes to
 * a bounded tail buffer, quoted in error messages, never to the log.
 *
 * <p>The clients this class hands out are created on first use, shared, thread-safe and closed by {@link #close()}.
 * For other services, or other settings, {@link #configure} any SDK client builder.
 */
public final class Moto implements AutoCloseable {

    /** The moto version this class and its corrections were checked against. */
    public static final String VERSION = "5.2.1";
    /** System property naming the Python interpreter that has moto (skips the search). */
    public static final String PYTHON_PROPERTY = "oneclick.moto.python";
    /** Environment variable naming the Python interpreter that has moto, read when the property is not set. */
    public static final String PYTHON_ENV = "ONECLICK_MOTO_PYTHON";

    private static final Logger LOG = LoggerFactory.getLogger(Moto.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern LISTENING = Pattern.compile("oneclick-moto listening port=(\\d+) pid=(\\d+)");
    private static final Pattern PROBED = Pattern.compile("oneclick-moto-probe version=(\\S+) executable=(.+)");
    /** The Python code that checks an interpreter can serve moto; prints the {@link #PROBED} line. */
    private static final String PROBE = "import sys, moto, moto.moto_server.werkzeug_app, werkzeug.serving; "
            + "print('oneclick-moto-probe version=' + moto.__version__ + ' executable=' + sys.executable)";
    /** Interpreters (as found) that passed the probe in this JVM, with what it printed. */
    private static final Map<Path, Probe> PROBED_INTERPRETERS = new ConcurrentHashMap<>();
    private static Path launcher;

    private final Region region;
    private final ExecuteWatchdog watchdog;
    private final DefaultExecuteResultHandler result;
    private final OutputTail output;
    private final ProcessCapture capture;
    private final Probe probe;
    private final MotoCorrections corrections = new MotoCorrections(this::sideCloudFrontClient);
    private final List<SdkAutoCloseable> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();
    private volatile URI endpoint;
    private CloudFrontClient cloudFrontClient;
    private S3Client s3Client;
    private S3AsyncClient s3AsyncClient;
    private boolean closed;

    private Moto(Region region, ExecuteWatchdog watchdog, DefaultExecuteResultHandler result, OutputTail output,
            ProcessCapture capture, Probe probe) {
        this.region = region;
        this.watchdog = watchdog;
        this.result = result;
        this.output = output;
        this.capture = capture;
        this.probe = probe;
    }

    /**
     * Starts moto with the default settings (region us-east-1, no extra environment).
     *
     * @throws MotoNotFoundException when no Python interpreter with moto's server is found
     * @throws LocalAwsException when moto cannot start; the message holds its output
     */
    public static Moto start() {
        return builder().start();
    }

    /** A builder for the region, extra environment variables and the Python interpreter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint for the SDK's {@code endpointOverride}, e.g. {@code http://127.0.0.1:40125}; all services. */
    public URI endpoint() {
        return endpoint;
    }

    /** The region the clients of {@link #configure} use (us-east-1 unless {@link Builder#region} said otherwise). */
    public Region region() {
        return region;
    }

    /** Static test credentials; moto checks no signatures. */
    public AwsCredentialsProvider credentialsProvider() {
        return Clients.CREDENTIALS;
    }

    /** The moto version the interpreter reported, e.g. {@code 5.2.1}. */
    public String version() {
        return probe.version();
    }

    /** The Python interpreter moto runs in. */
    public Path python() {
        return probe.executable();
    }

    /**
     * Sets up an SDK client builder of any service for this moto: endpoint override, {@link #region()}, static test
     * credentials, and the {@link MotoCorrections} interceptors (added to the builder's own override configuration,
     * once even when called twice). S3 builders also get path-style addressing (a bucket cannot be a host name on
     * 127.0.0.1). The HTTP client stays the caller's choice; the corrections do not depend on it. The client the
     * builder builds is the caller's to close.
     *
     * <pre>{@code
     * EcsClient ecs = moto.configure(EcsClient.builder()).build();
     * }</pre>
     *
     * @param builder any AWS SDK client builder, sync or async
     * @return {@code builder}
     */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        Objects.requireNonNull(builder, "builder");
        ClientOverrideConfiguration existing = builder.overrideConfiguration();
        ClientOverrideConfiguration.Builder override = existing == null ? ClientOverrideConfiguration.builder()
                : existing.toBuilder();
        for (ExecutionInterceptor interceptor : corrections.interceptors()) {
            if (!override.executionInterceptors().contains(interceptor)) {
                override.addExecutionInterceptor(interceptor);
            }
        }
        builder.endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(Clients.CREDENTIALS)
                .overrideConfiguration(override.build());
        if (builder instanceof S3BaseClientBuilder<?, ?> s3) {
            s3.forcePathStyle(true);
        }
        return builder;
    }

    /** A shared CloudFront client (Apache HTTP client) with the corrections (closed by {@link #close()}). */
    public synchronized CloudFrontClient cloudFrontClient() {
        if (cloudFrontClient == null) {
            cloudFrontClient = register(configure(CloudFrontClient.builder())
                    .httpClientBuilder(syncHttp()).build());
        }
        return cloudFrontClient;
    }

    /** A shared sync S3 client (Apache HTTP client), path-style, with the corrections (closed by {@link #close()}). */
    public synchronized S3Client s3Client() {
        if (s3Client == null) {
            s3Client = register(configure(S3Client.builder())
                    .httpClientBuilder(syncHttp()).build());
        }
        return s3Client;
    }

    /** A shared async S3 client (Netty), path-style, with the corrections (closed by {@link #close()}). */
    public synchronized S3AsyncClient s3AsyncClient() {
        if (s3AsyncClient == null) {
            s3AsyncClient = register(configure(S3AsyncClient.builder())
                    .httpClientBuilder(NettyNioAsyncHttpClient.builder()).build());
        }
        return s3AsyncClient;
    }

    /**
     * The Apache HTTP client of the sync clients built here, without {@code Expect: 100-continue} (see
     * {@link MotoCorrections.ExpectContinue}: Apache adds the header itself after the interceptors ran).
     */
    private static ApacheHttpClient.Builder syncHttp() {
        return ApacheHttpClient.builder().expectContinueEnabled(false);
    }

    /** The client {@link MotoCorrections.DistributionSummaries} reads configurations with; closed with them. */
    private CloudFrontClient sideCloudFrontClient() {
        return configure(CloudFrontClient.builder()).httpClientBuilder(syncHttp()).build();
    }

    /**
     * Empties every moto backend ({@code POST /moto-api/reset}) and forgets what the corrections remembered, so a
     * test starts from an empty account without restarting moto.
     *
     * @throws LocalAwsException when moto does not answer 200
     */
    public void reset() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() != 200) {
            throw new LocalAwsException("moto at " + endpoint + " answered " + response.statusCode()
                    + " to POST /moto-api/reset: " + response.body() + "\nOutput:\n" + output.text());
        }
        corrections.reset();
    }

    /** True until {@link #close()} ran or the moto process ended by itself. */
    public synchronized boolean isRunning() {
        return !closed && !result.hasResult();
    }

    /** Closes the shared clients, kills the moto process and waits for it to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SdkAutoCloseable client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {} failed", client, e);
            }
        }
        corrections.close();
        watchdog.destroyProcess();
        try {
            result.waitFor(STOP_TIMEOUT);
            Process process = capture.process();
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("moto at {} stopped", endpoint);
    }

    @Override
    public String toString() {
        return "moto " + probe.version() + " at " + endpoint;
    }

    /** The moto process (for tests). */
    Process process() {
        return capture.process();
    }

    /** What moto wrote last (for tests and error messages). */
    String output() {
        return output.text();
    }

    /** The corrections' shared state (for tests). */
    MotoCorrections corrections() {
        return corrections;
    }

    private <T extends SdkAutoCloseable> T register(T client) {
        if (closed) {
            client.close();
            throw new IllegalStateException("this Moto is closed");
        }
        clients.add(client);
        return client;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(HTTP_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LocalAwsException("moto at " + endpoint + " did not answer: " + e + "\nOutput:\n"
                    + output.text(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalAwsException("interrupted while calling moto at " + endpoint, e);
        }
    }

    private static Moto launch(Probe probe, Region region, Map<String, String> extraEnvironment) {
        CommandLine command = new CommandLine(probe.executable().toFile())
                .addArgument(launcher().toString(), false)
                .addArgument("0", false);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("PYTHONUNBUFFERED", "1");
        environment.putAll(extraEnvironment);
        OutputTail output = new OutputTail(64 * 1024);
        ListeningLine listening = new ListeningLine(output, LISTENING);
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(ExecuteWatchdog.INFINITE_TIMEOUT_DURATION)
                .get();
        ProcessCapture capture = new ProcessCapture();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(launcher().getParent().toFile())
                .setExecuteStreamHandler(new StdinKeepingStreamHandler(listening, output))
                .get();
        executor.setWatchdog(watchdog);
        executor.setProcessDestroyer(capture);
        DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
        try {
            executor.execute(command, environment, result);
        } catch (IOException e) {
            throw new LocalAwsException("cannot start moto: " + Commands.describe(command) + ": " + e, e);
        }
        Moto moto = new Moto(region, watchdog, result, output, capture, probe);
        try {
            moto.awaitReady(command, listening);
        } catch (RuntimeException e) {
            moto.close();
            throw e;
        }
        LOG.info("moto {} answers at {} (pid {}, {}{})", probe.version(), moto.endpoint, moto.process().pid(),
                probe.executable(), extraEnvironment.isEmpty() ? "" : ", environment " + extraEnvironment.keySet());
        if (!VERSION.equals(probe.version())) {
            LOG.warn("moto {} runs, but the corrections of oneclick-local were checked against moto {}",
                    probe.version(), VERSION);
        }
        return moto;
    }

    /**
     * Waits until our own child reports the port it bound (with its pid), then until {@code GET /moto-api/} on that
     * port answers 200, and checks the child is still alive afterwards, so nothing else answering on some port can
     * pass for our moto.
     */
    private void awaitReady(CommandLine command, ListeningLine listening) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!listening.seen() || capture.process() == null) {
            checkAlive(command);
            if (System.nanoTime() > deadline) {
                throw new LocalAwsException("moto did not report listening within " + START_TIMEOUT.toSeconds()
                        + " s. Command: " + Commands.describe(command) + "\nOutput:\n" + output.text());
            }
            sleep(20);
        }
        long pid = capture.process().pid();
        if (listening.pid() != pid) {
            throw new LocalAwsException("moto reported port " + listening.port() + " and pid " + listening.pid()
                    + " but was started as pid " + pid + ". Output:\n" + output.text());
        }
        endpoint = URI.create("http://127.0.0.1:" + listening.port());
        String lastError = null;
        while (true) {
            checkAlive(command);
            try {
                HttpResponse<String> response = send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET());
                if (response.statusCode() == 200) {
                    checkAlive(command);
                    return;
                }
                lastError = "status " + response.statusCode();
            } catch (LocalAwsException e) {
                lastError = e.getCause() == null ? e.getMessage() : e.getCause().toString();
            }
            if (System.nanoTime() > deadline) {
                throw new LocalAwsException("moto did not answer GET /moto-api/ at " + endpoint + " within "
                        + START_TIMEOUT.toSeconds() + " s (last error: " + lastError + "). Command: "
                        + Commands.describe(command) + "\nOutput:\n" + output.text());
            }
            sleep(100);
        }
    }

    private void checkAlive(CommandLine command) {
        Process process = capture.process();
        if (!result.hasResult() && (process == null || process.isAlive())) {
            return;
        }
        try {
            result.waitFor(Duration.ofSeconds(2)); // let the pumps copy the last output
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new LocalAwsException("moto exited" + (result.hasResult() ? " with code " + result.getExitValue() : "")
                + " before it was ready. Command: " + Commands.describe(command) + "\nOutput:\n" + output.text());
    }

    /**
     * The script Python runs (written once per JVM to a temporary file): exits at once when standard input closes,
     * i.e. when this JVM is gone (a thread blocks reading it, then calls {@code os._exit}); builds moto's WSGI
     * application as {@code moto_server} does (with one correction: a bucket-policy statement for a service principal
     * only, such as CloudFront's, does not apply to this server's callers, as on AWS); binds 127.0.0.1 and the given port (0 = any free one); tells moto the
     * port it got ({@code MOTO_PORT}, read by moto where a response names its own endpoint); prints the port and its
     * pid; serves until killed.
     */
    private static synchronized Path launcher() {
        if (launcher == null || !Files.isRegularFile(launcher)) {
            try {
                Path script = Files.createTempFile("oneclick-moto-", ".py");
                script.toFile().deleteOnExit();
                Files.writeString(script, String.join("\n",
                        "# oneclick-local: runs moto's server. Argument: the port (0 = any free one).",
                        "import os, sys, threading",
                        "",
                        "def _exit_when_stdin_closes():",
                        "    try:",
                        "        while sys.stdin.buffer.read1(65536):",
                        "            pass",
                        "    except BaseException:",
                        "        pass",
                        "    os._exit(0)",
                        "",
                        "threading.Thread(target=_exit_when_stdin_closes, name='oneclick-stdin-watch',"
                                + " daemon=True).start()",
                        "",
                        "# moto applies a bucket-policy statement whose principal names only AWS services (such as",
                        "# cloudfront.amazonaws.com) to every caller; AWS applies it to those services alone, and a",
                        "# caller of this server is never one (a Deny for CloudFront must not deny the deployer).",
                        "from moto.iam.access_control import IAMPolicyStatement",
                        "_moto_unknown_principal = IAMPolicyStatement.is_unknown_principal",
                        "def _unknown_principal(self, principal):",
                        "    if isinstance(principal, dict) and set(principal) == {'Service'}:",
                        "        return True",
                        "    return _moto_unknown_principal(self, principal)",
                        "IAMPolicyStatement.is_unknown_principal = _unknown_principal",
                        "",
                        "from werkzeug.serving import make_server",
                        "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app",
                        "",
                        "app = DomainDispatcherApplication(create_backend_app)",
                        "server = make_server('127.0.0.1', int(sys.argv[1]), app, threaded=True)",
                        "os.environ['MOTO_PORT'] = str(server.server_port)",
                        "print('oneclick-moto listening port=%d pid=%d' % (server.server_port, os.getpid()),"
                                + " flush=True)",
                        "server.serve_forever()",
                        ""));
                launcher = script;
            } catch (IOException e) {
                throw new LocalAwsException("cannot write a temporary file for moto: " + e, e);
            }
        }
        return launcher;
    }

    /**
     * Finds the interpreter to run moto in (see the class comment), probing each candidate once per JVM.
     *
     * @throws MotoNotFoundException when none can import moto's server
     */
    static Probe findPython(Path explicit, String path) {
        Set<Path> candidates = new LinkedHashSet<>();
        if (explicit != null) {
            candidates.add(explicit);
        } else {
            Optional<Path> server = Executables.find("moto_server", path);
            server.flatMap(script -> shebangInterpreter(script, path)).ifPresent(candidates::add);
            server.ifPresent(script -> {
                for (String name : List.of("python3", "python")) {
                    Executables.find(name, script.getParent().toString()).ifPresent(candidates::add);
                }
            });
            for (String name : List.of("python3", "python")) {
                Executables.find(name, path).ifPresent(candidates::add);
            }
        }
        List<String> tried = new ArrayList<>();
        for (Path candidate : candidates) {
            Probe known = PROBED_INTERPRETERS.get(candidate);
            if (known != null) {
                return known;
            }
            try {
                String printed = Commands.run(candidate, List.of("-c", PROBE), Path.of(System.getProperty(
                        "java.io.tmpdir")), PROBE_TIMEOUT, candidate + " -c 'import moto'");
                Matcher m = PROBED.matcher(printed);
                if (m.find()) {
                    Probe probe = new Probe(m.group(1), Path.of(m.group(2).strip()));
                    PROBED_INTERPRETERS.put(candidate, probe);
                    return probe;
                }
                tried.add(candidate + ": printed no version: " + lastLine(printed));
            } catch (LocalAwsException e) {
                tried.add(candidate + ": " + lastLine(e.getMessage()));
            }
        }
        if (explicit != null && tried.isEmpty()) {
            tried.add(explicit + ": not found");
        }
        throw new MotoNotFoundException(tried, path);
    }

    /** The interpreter a script's {@code #!} line names when it is a Python one ({@code #!/usr/bin/env python3}). */
    private static Optional<Path> shebangInterpreter(Path script, String path) {
        String first;
        try (var reader = Files.newBufferedReader(script, StandardCharsets.ISO_8859_1)) {
            first = reader.readLine();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (first == null || !first.startsWith("#!") || !first.contains("python")) {
            return Optional.empty();
        }
        String[] words = first.substring(2).strip().split("\\s+");
        if (words[0].endsWith("/env") && words.length > 1) {
            return Executables.find(words[1], path);
        }
        Path interpreter = Path.of(words[0]);
        return Files.isExecutable(interpreter) ? Optional.of(interpreter) : Optional.empty();
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalAwsException("interrupted while waiting for moto to start", e);
        }
    }

    /** An interpreter that can serve moto: the moto version it has and its real executable. */
    record Probe(String version, Path executable) {
    }

    /** The region, extra environment variables and interpreter of a moto; {@link #start()} starts it. */
    public static final class Builder {
        private Region region = Clients.REGION;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path python;
        private String searchPath;

        private Builder() {
        }

        /** The region of the clients {@link Moto#configure} sets up (default us-east-1). */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /**
         * An environment variable for the moto process, e.g. {@code MOTO_ECS_SERVICE_RUNNING=1} (ECS services then
         * report their rollout COMPLETED once running), on top of this JVM's environment.
         */
        public Builder environment(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Several environment variables for the moto process; see {@link #environment(String, String)}. */
        public Builder environment(Map<String, String> variables) {
            variables.forEach(this::environment);
            return this;
        }

        /**
         * The Python interpreter that has moto's server; skips the search (and {@value Moto#PYTHON_PROPERTY} /
         * {@value Moto#PYTHON_ENV}).
         */
        public Builder python(Path python) {
            this.python = Objects.requireNonNull(python, "python");
            return this;
        }

        /** The {@code PATH} to search instead of this process's (for tests). */
        Builder searchPath(String searchPath) {
            this.searchPath = searchPath;
            return this;
        }

        /**
         * Finds the interpreter, starts moto on a free 127.0.0.1 port and waits until it answers.
         *
         * @throws MotoNotFoundException when no Python interpreter with moto's server is found
         * @throws LocalAwsException when moto cannot start; the message holds its output
         */
        public Moto start() {
            Path explicit = python;
            if (explicit == null) {
                String setting = System.getProperty(PYTHON_PROPERTY);
                if (setting == null || setting.isBlank()) {
                    setting = System.getenv(PYTHON_ENV);
                }
                if (setting != null && !setting.isBlank()) {
                    explicit = Path.of(setting);
                }
            }
            Probe probe = findPython(explicit, searchPath != null ? searchPath : Executables.systemPath());
            return launch(probe, region, Map.copyOf(environment));
        }
    }
}
