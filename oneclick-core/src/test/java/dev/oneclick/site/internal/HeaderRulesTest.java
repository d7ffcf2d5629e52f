package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.site.CacheRule;
import dev.oneclick.site.CacheRules;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderRulesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "index.html|text/html; charset=utf-8",
        "docs/PAGE.HTM|text/html; charset=utf-8",
        "a.css|text/css; charset=utf-8",
        "a.js|text/javascript; charset=utf-8",
        "a.mjs|text/javascript; charset=utf-8",
        "a.json|application/json; charset=utf-8",
        "a.js.map|application/json; charset=utf-8",
        "a.svg|image/svg+xml; charset=utf-8",
        "a.png|image/png",
        "a.jpg|image/jpeg",
        "a.jpeg|image/jpeg",
        "a.webp|image/webp",
        "a.avif|image/avif",
        "a.gif|image/gif",
        "favicon.ico|image/vnd.microsoft.icon",
        "f.woff|font/woff",
        "f.woff2|font/woff2",
        "f.ttf|font/ttf",
        "robots.txt|text/plain; charset=utf-8",
        "sitemap.xml|application/xml; charset=utf-8",
        "app.wasm|application/wasm",
        "site.webmanifest|application/manifest+json; charset=utf-8",
        "doc.pdf|application/pdf",
        "clip.mp4|video/mp4",
        "LICENSE|application/octet-stream",
        "data.bin|application/octet-stream",
        "dir.v2/noext|application/octet-stream",
        "trailing.|application/octet-stream"})
    void contentType_byExtension(String key, String expected) {
        assertEquals(expected, ContentTypes.forName(key));
    }

    @Test
    void cacheControl_withDefaults_immutableForFingerprintedAndNoCacheElse() {
        HeaderRules rules = HeaderRules.of(null);
        assertEquals(CacheRules.IMMUTABLE, rules.cacheControl("assets/app.3f9a1c2b.js"));
        assertEquals(CacheRules.IMMUTABLE, rules.cacheControl("assets/index-BwX8Kz1q.css"));
        assertEquals(CacheRules.NO_CACHE, rules.cacheControl("index.html"));
        assertEquals(CacheRules.NO_CACHE, rules.cacheControl("page.3f9a1c2b.html"));
        assertEquals(CacheRules.NO_CACHE, rules.cacheControl("favicon.ico"));
        assertEquals(CacheRules.NO_CACHE, rules.cacheControl("assets/app.js"));
    }

    @Test
    void cacheControl_whenUserRulesMatch_firstMatchWinsOverDefaults() {
        HeaderRules rules = HeaderRules.of(List.of(
                new CacheRule("assets/**", "public, max-age=600"),
                new CacheRule("**.js", "public, max-age=60"),
                new CacheRule("*.html", "no-store")));
        assertEquals("public, max-age=600", rules.cacheControl("assets/app.3f9a1c2b.js"));
        assertEquals("public, max-age=60", rules.cacheControl("lib/x.js"));
        assertEquals("no-store", rules.cacheControl("index.html"));
        // *.html does not cross '/': the default applies below the top level
        assertEquals(CacheRules.NO_CACHE, rules.cacheControl("docs/index.html"));
        assertEquals(CacheRules.IMMUTABLE, rules.cacheControl("img/logo.a1b2c3d4.svg"));
    }

    @Test
    void of_whenGlobIsInvalid_throwsInvalidInputForCacheRules() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> HeaderRules.of(List.of(new CacheRule("assets/[", "no-cache"))));
        assertEquals("cacheRules", e.field());
        assertTrue(e.getMessage().contains("assets/["), e.getMessage());
    }

    @Test
    void of_whenCacheControlIsBlankOrHasNewline_throwsInvalidInput() {
        assertEquals("cacheRules", assertThrows(InvalidInputException.class,
                () -> HeaderRules.of(List.of(new CacheRule("*", " ")))).field());
        assertEquals("cacheRules", assertThrows(InvalidInputException.class,
                () -> HeaderRules.of(List.of(new CacheRule("*", "no-cache\r\nX-Evil: 1")))).field());
    }

    @Test
    void isImmutable_readsTheDirective() {
        assertTrue(HeaderRules.isImmutable(CacheRules.IMMUTABLE));
        assertFalse(HeaderRules.isImmutable(CacheRules.NO_CACHE));
        assertFalse(HeaderRules.isImmutable(null));
    }

    @Test
    void encodePath_percentEncodesSpacesAndUnicode() {
        assertEquals("my%20page.html", SiteSync.encodePath("my page.html"));
        assertEquals("fotos/%C3%BC.txt", SiteSync.encodePath("fotos/\u00fc.txt"));
        assertEquals("a%2Ab.txt", SiteSync.encodePath("a*b.txt"));
    }

    @Test
    void sameContentType_ignoresBlanksAndCase() {
        assertTrue(SiteSync.sameContentType("text/html; charset=utf-8", "text/html;charset=UTF-8"));
        assertFalse(SiteSync.sameContentType("text/html; charset=utf-8", "text/plain; charset=utf-8"));
        assertFalse(SiteSync.sameContentType(null, "text/plain"));
    }
}
