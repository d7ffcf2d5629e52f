package dev.oneclick.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real OCI registry on loopback for tests: Debian's {@code docker-registry} (the CNCF distribution registry,
 * package {@code docker-registry}) serving a temporary storage folder on 127.0.0.1, on a port the operating system
 * picks (the registry binds port 0 and logs the port it got). No Docker engine is involved; jib pushes to it over
 * plain HTTP ({@code setAllowInsecureRegistries(true)}).
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.start()) {
 *     URI endpoint = registry.endpoint();   // http://127.0.0.1:PORT, for Deployer.Builder.registryEndpoint
 * }
 * }</pre>
 *
 * <p>The registry runs under a small {@code sh} that kills it when its standard input (a pipe from this JVM) closes,
 * so neither {@link #close()} nor a killed JVM leaves a registry behind. {@link #close()} also deletes the storage.
 */
public final class LocalRegistry implements AutoCloseable {
    /** Where Debian installs the registry. */
    public static final String DEFAULT_EXECUTABLE = "/usr/bin/docker-registry";
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path folder;
    private final OutputTail output;
    private final URI endpoint;

    private LocalRegistry(Process process, Path folder, OutputTail output, int port) {
        this.process = process;
        this.folder = folder;
        this.output = output;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /** Starts {@value #DEFAULT_EXECUTABLE} (else {@code docker-registry} on the PATH). */
    public static LocalRegistry start() {
        Path exe = Path.of(DEFAULT_EXECUTABLE);
        if (!Files.isExecutable(exe)) {
            exe = Executables.find("docker-registry", Executables.systemPath()).orElseThrow(() ->
                    new LocalAwsException("docker-registry is not installed (looked for " + DEFAULT_EXECUTABLE
                            + " and on the PATH). Install Debian's package: apt-get install docker-registry"));
        }
        return start(exe);
    }

    /** Starts the registry {@code executable} on a free loopback port with a new temporary storage folder. */
    public static LocalRegistry start(Path executable) {
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new LocalAwsException(executable + " is not an executable docker-registry. Install Debian's "
                    + "package: apt-get install docker-registry");
        }
        Path folder;
        try {
            folder = Files.createTempDirectory("oneclick-registry-");
            Files.writeString(folder.resolve("config.yml"), String.join("\n",
                    "version: 0.1",
                    "log:",
                    "  level: info",
                    "storage:",
                    "  filesystem:",
                    "    rootdirectory: " + folder.resolve("data"),
                    "  delete:",
                    "    enabled: true",
                    "http:",
                    "  addr: 127.0.0.1:0",
                    ""));
        } catch (IOException e) {
            throw new LocalAwsException("cannot write the registry's configuration: " + e, e);
        }
        OutputTail output = new OutputTail(16 * 1024);
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c",
                    "\"$0\" serve \"$1\" & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid",
                    executable.toString(), folder.resolve("config.yml").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            deleteQuietly(folder);
            throw new LocalAwsException("cannot start " + executable + ": " + e, e);
        }
        CountDownLatch listening = new CountDownLatch(1);
        int[] port = new int[1];
        Thread pump = new Thread(() -> pump(process.getInputStream(), output, port, listening),
                "oneclick-registry-output");
        pump.setDaemon(true);
        pump.start();
        try {
            if (!listening.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || port[0] == 0) {
                process.destroyForcibly();
                deleteQuietly(folder);
                throw new LocalAwsException("docker-registry did not start listening within " + START_TIMEOUT
                        + ". Output:\n" + output.text());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new LocalAwsException("interrupted while starting docker-registry", e);
        }
        return new LocalRegistry(process, folder, output, port[0]);
    }

    private static void pump(InputStream in, OutputTail output, int[] port, CountDownLatch listening) {
        StringBuilder line = new StringBuilder();
        try (in) {
            for (int b; (b = in.read()) >= 0; ) {
                output.write(b);
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                Matcher m = LISTENING.matcher(line);
                if (listening.getCount() > 0 && m.find()) {
                    port[0] = Integer.parseInt(m.group(1));
                    listening.countDown();
                }
                line.setLength(0);
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            listening.countDown();
        }
    }

    /** {@code http://127.0.0.1:PORT}: the registry endpoint to push to. */
    public URI endpoint() {
        return endpoint;
    }

    /** {@code 127.0.0.1:PORT}: the host part of image references in this registry. */
    public String host() {
        return endpoint.getAuthority();
    }

    /** What the registry logged last (for error messages). */
    public String output() {
        return output.text();
    }

    /** Whether the registry process still runs. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** The digest the registry holds for {@code repository:tag}, read from its storage (no HTTP); empty if none. */
    public Optional<String> tagDigest(String repository, String tag) {
        Path link = folder.resolve("data/docker/registry/v2/repositories").resolve(repository)
                .resolve("_manifests/tags").resolve(tag).resolve("current/link");
        try {
            return Files.isRegularFile(link) ? Optional.of(Files.readString(link, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException e) {
            throw new LocalAwsException("cannot read " + link + ": " + e, e);
        }
    }

    /** Stops the registry (closing its input makes its {@code sh} kill it) and deletes its storage. */
    @Override
    public void close() {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            deleteQuietly(folder);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; left for the system to clean
        }
    }

    @Override
    public String toString() {
        return "docker-registry at " + endpoint;
    }
}
