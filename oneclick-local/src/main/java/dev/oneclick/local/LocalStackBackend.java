package dev.oneclick.local;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * LocalStack in a Docker container through Testcontainers. Only used where a Docker engine answers.
 *
 * <p>The image is pinned to {@value #IMAGE}, the last LocalStack release that starts without an account; when the
 * environment has {@code LOCALSTACK_AUTH_TOKEN} it is passed on, so a newer licensed image can be used by changing
 * the constant.
 */
final class LocalStackBackend implements AutoCloseable {

    /** The LocalStack image, pinned in this one place. */
    static final String IMAGE = "localstack/localstack:4.14.0";

    private static final Logger LOG = LoggerFactory.getLogger(LocalStackBackend.class);

    private final LocalStackContainer container;

    private LocalStackBackend(LocalStackContainer container) {
        this.container = container;
    }

    /**
     * True when Testcontainers finds a Docker engine that answers; never throws. On Linux without any sign of Docker
     * (no {@code DOCKER_HOST}, Docker context or Testcontainers settings, no known socket file) it answers false
     * without asking Testcontainers, which would log an alarming ERROR on every test run of a machine without Docker.
     */
    static boolean isDockerAvailable() {
        if (!mayHaveDocker()) {
            LOG.debug("no Docker socket, DOCKER_HOST or Testcontainers settings found");
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Docker check failed", e);
            return false;
        }
    }

    /** Cheap look for any sign of a Docker engine; true whenever unsure (non-Linux, settings present). */
    static boolean mayHaveDocker() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (!os.contains("linux")) {
            return true;
        }
        for (String variable : List.of("DOCKER_HOST", "DOCKER_CONTEXT", "TESTCONTAINERS_HOST_OVERRIDE",
                "TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE")) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return true;
            }
        }
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> signs = new ArrayList<>(List.of(
                home.resolve(".testcontainers.properties"),
                Path.of("/var/run/docker.sock"),
                Path.of("/run/docker.sock"),
                Path.of("/run/podman/podman.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".rd/docker.sock")));
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank()) {
            signs.add(Path.of(runtimeDir, "docker.sock"));
            signs.add(Path.of(runtimeDir, "podman", "podman.sock"));
        }
        if (Files.isRegularFile(home.resolve(".docker/config.json"))) {
            try {
                if (Files.readString(home.resolve(".docker/config.json")).contains("\"currentContext\"")) {
                    return true;
                }
            } catch (java.io.IOException | RuntimeException e) {
                return true;
            }
        }
        return signs.stream().anyMatch(Files::exists);
    }

    /**
     * Starts a LocalStack container serving the given services.
     *
     * @throws LocalAwsException when the container cannot start
     */
    @SuppressWarnings("resource")
    static LocalStackBackend start(boolean s3, boolean dynamoDb) {
        List<String> services = new ArrayList<>();
        if (s3) {
            services.add("s3");
        }
        if (dynamoDb) {
            services.add("dynamodb");
        }
        if (!mayHaveDocker()) {
            throw new LocalAwsException("the localstack backend needs a Docker engine, but none was found (no"
                    + " DOCKER_HOST, Docker context, Testcontainers settings or Docker socket). Start Docker, or use "
                    + LocalAws.BACKEND_ENV + "=emulators (needs Node.js " + Dynalite.MIN_NODE_MAJOR + "+).");
        }
        LocalStackContainer container = null;
        try {
            container = new LocalStackContainer(DockerImageName.parse(IMAGE))
                    .withServices(services.toArray(String[]::new));
            String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
            if (token != null && !token.isBlank()) {
                container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
            }
            container.start();
        } catch (RuntimeException e) {
            if (container != null) {
                container.close();
            }
            throw new LocalAwsException("cannot start LocalStack (" + IMAGE + ") with Docker: " + e.getMessage()
                    + ". Check that a Docker engine runs and can pull the image, or use "
                    + LocalAws.BACKEND_ENV + "=emulators (needs Node.js " + Dynalite.MIN_NODE_MAJOR + "+).", e);
        }
        return new LocalStackBackend(container);
    }

    URI endpoint() {
        return container.getEndpoint();
    }

    Region region() {
        return Region.of(container.getRegion());
    }

    AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "LocalStack " + IMAGE + " at " + endpoint();
    }
}
