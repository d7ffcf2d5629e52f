package dev.oneclick.internal.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * oneclick's statements in a bucket policy, merged by statement id ({@code Sid}): oneclick owns
 * {@link #READ_SID} and {@link #DENY_MANIFEST_SID}; every other statement (deny non-TLS, other readers, statements
 * without an id) is someone else's and survives every deploy and destroy. Stateless; thread-safe.
 */
public final class BucketPolicies {
    /** Lets the project's distribution (and only it) read the bucket's objects. */
    public static final String READ_SID = "OneclickCloudFrontReadOnly";
    /** Denies CloudFront the deploy manifest's folder, so no viewer can fetch the manifest. */
    public static final String DENY_MANIFEST_SID = "OneclickDenyManifest";
    /** The statement ids oneclick owns. */
    public static final Set<String> OWNED_SIDS = Set.of(READ_SID, DENY_MANIFEST_SID);
    /** The folder of the deploy manifest, kept from CloudFront. */
    public static final String MANIFEST_PREFIX = ".oneclick/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "cloudfront.amazonaws.com";
    /** Condition keys that pin a statement to known callers (as S3's "is this policy public" rule counts them). */
    private static final Set<String> PINNING_KEYS = Set.of("aws:sourcearn", "aws:sourceaccount", "aws:sourceowner",
            "aws:principalorgid", "aws:principalaccount", "aws:principalarn", "aws:sourcevpc", "aws:sourcevpce");

    private BucketPolicies() {
    }

    /**
     * oneclick's statements for the bucket: CloudFront may read every object when the request comes from
     * {@code distributionArn}, and may read nothing under {@link #MANIFEST_PREFIX} (an explicit deny wins).
     */
    public static List<ObjectNode> owned(String bucket, String distributionArn) {
        String partition = distributionArn.startsWith("arn:") ? distributionArn.split(":", 3)[1] : "aws";
        String objects = "arn:" + partition + ":s3:::" + bucket + "/";
        ObjectNode read = JSON.createObjectNode();
        read.put("Sid", READ_SID);
        read.put("Effect", "Allow");
        read.putObject("Principal").put("Service", SERVICE);
        read.put("Action", "s3:GetObject");
        read.put("Resource", objects + "*");
        read.putObject("Condition").putObject("StringEquals").put("AWS:SourceArn", distributionArn);
        ObjectNode deny = JSON.createObjectNode();
        deny.put("Sid", DENY_MANIFEST_SID);
        deny.put("Effect", "Deny");
        deny.putObject("Principal").put("Service", SERVICE);
        deny.put("Action", "s3:GetObject");
        deny.put("Resource", objects + MANIFEST_PREFIX + "*");
        return List.of(read, deny);
    }

    /**
     * The policy with oneclick's statements replaced by {@link #owned} and every other statement kept in place
     * ({@code Version} and {@code Id} kept too), except statements that make the bucket public ({@link #isPublic}):
     * the bucket is private (Block Public Access refuses such a policy), so they are dropped.
     * {@code current} null or blank: a policy of oneclick's statements.
     *
     * @throws dev.oneclick.errors.OneclickException when {@code current} is not a JSON policy (it is not touched)
     */
    public static String merged(String current, String bucket, String distributionArn) {
        ObjectNode policy = parse(current, bucket);
        ArrayNode statements = JSON.createArrayNode();
        others(policy).stream().filter(st -> !isPublic(st)).forEach(statements::add);
        owned(bucket, distributionArn).forEach(statements::add);
        policy.set("Statement", statements);
        return write(policy);
    }

    /**
     * The policy without oneclick's statements, or null when nothing else is left (then the policy is deleted).
     *
     * @throws dev.oneclick.errors.OneclickException when {@code current} is not a JSON policy
     */
    public static String withoutOwned(String current, String bucket) {
        ObjectNode policy = parse(current, bucket);
        List<JsonNode> rest = others(policy);
        if (rest.isEmpty()) {
            return null;
        }
        policy.putArray("Statement").addAll(rest);
        return write(policy);
    }

    /** Whether {@code current} holds oneclick's statements exactly as {@link #owned} makes them (in any order). */
    public static boolean hasOwned(String current, String bucket, String distributionArn) {
        if (current == null || current.isBlank()) {
            return false;
        }
        JsonNode policy;
        try {
            policy = JSON.readTree(current);
        } catch (JsonProcessingException e) {
            return false;
        }
        List<JsonNode> mine = new ArrayList<>();
        for (JsonNode st : statements(policy)) {
            if (isOwned(st)) {
                mine.add(st);
            }
        }
        List<ObjectNode> want = owned(bucket, distributionArn);
        return mine.size() == want.size() && mine.containsAll(want);
    }

    /** Whether {@code current} holds any statement with one of oneclick's ids. */
    public static boolean hasAnyOwned(String current) {
        if (current == null || current.isBlank()) {
            return false;
        }
        try {
            return statements(JSON.readTree(current)).stream()
                    .anyMatch(st -> isOwned(st));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static boolean isOwned(JsonNode st) {
        return st.path("Sid").isTextual() && OWNED_SIDS.contains(st.path("Sid").asText());
    }

    /** How many statements of {@code current} (not oneclick's) {@link #merged} drops because they are public. */
    public static long publicStatements(String current) {
        if (current == null || current.isBlank()) {
            return 0;
        }
        try {
            return others(JSON.readTree(current)).stream().filter(BucketPolicies::isPublic).count();
        } catch (JsonProcessingException e) {
            return 0;
        }
    }

    /** An Allow for every principal ({@code *}) without a condition that pins the caller. */
    static boolean isPublic(JsonNode st) {
        if (!"Allow".equals(st.path("Effect").asText())) {
            return false;
        }
        JsonNode p = st.path("Principal");
        boolean everyone = p.isTextual() ? "*".equals(p.asText())
                : p.path("AWS").isArray() ? java.util.stream.StreamSupport.stream(p.path("AWS").spliterator(), false)
                        .anyMatch(a -> "*".equals(a.asText())) : "*".equals(p.path("AWS").asText());
        if (!everyone) {
            return false;
        }
        var operators = st.path("Condition").fields();
        while (operators.hasNext()) {
            var op = operators.next();
            String name = op.getKey().toLowerCase(java.util.Locale.ROOT);
            if (name.startsWith("stringequals") || name.startsWith("arnequals")) {
                var keys = op.getValue().fieldNames();
                while (keys.hasNext()) {
                    if (PINNING_KEYS.contains(keys.next().toLowerCase(java.util.Locale.ROOT))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static ObjectNode parse(String current, String bucket) {
        if (current == null || current.isBlank()) {
            ObjectNode p = JSON.createObjectNode();
            p.put("Version", "2012-10-17");
            return p;
        }
        try {
            JsonNode node = JSON.readTree(current);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new dev.oneclick.errors.OneclickException("The bucket policy of " + bucket + " is not a JSON policy "
                + "document; oneclick leaves it alone. Fix or delete it, then deploy again.");
    }

    private static List<JsonNode> others(JsonNode policy) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode st : statements(policy)) {
            if (!isOwned(st)) {
                out.add(st);
            }
        }
        return out;
    }

    /** The statements, whether {@code Statement} is an array or a single object. */
    static List<JsonNode> statements(JsonNode policy) {
        JsonNode st = policy.path("Statement");
        List<JsonNode> out = new ArrayList<>();
        if (st.isArray()) {
            st.forEach(out::add);
        } else if (st.isObject()) {
            out.add(st);
        }
        return out;
    }

    private static String write(JsonNode policy) {
        try {
            return JSON.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
