package dev.oneclick.tracking;

import static dev.oneclick.tracking.internal.Items.AWS_RESOURCES;
import static dev.oneclick.tracking.internal.Items.CREATED_AT;
import static dev.oneclick.tracking.internal.Items.LAST_ERROR;
import static dev.oneclick.tracking.internal.Items.LEASE_EXPIRES_AT;
import static dev.oneclick.tracking.internal.Items.LEASE_HOLDER;
import static dev.oneclick.tracking.internal.Items.LEASE_RUN_ID;
import static dev.oneclick.tracking.internal.Items.ONECLICK_RESOURCES;
import static dev.oneclick.tracking.internal.Items.PROJECT_ID;
import static dev.oneclick.tracking.internal.Items.PROJECT_NAME;
import static dev.oneclick.tracking.internal.Items.STATUS;
import static dev.oneclick.tracking.internal.Items.UPDATED_AT;
import static dev.oneclick.tracking.internal.Items.USER_ID;
import static dev.oneclick.tracking.internal.Items.VERSION;

import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.internal.AttributeValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads items of the deployments table into records. */
final class ItemReader {
    private ItemReader() {
    }

    /**
     * Reads an item, whoever wrote it: attributes that are absent or of an unexpected type read as absent
     * (no status, version 0, empty resources) rather than failing a whole listing.
     */
    static DeploymentRecord toRecord(Map<String, AttributeValue> item) {
        return DeploymentRecord.builder()
                .userId(string(item, USER_ID))
                .projectId(string(item, PROJECT_ID))
                .projectName(string(item, PROJECT_NAME))
                .awsResources(resources(item.get(AWS_RESOURCES)))
                .oneclickResources(resources(item.get(ONECLICK_RESOURCES)))
                .lease(lease(item))
                .createdAt(string(item, CREATED_AT))
                .updatedAt(string(item, UPDATED_AT))
                .status(status(string(item, STATUS)))
                .version(version(item.get(VERSION)))
                .lastError(string(item, LAST_ERROR))
                .build();
    }

    private static AwsResources resources(AttributeValue v) {
        return v != null && v.type() == AttributeValue.Type.M ? AwsResources.fromMap(AttributeValues.fromMap(v.m()))
                : AwsResources.empty();
    }

    private static DeploymentRecord.Lease lease(Map<String, AttributeValue> item) {
        String runId = string(item, LEASE_RUN_ID);
        AttributeValue expires = item.get(LEASE_EXPIRES_AT);
        if (runId == null || expires == null || expires.type() != AttributeValue.Type.N) {
            return null;
        }
        try {
            return new DeploymentRecord.Lease(runId, string(item, LEASE_HOLDER),
                    Instant.ofEpochMilli(new BigDecimal(expires.n()).longValueExact()));
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
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
