package dev.oneclick.tracking.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.errors.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Page cursors: the query's LastEvaluatedKey ({@code userId}, {@code projectId}) as base64url-encoded JSON. Opaque
 * to callers; a cursor that does not decode to a key of the same user is refused. Not public API.
 */
public final class Cursors {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final int MAX_CURSOR_CHARS = 2048;
    private static final String HELP = " Pass null for the first page, then the nextCursor of the page before.";

    private Cursors() {
    }

    public static String encode(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key) {
        ObjectNode node = JSON.createObjectNode();
        node.put(Items.USER_ID, key.get(Items.USER_ID).s());
        node.put(Items.PROJECT_ID, key.get(Items.PROJECT_ID).s());
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException("cursor cannot be written", e);
        }
    }

    /**
     * @throws InvalidInputException (field {@code cursor}) if it is not a cursor of this user's listing
     */
    public static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> decode(String cursor,
            String userId) {
        if (cursor.isEmpty() || cursor.length() > MAX_CURSOR_CHARS) {
            throw bad("The page cursor is empty or too long; it was not handed out by this tracker.");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw bad("The page cursor is not valid base64url; it was not handed out by this tracker.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw bad("The page cursor does not hold a page position; it was not handed out by this tracker.");
        }
        if (node == null || !node.isObject() || node.size() != 2 || !text(node, Items.USER_ID)
                || !text(node, Items.PROJECT_ID)) {
            throw bad("The page cursor does not hold a page position; it was not handed out by this tracker.");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals(Items.USER_ID) && !f.equals(Items.PROJECT_ID)) {
                throw bad("The page cursor does not hold a page position; it was not handed out by this tracker.");
            }
        }
        if (!node.get(Items.USER_ID).asText().equals(userId)) {
            throw bad("The page cursor belongs to another user's listing.");
        }
        String project = node.get(Items.PROJECT_ID).asText();
        if (project.isEmpty() || project.length() > 1024) {
            throw bad("The page cursor does not hold a page position; it was not handed out by this tracker.");
        }
        return Items.key(userId, project);
    }

    private static boolean text(JsonNode node, String field) {
        return node.has(field) && node.get(field).isTextual();
    }

    private static InvalidInputException bad(String message) {
        return new InvalidInputException("cursor", message + HELP);
    }
}
