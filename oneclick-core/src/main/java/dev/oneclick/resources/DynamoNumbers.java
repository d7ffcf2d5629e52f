package dev.oneclick.resources;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The numbers DynamoDB stores: 0, or a magnitude from {@code 1E-130} to {@code 9.9999999999999999999999999999999999999E+125},
 * with at most 38 significant digits. A JSON Schema bounds the magnitude from above ({@code exclusiveMaximum}) but
 * cannot count digits nor exclude a band around 0, so those two rules are checked here, on every number of a JSON
 * tree, naming its JSON path.
 */
final class DynamoNumbers {
    /** The most significant digits DynamoDB keeps. */
    static final int MAX_DIGITS = 38;
    /** The smallest non-zero magnitude, as a power of ten of the leading digit. */
    static final int MIN_EXPONENT = -130;
    /** The largest magnitude, as a power of ten of the leading digit (below 1E126). */
    static final int MAX_EXPONENT = 125;

    private DynamoNumbers() {
    }

    /** Adds an error {@code <path>: ...} for each number of {@code node} that DynamoDB cannot store. */
    static void check(JsonNode node, String path, List<String> errors) {
        if (node.isNumber()) {
            String problem = problem(node.decimalValue());
            if (problem != null) {
                errors.add(path + ": " + problem);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                check(e.getValue(), path + "." + e.getKey(), errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    /** What is wrong with {@code n} for DynamoDB, or null when it can be stored. */
    static String problem(BigDecimal n) {
        if (n.signum() == 0) {
            return null;
        }
        BigDecimal d = n.stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (d.precision() > MAX_DIGITS) {
            return "the number has " + d.precision() + " significant digits; DynamoDB stores at most " + MAX_DIGITS
                    + " (send it as a string to keep every digit)";
        }
        if (exponent > MAX_EXPONENT || exponent < MIN_EXPONENT) {
            return "the number " + d.toString() + " is outside what DynamoDB stores (0, or a magnitude from 1E-130 "
                    + "to below 1E126); send it as a string";
        }
        return null;
    }
}
