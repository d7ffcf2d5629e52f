package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.errors.OneclickException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * oneclick's statements merged into a bucket policy by Sid. moto 5.2.1 stores bucket policies but evaluates none for
 * a service principal, so what CloudFront may read is checked here with {@link Evaluator}, a small evaluation of the
 * policy as IAM documents it (an explicit Deny wins, else an Allow is needed; Principal, Action, Resource with
 * wildcards, StringEquals conditions).
 */
class BucketPoliciesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "tmux-builder-0d9e5a4c-6f2b-4a31-9c1e-2b7f3d8a9e10";
    private static final String DIST = "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF123456";
    private static final String OTHER_DIST = "arn:aws:cloudfront::123456789012:distribution/E9OTHER0000000";
    private static final String DENY_NON_TLS = "{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":"
            + "\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::" + BUCKET + "\",\"arn:aws:s3:::" + BUCKET
            + "/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}";
    private static final String OTHER_READER = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::123456789012:role/reports\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
            + BUCKET + "/reports/*\"}";

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Id\":\"TeamPolicy\",\"Statement\":[" + String.join(",", statements)
                + "]}";
    }

    @Test
    void merged_whenNoPolicy_letsTheDistributionReadObjectsButNotTheManifest() {
        String p = BucketPolicies.merged(null, BUCKET, DIST);
        Evaluator cf = new Evaluator(p);
        assertTrue(cf.cloudFrontMayGet("index.html", DIST));
        assertTrue(cf.cloudFrontMayGet("assets/app.3f9a2b1c.js", DIST));
        assertFalse(cf.cloudFrontMayGet(".oneclick/manifest.json", DIST));
        assertFalse(cf.cloudFrontMayGet("index.html", OTHER_DIST));
        assertTrue(BucketPolicies.hasOwned(p, BUCKET, DIST));
    }

    @Test
    void merged_whenOthersAddedStatements_keepsThemAndReplacesOnlyOneclicksStale() throws Exception {
        String stale = BucketPolicies.merged(policy(DENY_NON_TLS, OTHER_READER), BUCKET, OTHER_DIST);
        String p = BucketPolicies.merged(stale, BUCKET, DIST);
        JsonNode root = JSON.readTree(p);
        assertEquals("TeamPolicy", root.path("Id").asText());
        List<JsonNode> st = BucketPolicies.statements(root);
        assertEquals(4, st.size(), p);
        assertEquals(JSON.readTree(DENY_NON_TLS), st.get(0));
        assertEquals(JSON.readTree(OTHER_READER), st.get(1));
        assertTrue(BucketPolicies.hasOwned(p, BUCKET, DIST));
        assertFalse(BucketPolicies.hasOwned(stale, BUCKET, DIST));
        assertFalse(new Evaluator(p).cloudFrontMayGet("index.html", OTHER_DIST));
        assertTrue(new Evaluator(p).cloudFrontMayGet("index.html", DIST));
    }

    @Test
    void hasOwned_whenOnlyTheReadStatementOfAnOlderVersion_isFalseSoTheDenyIsAdded() {
        String older = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"OneclickCloudFrontReadOnly\",\"Effect\":"
                + "\"Allow\",\"Principal\":{\"Service\":\"cloudfront.amazonaws.com\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::" + BUCKET + "/*\",\"Condition\":{\"StringEquals\":{\"AWS:SourceArn\":\""
                + DIST + "\"}}}}";
        assertFalse(BucketPolicies.hasOwned(older, BUCKET, DIST));
        assertTrue(new Evaluator(older).cloudFrontMayGet(".oneclick/manifest.json", DIST), "the leak being fixed");
        String p = BucketPolicies.merged(older, BUCKET, DIST);
        assertEquals(2, BucketPolicies.statements(read(p)).size(), p);
        assertFalse(new Evaluator(p).cloudFrontMayGet(".oneclick/manifest.json", DIST));
    }

    @Test
    void hasOwned_whenStatementsAreReordered_isTrue() throws Exception {
        List<JsonNode> mine = new ArrayList<>(BucketPolicies.statements(read(BucketPolicies.merged(null, BUCKET,
                DIST))));
        String reordered = policy(JSON.writeValueAsString(mine.get(1)), DENY_NON_TLS,
                JSON.writeValueAsString(mine.get(0)));
        assertTrue(BucketPolicies.hasOwned(reordered, BUCKET, DIST));
    }

    @Test
    void withoutOwned_keepsOthersOrSaysDeleteWhenNothingIsLeft() throws Exception {
        String mixed = BucketPolicies.merged(policy(DENY_NON_TLS), BUCKET, DIST);
        String rest = BucketPolicies.withoutOwned(mixed, BUCKET);
        assertEquals(List.of(JSON.readTree(DENY_NON_TLS)), BucketPolicies.statements(read(rest)));
        assertFalse(BucketPolicies.hasAnyOwned(rest));
        assertTrue(BucketPolicies.hasAnyOwned(mixed));
        assertNull(BucketPolicies.withoutOwned(BucketPolicies.merged(null, BUCKET, DIST), BUCKET));
    }

    @Test
    void merged_whenAStatementMakesTheBucketPublic_dropsItAndKeepsPinnedOnes() {
        String everyone = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
                + "\"arn:aws:s3:::" + BUCKET + "/*\"}";
        String pinned = "{\"Sid\":\"Vpce\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"*\"]},\"Action\":"
                + "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + BUCKET + "/*\",\"Condition\":{\"StringEquals\":"
                + "{\"aws:SourceVpce\":\"vpce-1a2b3c4d\"}}}";
        String current = policy(everyone, pinned, DENY_NON_TLS);
        assertEquals(1, BucketPolicies.publicStatements(current));
        String p = BucketPolicies.merged(current, BUCKET, DIST);
        assertEquals(List.of("Vpce", "DenyInsecureTransport", BucketPolicies.READ_SID,
                BucketPolicies.DENY_MANIFEST_SID), BucketPolicies.statements(read(p)).stream().map(s -> s.path("Sid").asText()).toList());
    }

    @Test
    void merged_whenPolicyIsNotJson_throwsAndChangesNothing() {
        OneclickException e = assertThrows(OneclickException.class,
                () -> BucketPolicies.merged("not json", BUCKET, DIST));
        assertTrue(e.getMessage().contains(BUCKET), e.getMessage());
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    /** Whether CloudFront (service principal, with AWS:SourceArn) may GetObject a key, over TLS. */
    static final class Evaluator {
        private final List<JsonNode> statements;

        Evaluator(String policy) {
            statements = BucketPolicies.statements(read(policy));
        }

        boolean cloudFrontMayGet(String key, String sourceArn) {
            String resource = "arn:aws:s3:::" + BUCKET + "/" + key;
            boolean allowed = false;
            for (JsonNode st : statements) {
                if (!principal(st.path("Principal")) || !any(st.path("Action"), "s3:GetObject")
                        || !any(st.path("Resource"), resource) || !condition(st.path("Condition"), sourceArn)) {
                    continue;
                }
                if ("Deny".equals(st.path("Effect").asText())) {
                    return false;
                }
                allowed = true;
            }
            return allowed;
        }

        private static boolean principal(JsonNode p) {
            return p.isTextual() ? "*".equals(p.asText()) : any(p.path("Service"), "cloudfront.amazonaws.com")
                    || p.path("AWS").toString().contains("\"*\"");
        }

        private static boolean any(JsonNode patterns, String value) {
            List<JsonNode> list = new ArrayList<>();
            if (patterns.isArray()) {
                patterns.forEach(list::add);
            } else if (patterns.isTextual()) {
                list.add(patterns);
            }
            for (JsonNode n : list) {
                String regex = Pattern.quote(n.asText()).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
                if (Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(value).matches()) {
                    return true;
                }
            }
            return false;
        }

        private static boolean condition(JsonNode c, String sourceArn) {
            var ops = c.fields();
            while (ops.hasNext()) {
                var op = ops.next();
                var keys = op.getValue().fields();
                while (keys.hasNext()) {
                    var k = keys.next();
                    String actual = switch (k.getKey().toLowerCase(java.util.Locale.ROOT)) {
                        case "aws:sourcearn" -> sourceArn;
                        case "aws:securetransport" -> "true";
                        default -> null;
                    };
                    boolean equal = actual != null && actual.equalsIgnoreCase(k.getValue().asText());
                    boolean holds = switch (op.getKey()) {
                        case "StringEquals", "ArnEquals", "Bool" -> equal;
                        case "StringNotEquals", "ArnNotEquals" -> !equal;
                        default -> false;
                    };
                    if (!holds) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
