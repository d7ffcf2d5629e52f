package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagRulesTest {
    @Test
    void check_acceptsTheProjectsTagsAndEveryAllowedCharacter() {
        Map<String, String> tags = ResourceNames.defaults().tags(ProjectGuid.parse(
                "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab"), "user@example.com");
        assertEquals(tags, TagRules.check(tags));
        TagRules.check(Map.of("team name", "web_ops.1:/=+-@", "k".repeat(128), "v".repeat(256), "empty", ""));
    }

    @Test
    void check_refusesEachBrokenRuleWithATypedErrorOnTags() {
        Map<String, String> fiftyOne = new LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            fiftyOne.put("k" + i, "v");
        }
        for (Map<String, String> bad : java.util.List.of(fiftyOne, Map.of("aws:owner", "x"), Map.of("AWS:x", "y"),
                Map.of("k".repeat(129), "x"), Map.of("k", "v".repeat(257)), Map.of("k", "a;b"), Map.of("", "x"),
                Map.of("k\n", "x"))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> TagRules.check(bad));
            assertEquals("tags", e.field());
            assertTrue(e.getMessage().contains("Nothing was created"), e.getMessage());
        }
    }
}
