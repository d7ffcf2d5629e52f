package dev.oneclick.examples.backend;

import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Runs the {@link ReferenceBackend} until it is stopped. Settings come from {@code --name=value} arguments or
 * environment variables: {@code --port} / {@code ONECLICK_PORT} (default 8082), {@code --dynamodb-endpoint} /
 * {@code ONECLICK_DYNAMODB_ENDPOINT} (default: AWS), {@code --region} / {@code AWS_REGION} (default us-east-1),
 * {@code --table} / {@code ONECLICK_TABLE} (default tmux-deployments), {@code --replay-table} /
 * {@code ONECLICK_REPLAY_TABLE} (default tmux-deployments-replay), {@code --events-table} /
 * {@code ONECLICK_EVENTS_TABLE} (default tmux-deployments-events, the WebSocket fan-out across instances; {@code off}
 * turns it off), {@code --projects-root} /
 * {@code ONECLICK_PROJECTS_ROOT} (required), {@code --public-url} / {@code ONECLICK_PUBLIC_URL} (the URL rendered
 * into notify.sh), {@code --dev-login} / {@code ONECLICK_DEV_LOGIN} (true enables sign-in by user id).
 *
 * <p>The master key (at least 32 characters) comes from the environment variable {@code ONECLICK_MASTER_KEY} or
 * from a file, {@code --master-key-file} / {@code ONECLICK_MASTER_KEY_FILE} (its first line), <em>never</em> from
 * an argument: any local user sees a process's arguments ({@code ps}).
 */
public final class BackendMain {
    private static final Logger LOG = LoggerFactory.getLogger(BackendMain.class);

    private BackendMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = options(args);
        String root = setting(opts, "projects-root", "ONECLICK_PROJECTS_ROOT", null);
        if (root == null) {
            throw new IllegalArgumentException("set ONECLICK_PROJECTS_ROOT or --projects-root (a folder for project "
                    + "folders)");
        }
        byte[] masterKey = masterKey(setting(opts, "master-key-file", "ONECLICK_MASTER_KEY_FILE", null),
                System.getenv("ONECLICK_MASTER_KEY"));
        int port = Integer.parseInt(setting(opts, "port", "ONECLICK_PORT", "8082"));
        DynamoDbClient client = dynamoDb(setting(opts, "dynamodb-endpoint", "ONECLICK_DYNAMODB_ENDPOINT", null),
                setting(opts, "region", "AWS_REGION", "us-east-1"));
        DynamoDbReplayGuard replay = new DynamoDbReplayGuard(client,
                setting(opts, "replay-table", "ONECLICK_REPLAY_TABLE", DynamoDbReplayGuard.DEFAULT_TABLE))
                .ensureTable();
        ReferenceBackend backend = ReferenceBackend.builder().dynamoDbClient(client)
                .tableName(setting(opts, "table", "ONECLICK_TABLE", DeploymentTracker.DEFAULT_TABLE))
                .masterKey(masterKey).projectsRoot(Path.of(root)).replayGuard(replay)
                .notifyKeysTable(replay.tableName())
                .eventsTable(eventsTable(setting(opts, "events-table", "ONECLICK_EVENTS_TABLE",
                        EventFanOut.DEFAULT_TABLE)))
                .publicUrl(setting(opts, "public-url", "ONECLICK_PUBLIC_URL", null))
                .devLogin(Boolean.parseBoolean(setting(opts, "dev-login", "ONECLICK_DEV_LOGIN", "false")))
                .build().start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backend.close();
            client.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    /** The events table of the WebSocket fan-out across instances, or null when turned off ({@code off}). */
    static String eventsTable(String setting) {
        return "off".equalsIgnoreCase(setting) ? null : setting;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + a + "; use --name=value");
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
            if (name.equals("master-key")) {
                throw new IllegalArgumentException("the master key is never taken from the command line (any local "
                        + "user sees it with ps); set ONECLICK_MASTER_KEY or --master-key-file=<file>");
            }
            opts.put(name, eq < 0 ? "true" : a.substring(eq + 1));
        }
        return opts;
    }

    /** The master key: the file's first line when a file is named, else the environment variable's value. */
    static byte[] masterKey(String file, String env) {
        String key;
        if (file != null) {
            Path p = Path.of(file);
            try {
                key = Files.readAllLines(p, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
                warnIfOthersCanRead(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the master key file " + p, e);
            }
        } else {
            key = env == null ? "" : env.strip();
        }
        if (key.length() < 32) {
            throw new IllegalArgumentException("the master key is missing or shorter than 32 characters: set "
                    + "ONECLICK_MASTER_KEY or --master-key-file=<file> (for example a file holding `openssl rand "
                    + "-hex 32`, mode 600)");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static void warnIfOthersCanRead(Path p) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("the master key file {} can be read by other users; chmod 600 it", p);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static DynamoDbClient dynamoDb(String endpoint, String region) {
        DynamoDbClientBuilder db = DynamoDbClient.builder().region(Region.of(region))
                .overrideConfiguration(o -> o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
                        .apiCallTimeout(Duration.ofSeconds(10)));
        if (endpoint != null) {
            db.endpointOverride(URI.create(endpoint));
            if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
                db.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            }
        } else {
            db.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return db.build();
    }

    private static String setting(Map<String, String> opts, String arg, String env, String fallback) {
        String v = opts.get(arg);
        if (v == null) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }
}
