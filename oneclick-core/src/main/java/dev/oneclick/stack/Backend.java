package dev.oneclick.stack;

import dev.oneclick.errors.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The backend of a full-stack deploy: a container image run on ECS Fargate behind an Application Load Balancer that
 * only CloudFront can reach, with an optional database. Immutable; built with {@link #builder()}.
 *
 * <p>The container gets its {@link #environment()} plus these variables, the same locally and on AWS:
 * {@code PORT} (the {@link #containerPort()}), and with a database {@code DB_ENGINE} ({@code postgres} or
 * {@code mysql}), {@code DB_HOST}, {@code DB_PORT}, {@code DB_NAME}, {@code DB_USERNAME} and {@code DB_PASSWORD} (on
 * AWS the last two come from the database's secret in Secrets Manager, through the task definition's {@code secrets},
 * so they never appear in the record, the log or the task definition). These names are reserved.
 */
public final class Backend {
    public static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_HEALTH_CHECK_PATH = "/api/health";
    public static final int DEFAULT_CPU = 256;
    public static final int DEFAULT_MEMORY = 512;

    /** The variables oneclick sets in the container; {@link #environment()} may not use them. */
    public static final Set<String> RESERVED_VARIABLES = Set.of("PORT", "DB_ENGINE", "DB_HOST", "DB_PORT", "DB_NAME",
            "DB_USERNAME", "DB_PASSWORD");

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final Pattern HEALTH_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,1023}");
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    private final ImageSource image;
    private final String baseImage;
    private final int containerPort;
    private final String healthCheckPath;
    private final Map<String, String> environment;
    private final int cpu;
    private final int memory;
    private final int desiredCount;
    private final String executionRoleArn;
    private final List<String> subnetIds;
    private final Database database;
    private final Duration rolloutTimeout;

    private Backend(Builder b) {
        this.image = Objects.requireNonNull(b.image, "image");
        this.baseImage = b.baseImage;
        this.containerPort = b.containerPort;
        this.healthCheckPath = b.healthCheckPath;
        this.environment = Map.copyOf(b.environment);
        this.cpu = b.cpu;
        this.memory = b.memory;
        this.desiredCount = b.desiredCount;
        this.executionRoleArn = b.executionRoleArn;
        this.subnetIds = List.copyOf(b.subnetIds);
        this.database = b.database;
        this.rolloutTimeout = b.rolloutTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Backend of(Consumer<Builder> spec) {
        Builder b = builder();
        spec.accept(b);
        return b.build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Where the image comes from. */
    public ImageSource image() {
        return image;
    }

    /** The base image a jar or classes folder is put on; default {@value #DEFAULT_BASE_IMAGE}. */
    public String baseImage() {
        return baseImage;
    }

    /** The port the backend listens on; default {@value #DEFAULT_PORT}. */
    public int containerPort() {
        return containerPort;
    }

    /** The load balancer's health check path; default {@value #DEFAULT_HEALTH_CHECK_PATH}. */
    public String healthCheckPath() {
        return healthCheckPath;
    }

    /** Extra environment variables for the container, sorted by name. Not for secrets: they show in the task definition. */
    public Map<String, String> environment() {
        return new TreeMap<>(environment);
    }

    /** Fargate CPU units (256 = 0.25 vCPU); default {@value #DEFAULT_CPU}. */
    public int cpu() {
        return cpu;
    }

    /** Fargate memory in MiB; default {@value #DEFAULT_MEMORY}. */
    public int memory() {
        return memory;
    }

    /** How many tasks run; default 1. */
    public int desiredCount() {
        return desiredCount;
    }

    /** A task execution role to use instead of creating one, or null. */
    public String executionRoleArn() {
        return executionRoleArn;
    }

    /** Subnets for the tasks and the load balancer; empty means the default VPC's public subnets. */
    public List<String> subnetIds() {
        return subnetIds;
    }

    /** The database, or null for none. */
    public Database database() {
        return database;
    }

    /** How long a deploy waits for the service's rollout to complete; default 15 minutes. */
    public Duration rolloutTimeout() {
        return rolloutTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Backend b && image.equals(b.image) && baseImage.equals(b.baseImage)
                && containerPort == b.containerPort && healthCheckPath.equals(b.healthCheckPath)
                && environment.equals(b.environment) && cpu == b.cpu && memory == b.memory
                && desiredCount == b.desiredCount && Objects.equals(executionRoleArn, b.executionRoleArn)
                && subnetIds.equals(b.subnetIds) && Objects.equals(database, b.database)
                && rolloutTimeout.equals(b.rolloutTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(image, baseImage, containerPort, healthCheckPath, environment, cpu, memory, desiredCount,
                executionRoleArn, subnetIds, database, rolloutTimeout);
    }

    /** Names the environment variables but not their values. */
    @Override
    public String toString() {
        return "Backend[image=" + image + ", baseImage=" + baseImage + ", port=" + containerPort + ", health="
                + healthCheckPath + ", environment=" + new TreeMap<>(environment).keySet() + ", cpu=" + cpu
                + ", memory=" + memory + ", desiredCount=" + desiredCount + ", subnets=" + subnetIds + ", database="
                + database + "]";
    }

    /**
     * Whether Fargate runs {@code cpu} units with {@code memory} MiB (the combinations AWS documents for Fargate task
     * sizes).
     */
    static boolean fargateSize(int cpu, int memory) {
        return switch (cpu) {
            case 256 -> memory == 512 || memory == 1024 || memory == 2048;
            case 512 -> memory >= 1024 && memory <= 4096 && memory % 1024 == 0;
            case 1024 -> memory >= 2048 && memory <= 8192 && memory % 1024 == 0;
            case 2048 -> memory >= 4096 && memory <= 16384 && memory % 1024 == 0;
            case 4096 -> memory >= 8192 && memory <= 30720 && memory % 1024 == 0;
            case 8192 -> memory >= 16384 && memory <= 61440 && memory % 4096 == 0;
            case 16384 -> memory >= 32768 && memory <= 122880 && memory % 8192 == 0;
            default -> false;
        };
    }

    /** Builds a {@link Backend}; each setter checks its value, {@link #build()} the combination. Not thread-safe. */
    public static final class Builder {
        private ImageSource image;
        private String baseImage = DEFAULT_BASE_IMAGE;
        private int containerPort = DEFAULT_PORT;
        private String healthCheckPath = DEFAULT_HEALTH_CHECK_PATH;
        private Map<String, String> environment = Map.of();
        private int cpu = DEFAULT_CPU;
        private int memory = DEFAULT_MEMORY;
        private int desiredCount = 1;
        private String executionRoleArn;
        private List<String> subnetIds = List.of();
        private Database database;
        private Duration rolloutTimeout = Duration.ofMinutes(15);

        private Builder() {
        }

        private Builder(Backend b) {
            image = b.image;
            baseImage = b.baseImage;
            containerPort = b.containerPort;
            healthCheckPath = b.healthCheckPath;
            environment = b.environment;
            cpu = b.cpu;
            memory = b.memory;
            desiredCount = b.desiredCount;
            executionRoleArn = b.executionRoleArn;
            subnetIds = b.subnetIds;
            database = b.database;
            rolloutTimeout = b.rolloutTimeout;
        }

        public Builder image(ImageSource v) {
            image = Objects.requireNonNull(v, "image");
            return this;
        }

        /** @throws InvalidInputException (field {@code baseImage}) when blank or with spaces */
        public Builder baseImage(String v) {
            if (v == null || v.isBlank() || v.trim().chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidInputException("baseImage", "The base image '" + v + "' is empty or has spaces; "
                        + "give one such as " + DEFAULT_BASE_IMAGE + ".");
            }
            baseImage = v.trim();
            return this;
        }

        /** @throws InvalidInputException (field {@code containerPort}) outside 1 to 65535 */
        public Builder containerPort(int v) {
            if (v < 1 || v > 65535) {
                throw new InvalidInputException("containerPort", "Container port " + v + " is not a TCP port; give "
                        + "1 to 65535 (the port the backend listens on, default " + DEFAULT_PORT + ").");
            }
            containerPort = v;
            return this;
        }

        /** @throws InvalidInputException (field {@code healthCheckPath}) unless a URL path starting with '/' */
        public Builder healthCheckPath(String v) {
            if (v == null || !HEALTH_PATH.matcher(v).matches()) {
                throw new InvalidInputException("healthCheckPath", "The health check path '" + v + "' is not a URL "
                        + "path; give one starting with '/', such as " + DEFAULT_HEALTH_CHECK_PATH + ".");
            }
            healthCheckPath = v;
            return this;
        }

        /**
         * @throws InvalidInputException (field {@code environment}) for a name that is not a variable name, a
         *     {@linkplain #RESERVED_VARIABLES reserved} name, or a null value
         */
        public Builder environment(Map<String, String> v) {
            Objects.requireNonNull(v, "environment");
            for (Map.Entry<String, String> e : v.entrySet()) {
                String k = e.getKey();
                if (k == null || !VARIABLE.matcher(k).matches()) {
                    throw new InvalidInputException("environment", "'" + k + "' is not an environment variable name: "
                            + "use letters, digits and underscores, not starting with a digit.");
                }
                if (RESERVED_VARIABLES.contains(k)) {
                    throw new InvalidInputException("environment", k + " is set by oneclick (" + RESERVED_VARIABLES
                            + " are reserved); remove it from the environment.");
                }
                if (e.getValue() == null) {
                    throw new InvalidInputException("environment", "Environment variable " + k + " has no value.");
                }
            }
            environment = Map.copyOf(v);
            return this;
        }

        public Builder cpu(int v) {
            cpu = v;
            return this;
        }

        public Builder memory(int v) {
            memory = v;
            return this;
        }

        /** @throws InvalidInputException (field {@code desiredCount}) outside 1 to 100 */
        public Builder desiredCount(int v) {
            if (v < 1 || v > 100) {
                throw new InvalidInputException("desiredCount", "Desired count " + v + " is outside 1 to 100.");
            }
            desiredCount = v;
            return this;
        }

        /** @throws InvalidInputException (field {@code executionRoleArn}) unless an IAM role ARN (null: create one) */
        public Builder executionRoleArn(String v) {
            if (v != null && !ROLE_ARN.matcher(v).matches()) {
                throw new InvalidInputException("executionRoleArn", "'" + v + "' is not an IAM role ARN such as "
                        + "arn:aws:iam::123456789012:role/ecsTaskExecutionRole.");
            }
            executionRoleArn = v;
            return this;
        }

        /** @throws InvalidInputException (field {@code subnets}) for an id that is not a subnet id */
        public Builder subnetIds(List<String> v) {
            for (String s : Objects.requireNonNull(v, "subnetIds")) {
                if (s == null || !SUBNET.matcher(s).matches()) {
                    throw new InvalidInputException("subnets", "'" + s + "' is not a subnet id such as "
                            + "subnet-0123456789abcdef0.");
                }
            }
            subnetIds = List.copyOf(v);
            return this;
        }

        /** The database, or null for none. */
        public Builder database(Database v) {
            database = v;
            return this;
        }

        public Builder database(Consumer<Database.Builder> v) {
            return database(Database.of(v));
        }

        public Builder rolloutTimeout(Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new InvalidInputException("rolloutTimeout", "The rollout timeout must be positive.");
            }
            rolloutTimeout = v;
            return this;
        }

        /**
         * @throws InvalidInputException (field {@code image}) without an image source, (field {@code cpu}) when the
         *     CPU and memory are not a Fargate task size
         */
        public Backend build() {
            if (image == null) {
                throw new InvalidInputException("image", "The backend has no image source; give a jar, a classes "
                        + "folder with a main class, a folder with a Dockerfile, or an existing image.");
            }
            if (!fargateSize(cpu, memory)) {
                throw new InvalidInputException("cpu", "CPU " + cpu + " with memory " + memory + " MiB is not a "
                        + "Fargate task size; for example 256 CPU with 512, 1024 or 2048 MiB, 512 with 1024-4096, "
                        + "1024 with 2048-8192 (in steps of 1024).");
            }
            return new Backend(this);
        }
    }
}
