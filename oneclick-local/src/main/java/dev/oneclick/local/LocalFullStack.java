package dev.oneclick.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A full stack run on this machine, the local stand-in for CloudFront + ALB + ECS + RDS: an optional
 * {@link LocalPostgres} (data kept in {@code <stateDir>/postgres}), the {@link BackendProcess} with the database's
 * {@code DB_*} variables, and one {@link LocalSitePreview} serving the frontend's bucket with {@code /api/*}
 * forwarded to the backend by an {@link ApiProxy}. {@link #close()} stops them in reverse order. Thread-safe.
 *
 * <pre>{@code
 * try (LocalFullStack stack = LocalFullStack.builder().stateDir(dir)
 *         .preview(p -> p.s3Client(s3).bucket(bucket)).backend(b -> b.jar(jar).healthPath("/api/health")).database("app").start()) {
 *     stack.previewUrl(); // the page, and /api/* answered by the backend
 * }
 * }</pre>
 */
public final class LocalFullStack implements AutoCloseable {
    private final LocalPostgres database;
    private final BackendProcess backend;
    private final LocalSitePreview preview;

    private LocalFullStack(LocalPostgres database, BackendProcess backend, LocalSitePreview preview) {
        this.database = database;
        this.backend = backend;
        this.preview = preview;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The preview's URL: the frontend, and the backend under {@code /api/}. */
    public URI previewUrl() {
        return preview.url();
    }

    /** The backend's own URL (without the preview in front). */
    public URI backendUrl() {
        return backend.url();
    }

    public BackendProcess backend() {
        return backend;
    }

    /** The database, or null when none was asked for. */
    public LocalPostgres database() {
        return database;
    }

    public LocalSitePreview preview() {
        return preview;
    }

    /** Stops the preview, the backend and the database (its data stays). */
    @Override
    public void close() {
        try {
            preview.close();
        } finally {
            try {
                backend.close();
            } finally {
                if (database != null) {
                    database.close();
                }
            }
        }
    }

    /** Settings of a {@link LocalFullStack}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private Path stateDir;
        private final LocalSitePreview.Builder preview = LocalSitePreview.builder();
        private String databaseName;
        private final BackendProcess.Builder backend = BackendProcess.builder();
        private Duration apiTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The folder for the database's data and the logs (required). */
        public Builder stateDir(Path v) {
            stateDir = Objects.requireNonNull(v, "stateDir");
            return this;
        }

        /**
         * The preview: the frontend's bucket and S3 client (no bucket: a backend without a frontend), its port,
         * fallback and index document. Its API proxy is set by {@link #start()}.
         */
        public Builder preview(Consumer<LocalSitePreview.Builder> v) {
            v.accept(preview);
            return this;
        }

        /** The backend: a jar or classes folder, its health path, port and environment. */
        public Builder backend(Consumer<BackendProcess.Builder> v) {
            v.accept(backend);
            return this;
        }

        /** A PostgreSQL database of this name for the backend; null (the default) for none. */
        public Builder database(String v) {
            databaseName = v;
            return this;
        }

        /** How long the preview waits for the backend's answer to an {@code /api/*} request; default 60 s. */
        public Builder apiTimeout(Duration v) {
            apiTimeout = Objects.requireNonNull(v, "apiTimeout");
            return this;
        }

        /**
         * Starts the database (if any), the backend (waiting for its health path) and the preview.
         *
         * @throws LocalAwsException when a part does not start; what started is stopped again
         */
        public LocalFullStack start() {
            Objects.requireNonNull(stateDir, "stateDir");
            LocalPostgres db = null;
            BackendProcess process = null;
            try {
                if (databaseName != null) {
                    db = LocalPostgres.builder().directory(stateDir.resolve("postgres")).databaseName(databaseName)
                            .start();
                    backend.environment(db.environment());
                }
                backend.logFile(stateDir.resolve("backend.log"));
                process = backend.start();
                LocalSitePreview p = preview.apiProxy(new ApiProxy(process.url(), apiTimeout)).start();
                return new LocalFullStack(db, process, p);
            } catch (RuntimeException e) {
                if (process != null) {
                    process.close();
                }
                if (db != null) {
                    db.close();
                }
                throw e;
            }
        }
    }
}
