package dev.oneclick.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.resources.AwsResources;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AttributeValuesTest {
    @Test
    void toAttribute_whenJsonValues_mapsToStringNumberBoolListMap() {
        assertEquals(AttributeValue.fromS("x"), AttributeValues.toAttribute("x", "f", "$"));
        assertEquals(AttributeValue.fromS(""), AttributeValues.toAttribute("", "f", "$"));
        assertEquals(AttributeValue.fromN("42"), AttributeValues.toAttribute(42L, "f", "$"));
        assertEquals(AttributeValue.fromN("42"), AttributeValues.toAttribute(42, "f", "$"));
        assertEquals(AttributeValue.fromN("1.5"), AttributeValues.toAttribute(new BigDecimal("1.50"), "f", "$"));
        assertEquals(AttributeValue.fromN("0.1"), AttributeValues.toAttribute(0.1d, "f", "$"));
        assertEquals(AttributeValue.fromN("0"), AttributeValues.toAttribute(new BigDecimal("0.000"), "f", "$"));
        assertEquals(AttributeValue.fromBool(true), AttributeValues.toAttribute(true, "f", "$"));
        assertEquals(AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromN("1"))),
                AttributeValues.toAttribute(List.of("a", 1L), "f", "$"));
        assertEquals(AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v"))),
                AttributeValues.toAttribute(Map.of("k", "v"), "f", "$"));
        assertNull(AttributeValues.toAttribute(null, "f", "$"));
    }

    @Test
    void toMap_whenNullsInMapsAndLists_dropsMapNullsAndStoresListNullsAsNul() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("a", null);
        in.put("b", new ArrayList<>(Arrays.asList(null, "x", null)));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("gone", null);
        nested.put("kept", 1L);
        in.put("c", nested);
        Map<String, AttributeValue> out = AttributeValues.toMap(in, "awsResources", "$");
        assertEquals(List.of("b", "c"), List.copyOf(out.keySet()));
        assertEquals(List.of(AttributeValue.fromNul(true), AttributeValue.fromS("x"), AttributeValue.fromNul(true)),
                out.get("b").l());
        assertEquals(Map.of("kept", AttributeValue.fromN("1")), out.get("c").m());
    }

    @Test
    void toAttribute_whenMoreThan38Digits_throwsInvalidInputNamingThePath() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AttributeValues.toAttribute(
                new BigInteger("1".repeat(39)), "awsResources", "$.big"));
        assertEquals("awsResources", e.field());
        assertTrue(e.getMessage().startsWith("$.big has 39 significant digits"), e.getMessage());
        assertEquals(AttributeValue.fromN("1".repeat(38)),
                AttributeValues.toAttribute(new BigInteger("1".repeat(38)), "f", "$"));
    }

    @Test
    void toAttribute_whenOutOfDynamoDbRange_throwsInvalidInput() {
        assertThrows(InvalidInputException.class,
                () -> AttributeValues.toAttribute(new BigDecimal("1E+126"), "f", "$.x"));
        assertThrows(InvalidInputException.class,
                () -> AttributeValues.toAttribute(new BigDecimal("1E-131"), "f", "$.x"));
        assertEquals(AttributeValue.fromN("1E+125"), AttributeValues.toAttribute(new BigDecimal("1E+125"), "f", "$"));
        assertEquals(AttributeValue.fromN("1E-130"), AttributeValues.toAttribute(new BigDecimal("1E-130"), "f", "$"));
    }

    @Test
    void toAttribute_whenNaNOrNotJson_throwsInvalidInput() {
        assertThrows(InvalidInputException.class, () -> AttributeValues.toAttribute(Double.NaN, "f", "$.x"));
        assertThrows(InvalidInputException.class,
                () -> AttributeValues.toAttribute(Double.POSITIVE_INFINITY, "f", "$.x"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AttributeValues.toAttribute(new Object(), "awsResources", "$.o"));
        assertTrue(e.getMessage().contains("$.o is a Object"), e.getMessage());
    }

    @Test
    void fromAttribute_whenEveryType_readsPlainValues() {
        assertEquals("s", AttributeValues.fromAttribute(AttributeValue.fromS("s")));
        assertEquals(new BigDecimal("12"), AttributeValues.fromAttribute(AttributeValue.fromN("12")));
        assertEquals(true, AttributeValues.fromAttribute(AttributeValue.fromBool(true)));
        assertNull(AttributeValues.fromAttribute(AttributeValue.fromNul(true)));
        assertEquals(List.of("a", "b"), AttributeValues.fromAttribute(AttributeValue.fromSs(List.of("a", "b"))));
        assertEquals(List.of(new BigDecimal("1")), AttributeValues.fromAttribute(AttributeValue.fromNs(List.of("1"))));
        assertEquals("AQI=", AttributeValues.fromAttribute(AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2}))));
        assertEquals(Arrays.asList("a", null), AttributeValues.fromAttribute(AttributeValue.fromL(List.of(
                AttributeValue.fromS("a"), AttributeValue.fromNul(true)))));
        assertEquals(Map.of("k", "v"), AttributeValues.fromAttribute(AttributeValue.fromM(Map.of(
                "k", AttributeValue.fromS("v"), "n", AttributeValue.fromNul(true)))));
    }

    @Test
    void roundTrip_whenResourcesWithEveryType_comeBackEqual() {
        AwsResources r = AwsResources.fromJson("{\"s3Bucket\":\"b-1\",\"n\":7,\"d\":2.50,\"big\":12345678901234567890123,"
                + "\"neg\":-0.001,\"t\":true,\"l\":[1,\"x\",null,{\"y\":false}],\"m\":{\"a\":{\"b\":\"c\"}}}");
        Map<String, AttributeValue> stored = AttributeValues.toMap(r.asMap(), "awsResources", "$");
        assertEquals(r, AwsResources.fromMap(AttributeValues.fromMap(stored)));
    }
}
