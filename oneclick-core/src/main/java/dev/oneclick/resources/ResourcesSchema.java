package dev.oneclick.resources;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.text.internal.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The JSON Schema (draft 2020-12) of the {@code awsResources} record, shipped as the class-path resource
 * {@value #RESOURCE}. Known keys ({@code s3Bucket}, {@code cloudFrontId}, {@code region}, ...) must have AWS's
 * formats; other keys are allowed, so a record from a newer version survives, but every size is bounded (at
 * most {@value #MAX_JSON_CHARS} characters of JSON, 100 keys, strings of 8,192 characters, three levels of
 * nesting), and every number must be one DynamoDB stores (0, or a magnitude from 1E-130 to below 1E126, at most 38
 * significant digits), so a record that passes is never refused by the table.
 *
 * <p>Errors name the JSON path of each offending value, for example
 * {@code $.s3Bucket: does not match the regex pattern ...}. Thread-safe: the schema is loaded once.
 */
public final class ResourcesSchema {
    /** Where the schema lives on the class path. */
    public static final String RESOURCE = "/dev/oneclick/resources/aws-resources.schema.json";
    /** The longest resources JSON text that is read at all. */
    public static final int MAX_JSON_CHARS = 1_000_000;
    /** The most errors listed in an exception message; {@link #errors(String)} returns all of them. */
    private static final int MAX_LISTED = 25;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonSchema SCHEMA = load();

    private ResourcesSchema() {
    }

    /** The schema document as text, for example to serve it to a front end. */
    public static String schemaText() {
        try (InputStream in = open()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OneclickException("Could not read the resources schema " + RESOURCE + " from the oneclick jar: "
                    + e.getMessage() + ". The jar is incomplete; use an unmodified oneclick-core jar.", e);
        }
    }

    /**
     * Checks resources JSON text against the schema.
     *
     * @throws InvalidInputException (field {@code awsResources}) listing each error with its JSON path
     */
    public static void validate(String json) {
        throwIfAny(errors(json));
    }

    /**
     * Checks resources JSON text against the schema and reads it, for input from outside (a notify event, an API
     * call).
     *
     * @throws InvalidInputException (field {@code awsResources}) listing each error with its JSON path
     */
    public static AwsResources parse(String json) {
        validate(json);
        return AwsResources.fromJson(json);
    }

    /**
     * Checks a resources record against the schema.
     *
     * @throws InvalidInputException (field {@code awsResources}) listing each error with its JSON path
     */
    public static void validate(AwsResources resources) {
        Objects.requireNonNull(resources, "resources");
        throwIfAny(errors(JSON.valueToTree(resources.asMap())));
    }

    /**
     * The schema errors of resources JSON text, each as {@code <json path>: <what is wrong>}, in path order; empty
     * when the text is valid. Text that does not parse, or is not a JSON object, gives one error for {@code $}.
     */
    public static List<String> errors(String json) {
        if (json == null) {
            return List.of("$: the resources JSON is missing; give a JSON object such as {\"s3Bucket\": \"...\"}");
        }
        if (json.length() > MAX_JSON_CHARS) {
            return List.of("$: the resources JSON has " + json.length() + " characters; at most " + MAX_JSON_CHARS
                    + " are accepted");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return List.of("$: the resources JSON does not parse: " + printable(e.getOriginalMessage()));
        }
        if (node == null || node.isMissingNode()) {
            return List.of("$: the resources JSON is empty; give a JSON object such as {\"s3Bucket\": \"...\"}");
        }
        return errors(node);
    }

    private static List<String> errors(JsonNode node) {
        List<ValidationMessage> messages = new ArrayList<>(SCHEMA.validate(node));
        messages.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getMessage));
        List<String> out = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            out.add(printable(m.getMessage()));
        }
        if (messages.isEmpty()) {
            // the schema bounds every number below 1E126; digits and the band around 0 need code
            List<String> numbers = new ArrayList<>();
            DynamoNumbers.check(node, "$", numbers);
            numbers.forEach(e -> out.add(printable(e)));
        }
        return List.copyOf(out);
    }

    private static void throwIfAny(List<String> errors) {
        if (errors.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder("The AWS resources do not match the resources schema (")
                .append(errors.size()).append(errors.size() == 1 ? " error" : " errors").append("); fix:");
        errors.stream().limit(MAX_LISTED).forEach(e -> msg.append("\n  ").append(e));
        if (errors.size() > MAX_LISTED) {
            msg.append("\n  ... and ").append(errors.size() - MAX_LISTED).append(" more");
        }
        throw new InvalidInputException("awsResources", msg.toString());
    }

    private static JsonSchema load() {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().locale(Locale.ENGLISH)
                .pathType(PathType.LEGACY).build();
        try (InputStream in = open()) {
            JsonNode schema = new ObjectMapper().readTree(in);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema, config);
        } catch (IOException e) {
            throw new OneclickException("Could not read the resources schema " + RESOURCE + " from the oneclick jar: "
                    + e.getMessage() + ". The jar is incomplete; use an unmodified oneclick-core jar.", e);
        }
    }

    private static InputStream open() throws IOException {
        InputStream in = ResourcesSchema.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException(RESOURCE + " is not on the class path");
        }
        return in;
    }

    /** Control and non-ASCII characters as escapes, so an error message cannot be forged or garbled. */
    static String printable(String text) {
        return Printable.of(text, 500);
    }
}
