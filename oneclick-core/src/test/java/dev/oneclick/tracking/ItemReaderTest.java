package dev.oneclick.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemReaderTest {
    @Test
    void toRecord_whenPythonItem_readsVersionZeroAndNoStatus() {
        DeploymentRecord r = ItemReader.toRecord(Map.of(
                "userId", AttributeValue.fromS("u"), "projectId", AttributeValue.fromS("p"),
                "projectName", AttributeValue.fromS("n"),
                "awsResources", AttributeValue.fromM(Map.of("s3Bucket", AttributeValue.fromS("b"))),
                "createdAt", AttributeValue.fromS("2025-01-02T03:04:05.123456"),
                "updatedAt", AttributeValue.fromS("2025-01-02T03:04:05.123456")));
        assertEquals(0, r.version());
        assertTrue(r.status().isEmpty());
        assertEquals("b", r.awsResources().s3Bucket().orElseThrow());
        assertEquals(Instant.parse("2025-01-02T03:04:05.123456Z"), r.updatedInstant().orElseThrow());
    }

    @Test
    void toRecord_whenAttributesOfUnexpectedTypes_readsThemAsAbsent() {
        DeploymentRecord r = ItemReader.toRecord(Map.of(
                "userId", AttributeValue.fromS("u"), "projectId", AttributeValue.fromS("p"),
                "awsResources", AttributeValue.fromS("{\"s3Bucket\":\"b\"}"),
                "status", AttributeValue.fromS("SOMETHING_NEWER"),
                "version", AttributeValue.fromS("7"),
                "createdAt", AttributeValue.fromS("yesterday")));
        assertTrue(r.awsResources().isEmpty());
        assertTrue(r.status().isEmpty());
        assertEquals(0, r.version());
        assertEquals("yesterday", r.createdAt());
        assertTrue(r.createdInstant().isEmpty());
    }

    @Test
    void toRecord_whenOneclickItem_readsStatusVersionAndError() {
        DeploymentRecord r = ItemReader.toRecord(Map.of(
                "userId", AttributeValue.fromS("u"), "projectId", AttributeValue.fromS("p"),
                "status", AttributeValue.fromS("FAILED"), "version", AttributeValue.fromN("12"),
                "lastError", AttributeValue.fromS("denied"),
                "updatedAt", AttributeValue.fromS("2025-01-02T03:04:05.123456+02:00")));
        assertEquals(DeploymentStatus.FAILED, r.status().orElseThrow());
        assertEquals(12, r.version());
        assertEquals("denied", r.lastError().orElseThrow());
        assertEquals(Instant.parse("2025-01-02T01:04:05.123456Z"), r.updatedInstant().orElseThrow());
    }
}
