package dev.oneclick.site;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheRulesTest {
    @ParameterizedTest
    @ValueSource(strings = {"app.3f9a1c2b.js", "assets/index-BwX8Kz1q.css", "chunk-5ZQWZ3JN.js",
        "main.3f9a1c2b8e7d6c5a4b3c.js", "static/js/main.8e4b1f2a.chunk.js", "logo.a1b2c3d4.svg",
        "index-B-x8Kz_q.js", "fonts/inter-latin.4f3e2d1c.woff2"})
    void isFingerprinted_whenNameCarriesAHash_isTrue(String name) {
        assertTrue(CacheRules.isFingerprinted(name), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.js", "index.html", "my-component-name.js", "2024-01-15-report.pdf",
        "jquery-3.6.0.min.js", "favicon.ico", "robots.txt", "assets/background-image.png", "README",
        "3f9a1c2b.js", "deadbeefcafe", "photo-20240115.jpg", "v2/styles.css"})
    void isFingerprinted_whenNameHasNoHash_isFalse(String name) {
        assertFalse(CacheRules.isFingerprinted(name), name);
    }
}
