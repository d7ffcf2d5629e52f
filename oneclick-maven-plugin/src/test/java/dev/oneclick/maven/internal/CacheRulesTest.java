package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.site.CacheRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheRulesTest {

    @Test
    void parse_whenSemicolonSeparated_keepsCommasInValues() {
        List<CacheRule> rules = CacheRules.parse("assets/**=public, max-age=31536000, immutable; **=no-cache");
        assertEquals(List.of(new CacheRule("assets/**", "public, max-age=31536000, immutable"),
                new CacheRule("**", "no-cache")), rules);
    }

    @Test
    void parse_whenOneRulePerLine_readsEveryLine() {
        List<CacheRule> rules = CacheRules.parse("\n  assets/**=public, max-age=60\n\n  **/*.html=no-cache\n");
        assertEquals(List.of(new CacheRule("assets/**", "public, max-age=60"), new CacheRule("**/*.html", "no-cache")),
                rules);
    }

    @Test
    void parse_whenValueHasEquals_splitsAtFirstEquals() {
        assertEquals(List.of(new CacheRule("*.js", "max-age=5")), CacheRules.parse("*.js=max-age=5"));
    }

    @Test
    void parse_whenBlank_returnsNullForDefaults() {
        assertNull(CacheRules.parse(null));
        assertNull(CacheRules.parse("  ; \n"));
    }

    @Test
    void parse_whenEntryHasNoEquals_throwsNamingCacheRules() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CacheRules.parse("assets/**"));
        assertEquals("cacheRules", e.field());
        assertTrue(e.getMessage().contains("glob=cache-control"));
    }

    @Test
    void parse_whenValueEmpty_throwsNamingCacheRules() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CacheRules.parse("assets/**="));
        assertEquals("cacheRules", e.field());
    }
}
