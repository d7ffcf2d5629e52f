package dev.oneclick.tracking.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The attribute names and timestamp format of the deployments table. Not public API. */
public final class Items {
    public static final String USER_ID = "userId";
    public static final String PROJECT_ID = "projectId";
    public static final String PROJECT_NAME = "projectName";
    public static final String AWS_RESOURCES = "awsResources";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String STATUS = "status";
    public static final String VERSION = "version";
    public static final String LAST_ERROR = "lastError";
    /** What the deploy engine created itself (a map like awsResources); never written by resources events. */
    public static final String ONECLICK_RESOURCES = "oneclickResources";
    /** The lease of the run holding the project: its random id, its holder, its expiry (epoch milliseconds). */
    public static final String LEASE_RUN_ID = "leaseRunId";
    public static final String LEASE_HOLDER = "leaseHolder";
    public static final String LEASE_EXPIRES_AT = "leaseExpiresAt";

    /** Fixed width (microseconds, like Python's isoformat) so stored timestamps sort as text; UTC with Z. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Items() {
    }

    /** An ISO-8601 UTC timestamp with microseconds and a Z, e.g. {@code 2025-01-02T03:04:05.123456Z}. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    public static Map<String, AttributeValue> key(String userId, String projectId) {
        return Map.of(USER_ID, AttributeValue.fromS(userId), PROJECT_ID, AttributeValue.fromS(projectId));
    }
}
