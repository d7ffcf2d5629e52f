package dev.oneclick.site;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.errors.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexDocumentTest {

    @Test
    void check_whenNoneOrNull_meansNoEntryPage() {
        assertNull(IndexDocument.check(null));
        assertNull(IndexDocument.check("none"));
        assertNull(IndexDocument.check(" NONE "));
        assertEquals("index.html", IndexDocument.check("index.html"));
        assertEquals("app/main.html", IndexDocument.check(" app/main.html "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/index.html", "docs/", "a/../b.html", "./index.html", "a\\b.html", "a//b",
            "x\ny.html"})
    void check_whenNotAPathInsideTheSite_failsNamingIndexDocument(String value) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IndexDocument.check(value));
        assertEquals("indexDocument", e.field());
        assertTrue(e.getMessage().contains("'none'"), e.getMessage());
    }

    @Test
    void checkSite_whenIndexMissing_failsNamingIndexDocumentAndNone(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("assets/app.js"), "x");
        Files.writeString(dir.resolve("readme.txt"), "x");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> IndexDocument.checkSite(dir, "index.html"));
        assertEquals("indexDocument", e.field());
        assertTrue(e.getMessage().contains("has no index.html"), e.getMessage());
        assertTrue(e.getMessage().contains("assets/, readme.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("indexDocument=none"), e.getMessage());
    }

    @Test
    void checkSite_whenPresentOrNone_passes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("main.html"), "x");
        assertDoesNotThrow(() -> IndexDocument.checkSite(dir, "main.html"));
        assertDoesNotThrow(() -> IndexDocument.checkSite(dir, null));
        assertThrows(InvalidInputException.class, () -> IndexDocument.checkSite(dir, "index.html"));
    }

    @Test
    void deployRequest_defaultsAndRouting() {
        DeployRequest d = DeployRequest.builder().guid("g").build();
        assertEquals("index.html", d.indexDocument());
        assertEquals(DeployRequest.Routing.ROUTES, d.routing());
        assertTrue(d.spaFallback());

        DeployRequest none = d.toBuilder().indexDocument("none").build();
        assertNull(none.indexDocument());
        assertEquals(DeployRequest.Routing.NONE, none.routing(), "no entry page turns the SPA fallback off");
        assertEquals(false, none.spaFallback());

        DeployRequest off = d.toBuilder().spaFallback(false).build();
        assertEquals(DeployRequest.Routing.NONE, off.routing());

        DeployRequest all = d.toBuilder().routing(DeployRequest.Routing.ALL).indexDocument("main.html").build();
        assertEquals(DeployRequest.Routing.ALL, all.routing());
        assertEquals("main.html", all.toBuilder().build().indexDocument());
    }

    @Test
    void routingParse_whenValuesOrNot() {
        assertEquals(DeployRequest.Routing.ROUTES, DeployRequest.Routing.parse("routes"));
        assertEquals(DeployRequest.Routing.ALL, DeployRequest.Routing.parse(" ALL "));
        assertEquals(DeployRequest.Routing.NONE, DeployRequest.Routing.parse("none"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DeployRequest.Routing.parse("spa"));
        assertEquals("spaRouting", e.field());
    }
}
