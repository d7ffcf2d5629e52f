package dev.oneclick.stack;

import dev.oneclick.errors.InvalidInputException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The backend's optional database: an RDS instance (not publicly accessible, encrypted, its master password managed
 * by RDS in Secrets Manager) reachable only from the backend's tasks, handed to them as the variables
 * {@code DB_ENGINE}, {@code DB_HOST}, {@code DB_PORT}, {@code DB_NAME} and the secrets {@code DB_USERNAME},
 * {@code DB_PASSWORD} (see {@link Backend}). Immutable; built with {@link #builder()}.
 */
public final class Database {
    /** The database engines. */
    public enum Engine {
        POSTGRES("postgres", 5432),
        MYSQL("mysql", 3306);

        private final String rdsName;
        private final int port;

        Engine(String rdsName, int port) {
            this.rdsName = rdsName;
            this.port = port;
        }

        /** The engine's name in the RDS API. */
        public String rdsName() {
            return rdsName;
        }

        /** The engine's default port. */
        public int port() {
            return port;
        }

        /**
         * Parses {@code postgres}/{@code postgresql} or {@code mysql} (any case).
         *
         * @throws InvalidInputException (field {@code database}) for anything else
         */
        public static Engine parse(String value) {
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "postgres", "postgresql" -> POSTGRES;
                case "mysql" -> MYSQL;
                default -> throw new InvalidInputException("database", "Unknown database engine '" + value
                        + "': give 'postgres' or 'mysql' (or 'none' for no database).");
            };
        }
    }

    public static final String DEFAULT_INSTANCE_CLASS = "db.t4g.micro";
    public static final int DEFAULT_STORAGE_GIB = 20;
    public static final String DEFAULT_NAME = "app";

    private static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern DB_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private final Engine engine;
    private final String instanceClass;
    private final int storageGiB;
    private final String name;

    private Database(Builder b) {
        this.engine = b.engine;
        this.instanceClass = b.instanceClass;
        this.storageGiB = b.storageGiB;
        this.name = b.name;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Database of(Consumer<Builder> spec) {
        Builder b = builder();
        spec.accept(b);
        return b.build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public Engine engine() {
        return engine;
    }

    /** The RDS instance class; default {@value #DEFAULT_INSTANCE_CLASS}. */
    public String instanceClass() {
        return instanceClass;
    }

    /** Allocated storage in GiB; default {@value #DEFAULT_STORAGE_GIB}. */
    public int storageGiB() {
        return storageGiB;
    }

    /** The database created in the instance; default {@value #DEFAULT_NAME}. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Database d && engine == d.engine && instanceClass.equals(d.instanceClass)
                && storageGiB == d.storageGiB && name.equals(d.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(engine, instanceClass, storageGiB, name);
    }

    @Override
    public String toString() {
        return engine.rdsName() + " " + instanceClass + " " + storageGiB + " GiB, database " + name;
    }

    /** Builds a {@link Database}; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private Engine engine = Engine.POSTGRES;
        private String instanceClass = DEFAULT_INSTANCE_CLASS;
        private int storageGiB = DEFAULT_STORAGE_GIB;
        private String name = DEFAULT_NAME;

        private Builder() {
        }

        private Builder(Database d) {
            engine = d.engine;
            instanceClass = d.instanceClass;
            storageGiB = d.storageGiB;
            name = d.name;
        }

        public Builder engine(Engine v) {
            engine = Objects.requireNonNull(v, "engine");
            return this;
        }

        /** @throws InvalidInputException (field {@code dbInstanceClass}) unless it looks like {@code db.t4g.micro} */
        public Builder instanceClass(String v) {
            if (v == null || !INSTANCE_CLASS.matcher(v.trim()).matches()) {
                throw new InvalidInputException("dbInstanceClass", "'" + v + "' is not an RDS instance class; give "
                        + "one such as db.t4g.micro or db.m7g.large.");
            }
            instanceClass = v.trim();
            return this;
        }

        /** @throws InvalidInputException (field {@code dbStorage}) outside 20 to 65536 GiB (RDS's gp2/gp3 range) */
        public Builder storageGiB(int v) {
            if (v < 20 || v > 65536) {
                throw new InvalidInputException("dbStorage", "Database storage " + v + " GiB is outside what RDS "
                        + "allows for PostgreSQL and MySQL (20 to 65536 GiB).");
            }
            storageGiB = v;
            return this;
        }

        /** @throws InvalidInputException (field {@code dbName}) unless a letter then up to 62 letters, digits, _ */
        public Builder name(String v) {
            if (v == null || !DB_NAME.matcher(v).matches()) {
                throw new InvalidInputException("dbName", "'" + v + "' is not a valid database name: start with a "
                        + "letter, then up to 62 letters, digits or underscores.");
            }
            name = v;
            return this;
        }

        public Database build() {
            return new Database(this);
        }
    }
}
