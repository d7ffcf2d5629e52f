package dev.oneclick.tracking;

import static dev.oneclick.tracking.internal.Items.AWS_RESOURCES;
import static dev.oneclick.tracking.internal.Items.CREATED_AT;
import static dev.oneclick.tracking.internal.Items.LAST_ERROR;
import static dev.oneclick.tracking.internal.Items.PROJECT_ID;
import static dev.oneclick.tracking.internal.Items.PROJECT_NAME;
import static dev.oneclick.tracking.internal.Items.STATUS;
import static dev.oneclick.tracking.internal.Items.UPDATED_AT;
import static dev.oneclick.tracking.internal.Items.USER_ID;
import static dev.oneclick.tracking.internal.Items.VERSION;

import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.internal.AttributeValues;
import java.math.BigDecimal;
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
