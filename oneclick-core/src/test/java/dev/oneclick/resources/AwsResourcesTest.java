package dev.oneclick.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsResourcesTest {
    @Test
    void fromJson_whenNumbersInAnyForm_normalisesSoEqualValuesCompareEqual() {
        AwsResources a = AwsResources.fromJson("{\"n\": 5, \"d\": 1.50, \"big\": 123456789012345678901234567890}");
        AwsResources b = AwsResources.builder().put("n", 5).put("d", new BigDecimal("1.5"))
                .put("big", new BigInteger("123456789012345678901234567890")).build();
        assertEquals(a, b);
        assertEquals(5L, a.get("n").orElseThrow());
        assertEquals(new BigDecimal("1.5"), AwsResources.builder().put("d", 1.5d).build().get("d").orElseThrow());
        assertEquals(3L, AwsResources.builder().put("d", new BigDecimal("3.000")).build().get("d").orElseThrow());
    }

    @Test
    void builder_whenNaNOrInfinity_throwsInvalidInputNamingThePath() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AwsResources.builder().put("x", Double.NaN));
        assertEquals("awsResources", e.field());
        assertTrue(e.getMessage().startsWith("$.x is NaN"), e.getMessage());
        InvalidInputException nested = assertThrows(InvalidInputException.class,
                () -> AwsResources.builder().put("m", Map.of("l", List.of(1, Float.NEGATIVE_INFINITY))));
        assertTrue(nested.getMessage().startsWith("$.m.l[1] is -Infinity"), nested.getMessage());
    }

    @Test
    void builder_whenNotAJsonValue_throwsInvalidInputNamingThePath() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AwsResources.fromMap(Map.of("when", java.time.Instant.EPOCH)));
        assertEquals("awsResources", e.field());
        assertTrue(e.getMessage().startsWith("$.when is a java.time.Instant, not a JSON value"), e.getMessage());
    }

    @Test
    void fromJson_whenDuplicateKey_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AwsResources.fromJson("{\"s3Bucket\": \"a\", \"s3Bucket\": \"b\"}"));
        assertEquals("awsResources", e.field());
    }

    @Test
    void fromJson_whenTextFollowsTheObject_throwsInvalidInput() {
        assertEquals("awsResources", assertThrows(InvalidInputException.class,
                () -> AwsResources.fromJson("{\"s3Bucket\": \"a\"} {\"s3Bucket\": \"b\"}")).field());
        assertEquals("awsResources", assertThrows(InvalidInputException.class,
                () -> AwsResources.fromJson("{} trailing")).field());
    }

    @Test
    void fromJson_whenNotAnObject_throwsInvalidInput() {
        assertEquals("awsResources",
                assertThrows(InvalidInputException.class, () -> AwsResources.fromJson("[1]")).field());
    }

    @Test
    void merge_whenBothHaveKeys_otherWins() {
        AwsResources a = AwsResources.builder().s3Bucket("a-bucket").region("us-east-1").build();
        AwsResources b = AwsResources.builder().region("eu-west-1").siteUrl("https://x.example").build();
        AwsResources m = a.merge(b);
        assertEquals(Map.of("s3Bucket", "a-bucket", "region", "eu-west-1", "siteUrl", "https://x.example"), m.asMap());
    }

    @Test
    void accessors_whenKnownKeys_readThem() {
        AwsResources r = AwsResources.builder().s3Bucket("b-1").cloudFrontId("E1").ecrRepositories(List.of("x", "y"))
                .build();
        assertEquals("b-1", r.s3Bucket().orElseThrow());
        assertEquals("E1", r.cloudFrontId().orElseThrow());
        assertEquals(List.of("x", "y"), r.ecrRepositories());
        assertTrue(r.rdsEndpoint().isEmpty());
    }
}
