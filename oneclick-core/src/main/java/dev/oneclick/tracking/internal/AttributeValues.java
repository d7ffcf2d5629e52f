package dev.oneclick.tracking.internal;

import dev.oneclick.errors.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts plain JSON values (as held by {@code AwsResources}) to DynamoDB attribute values and back: strings S,
 * numbers N, booleans BOOL, lists L, maps M. A null map value is dropped (a record holds no null values); a null
 * list element is stored as NULL and read back as null, so list positions survive a round trip, as boto3 stores
 * {@code None}. Not part of the public API.
 */
public final class AttributeValues {
    /** DynamoDB keeps at most 38 significant digits. */
    private static final int MAX_DIGITS = 38;

    private AttributeValues() {
    }

    /** A JSON object as a DynamoDB map value ({@code M}). */
    public static AttributeValue map(Map<String, ?> values, String field) {
        return AttributeValue.fromM(toMap(values, field, "$"));
    }

    /** The entries of a JSON object as DynamoDB attribute values, nulls dropped. */
    public static Map<String, AttributeValue> toMap(Map<String, ?> values, String field, String path) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            AttributeValue a = toAttribute(v, field, path + "." + k);
            if (a != null) {
                out.put(k, a);
            }
        });
        return out;
    }

    /**
     * One JSON value as a DynamoDB attribute value; {@code null} for a JSON null.
     *
     * @throws InvalidInputException (the given field) for a number DynamoDB cannot store or a non-JSON value
     */
    public static AttributeValue toAttribute(Object value, String field, String path) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return AttributeValue.fromS(s);
        }
        if (value instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        if (value instanceof Number n) {
            return AttributeValue.fromN(number(n, field, path));
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, AttributeValue> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                AttributeValue a = toAttribute(v, field, path + "." + k);
                if (a != null) {
                    out.put(String.valueOf(k), a);
                }
            });
            return AttributeValue.fromM(out);
        }
        if (value instanceof List<?> list) {
            List<AttributeValue> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                AttributeValue a = toAttribute(list.get(i), field, path + "[" + i + "]");
                out.add(a == null ? AttributeValue.fromNul(true) : a);
            }
            return AttributeValue.fromL(out);
        }
        throw new InvalidInputException(field, path + " is a " + value.getClass().getSimpleName()
                + ", not a JSON value (string, number, boolean, list or map).");
    }

    private static String number(Number n, String field, String path) {
        BigDecimal d;
        if (n instanceof BigDecimal bd) {
            d = bd;
        } else if (n instanceof BigInteger bi) {
            d = new BigDecimal(bi);
        } else if (n instanceof Double || n instanceof Float) {
            double v = n.doubleValue();
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new InvalidInputException(field, path + " is " + v + ", which is not a JSON number.");
            }
            d = new BigDecimal(n.toString());
        } else {
            d = BigDecimal.valueOf(n.longValue());
        }
        if (d.signum() == 0) {
            return "0";
        }
        d = d.stripTrailingZeros();
        if (d.precision() > MAX_DIGITS) {
            throw new InvalidInputException(field, path + " has " + d.precision()
                    + " significant digits; DynamoDB stores at most 38. Store it as a string instead.");
        }
        // magnitude: DynamoDB accepts 1E-130 up to 9.9999999999999999999999999999999999999E+125
        int exponent = d.precision() - d.scale() - 1;
        if (exponent > 125 || exponent < -130) {
            throw new InvalidInputException(field, path + " is " + d + ", outside the range DynamoDB can store "
                    + "(1E-130 to 9.99E+125 in magnitude). Store it as a string instead.");
        }
        return d.toString();
    }

    /** A DynamoDB map as plain JSON values. */
    public static Map<String, Object> fromMap(Map<String, AttributeValue> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            Object o = fromAttribute(v);
            if (o != null) {
                out.put(k, o);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * A DynamoDB attribute value as a plain JSON value: S string, N number ({@link BigDecimal}), BOOL boolean,
     * L list, M map, NULL null; the set types become lists and binary becomes base64 text, so an item written by
     * another client still reads.
     */
    public static Object fromAttribute(AttributeValue v) {
        if (v == null) {
            return null;
        }
        switch (v.type()) {
            case S:
                return v.s();
            case N:
                return new BigDecimal(v.n());
            case BOOL:
                return v.bool();
            case NUL:
                return null;
            case M:
                return fromMap(v.m());
            case L: {
                List<Object> out = new ArrayList<>();
                for (AttributeValue e : v.l()) {
                    out.add(fromAttribute(e));
                }
                return Collections.unmodifiableList(out);
            }
            case SS:
                return List.copyOf(v.ss());
            case NS: {
                List<Object> out = new ArrayList<>();
                v.ns().forEach(s -> out.add(new BigDecimal(s)));
                return Collections.unmodifiableList(out);
            }
            case B:
                return base64(v.b());
            case BS: {
                List<Object> out = new ArrayList<>();
                v.bs().forEach(b -> out.add(base64(b)));
                return Collections.unmodifiableList(out);
            }
            default:
                return null;
        }
    }

    private static String base64(SdkBytes b) {
        return Base64.getEncoder().encodeToString(b.asByteArray());
    }
}
