package dev.oneclick.tracking.internal;

import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The item format of the deployments table and its conversion to {@link DeploymentRecord}. Not public API. */
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

    /**
     * Reads an item, whoever wrote it: attributes that are absent or of an unexpected type read as absent
     * (no status, version 0, empty resources) rather than failing a whole listing.
     */
    public static DeploymentRecord toRecord(Map<String, AttributeValue> item) {
        AttributeValue resources = item.get(AWS_RESOURCES);
        AwsResources r = resources != null && resources.type() == AttributeValue.Type.M
                ? AwsResources.fromMap(AttributeValues.fromMap(resources.m())) : AwsResources.empty();
        return DeploymentRecord.builder()
                .userId(string(item, USER_ID))
                .projectId(string(item, PROJECT_ID))
                .projectName(string(item, PROJECT_NAME))
                .awsResources(r)
                .createdAt(string(item, CREATED_AT))
                .updatedAt(string(item, UPDATED_AT))
                .status(status(string(item, STATUS)))
                .version(version(item.get(VERSION)))
                .lastError(string(item, LAST_ERROR))
                .build();
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && v.type() == AttributeValue.Type.S ? v.s() : null;
    }

    private static DeploymentStatus status(String s) {
        if (s == null) {
            return null;
        }
        for (DeploymentStatus d : DeploymentStatus.values()) {
            if (d.name().equals(s)) {
                return d;
            }
        }
        return null;
    }

    private static long version(AttributeValue v) {
        if (v == null || v.type() != AttributeValue.Type.N) {
            return 0;
        }
        try {
            return new BigDecimal(v.n()).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            return 0;
        }
    }
}
