package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oneclick.naming.ResourceNames;
import org.junit.jupiter.api.Test;

class UserIdsTest {

    @Test
    void fromUserName_whenPlainName_keepsIt() {
        assertEquals("alice", UserIds.fromUserName("alice"));
    }

    @Test
    void fromUserName_whenSpacesAndAccents_replacesThemWithHyphens() {
        String id = UserIds.fromUserName("Jos\u00e9 Garc\u00eda\\dom");
        assertEquals("Jos--Garc-a-dom", id);
        assertEquals(id, ResourceNames.checkUserId(id));
    }

    @Test
    void fromUserName_whenMissingOrOnlyBadCharacters_returnsLocal() {
        assertEquals("local", UserIds.fromUserName(null));
        assertEquals("local", UserIds.fromUserName("  "));
        assertEquals("local", UserIds.fromUserName("\u00e9\u00e9"));
    }

    @Test
    void fromUserName_whenLongerThan128_cutsTo128() {
        assertEquals(128, UserIds.fromUserName("a".repeat(300)).length());
    }
}
