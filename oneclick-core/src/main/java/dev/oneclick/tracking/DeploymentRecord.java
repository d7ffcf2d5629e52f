package dev.oneclick.tracking;

import dev.oneclick.resources.AwsResources;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of the deployments table: the plan's attributes ({@code userId}, {@code projectId},
 * {@code projectName}, {@code awsResources}, {@code createdAt}, {@code updatedAt}) and oneclick's own
 * ({@code status}, {@code version}, {@code lastError}, {@code oneclickResources}, the lease). Items written by the plan's Python client have no
 * status (empty), version 0 and timestamps without a zone; they read back as they are.
 *
 * <p>{@link #awsResources()} is what the user sees: the deploy engine writes the plan's keys there, and so do the
 * project's {@code resources} events. {@link #oneclickResources()} is written only by the engine: the ids of what it
 * created itself. The engine acts only on the latter (and checks ownership even then); reported values are shown,
 * never acted on.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeploymentRecord {
    private final String userId;
    private final String projectId;
    private final String projectName;
    private final AwsResources awsResources;
    private final String createdAt;
    private final String updatedAt;
    private final DeploymentStatus status;
    private final long version;
    private final String lastError;
    private final AwsResources oneclickResources;
    private final Lease lease;

    private DeploymentRecord(Builder b) {
        this.userId = Objects.requireNonNull(b.userId, "userId");
        this.projectId = Objects.requireNonNull(b.projectId, "projectId");
        this.projectName = b.projectName;
        this.awsResources = b.awsResources == null ? AwsResources.empty() : b.awsResources;
        this.createdAt = b.createdAt;
        this.updatedAt = b.updatedAt;
        this.status = b.status;
        this.version = b.version;
        this.lastError = b.lastError;
        this.oneclickResources = b.oneclickResources == null ? AwsResources.empty() : b.oneclickResources;
        this.lease = b.lease;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.userId = userId;
        b.projectId = projectId;
        b.projectName = projectName;
        b.awsResources = awsResources;
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        b.status = status;
        b.version = version;
        b.lastError = lastError;
        b.oneclickResources = oneclickResources;
        b.lease = lease;
        return b;
    }

    public String userId() {
        return userId;
    }

    /** The project GUID. */
    public String projectId() {
        return projectId;
    }

    public String projectName() {
        return projectName;
    }

    public AwsResources awsResources() {
        return awsResources;
    }

    /** ISO-8601 as stored; may lack a zone when written by the plan's Python client. */
    public String createdAt() {
        return createdAt;
    }

    public String updatedAt() {
        return updatedAt;
    }

    /**
     * {@link #createdAt()} as an instant; a timestamp without a zone (as the plan's Python client writes with
     * {@code datetime.utcnow().isoformat()}) is read as UTC. Empty when absent or not ISO-8601.
     */
    public Optional<Instant> createdInstant() {
        return parseInstant(createdAt);
    }

    /** {@link #updatedAt()} as an instant, read like {@link #createdInstant()}. */
    public Optional<Instant> updatedInstant() {
        return parseInstant(updatedAt);
    }

    static Optional<Instant> parseInstant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    /** Empty for items written by a client that does not track status. */
    public Optional<DeploymentStatus> status() {
        return Optional.ofNullable(status);
    }

    /** The optimistic-locking version; 0 for an item without one. */
    public long version() {
        return version;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * What the deploy engine itself created and recorded (never written by {@code resources} events); empty for
     * records written before oneclick kept it, or by other clients.
     */
    public AwsResources oneclickResources() {
        return oneclickResources;
    }

    /** The lease of the run holding the project (it may have expired); empty when none holds it. */
    public Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    /**
     * A run's hold on the project: one deploy or destroy at a time.
     *
     * @param runId the run's random id
     * @param holder who runs it, such as {@code deploy by 4242@ci-runner}
     * @param expiresAt when the lease lapses unless renewed
     */
    public record Lease(String runId, String holder, Instant expiresAt) {
        public Lease {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        /** Whether the lease has lapsed at {@code now}. */
        public boolean expiredAt(Instant now) {
            return !expiresAt.isAfter(now);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeploymentRecord r)) {
            return false;
        }
        return version == r.version && userId.equals(r.userId) && projectId.equals(r.projectId)
                && Objects.equals(projectName, r.projectName) && awsResources.equals(r.awsResources)
                && Objects.equals(createdAt, r.createdAt) && Objects.equals(updatedAt, r.updatedAt)
                && status == r.status && Objects.equals(lastError, r.lastError)
                && oneclickResources.equals(r.oneclickResources) && Objects.equals(lease, r.lease);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, projectId, version);
    }

    @Override
    public String toString() {
        return "DeploymentRecord[userId=" + userId + ", projectId=" + projectId + ", projectName=" + projectName
                + ", status=" + status + ", version=" + version + ", createdAt=" + createdAt + ", updatedAt="
                + updatedAt + ", awsResources=" + awsResources.toJson()
                + (lastError == null ? "" : ", lastError=" + lastError)
                + (oneclickResources.isEmpty() ? "" : ", oneclickResources=" + oneclickResources.toJson())
                + (lease == null ? "" : ", lease=" + lease) + "]";
    }

    /** Builds a {@link DeploymentRecord}. Not thread-safe. */
    public static final class Builder {
        private String userId;
        private String projectId;
        private String projectName;
        private AwsResources awsResources;
        private String createdAt;
        private String updatedAt;
        private DeploymentStatus status;
        private long version;
        private String lastError;
        private AwsResources oneclickResources;
        private Lease lease;

        private Builder() {
        }

        public Builder userId(String v) {
            this.userId = v;
            return this;
        }

        public Builder projectId(String v) {
            this.projectId = v;
            return this;
        }

        public Builder projectName(String v) {
            this.projectName = v;
            return this;
        }

        public Builder awsResources(AwsResources v) {
            this.awsResources = v;
            return this;
        }

        public Builder createdAt(String v) {
            this.createdAt = v;
            return this;
        }

        public Builder updatedAt(String v) {
            this.updatedAt = v;
            return this;
        }

        public Builder status(DeploymentStatus v) {
            this.status = v;
            return this;
        }

        public Builder version(long v) {
            this.version = v;
            return this;
        }

        public Builder lastError(String v) {
            this.lastError = v;
            return this;
        }

        public Builder oneclickResources(AwsResources v) {
            this.oneclickResources = v;
            return this;
        }

        public Builder lease(Lease v) {
            this.lease = v;
            return this;
        }

        public DeploymentRecord build() {
            return new DeploymentRecord(this);
        }
    }
}
