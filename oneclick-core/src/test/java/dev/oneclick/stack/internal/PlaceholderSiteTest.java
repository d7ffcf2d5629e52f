package dev.oneclick.stack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.stack.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceholderSiteTest {
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    @TempDir
    Path project;

    private DeployRequest.Builder request() {
        return DeployRequest.builder().guid(GUID).userId("alice").kind(DeployRequest.Kind.FULL_STACK)
                .backend(b -> b.image(ImageSource.image("example.org/app:1")).containerPort(8080)
                        .healthCheckPath("/api/health"));
    }

    @Test
    void hasFrontend_siteFolderBuildCommandOrDistOrBuild_elseNot() throws Exception {
        assertFalse(PlaceholderSite.hasFrontend(request().build()));
        assertFalse(PlaceholderSite.hasFrontend(request().projectDir(project).build()));
        assertTrue(PlaceholderSite.hasFrontend(request().siteDir(project).build()));
        assertTrue(PlaceholderSite.hasFrontend(request().projectDir(project).buildCommand("npm run build").build()));
        Files.createDirectory(project.resolve("build"));
        assertTrue(PlaceholderSite.hasFrontend(request().projectDir(project).build()));
    }

    @Test
    void write_pageNamesTheProjectEscapedAndLinksApi_sameBytesEachTime_closeDeletesTheFolder() throws Exception {
        DeployRequest r = request().projectName("Tom & <Jerry>").projectDir(project).excludes(List.of("*.html"))
                .routing(DeployRequest.Routing.ALL).build();
        PlaceholderSite a = PlaceholderSite.write(r);
        PlaceholderSite b = PlaceholderSite.write(r);
        String page = Files.readString(a.dir().resolve("index.html"));
        assertTrue(page.contains("<title>Tom &amp; &lt;Jerry&gt;</title>"), page);
        assertTrue(page.contains("<a href=\"/api/\">") && page.contains("<a href=\"/api/health\">"), page);
        assertEquals(page, Files.readString(b.dir().resolve("index.html")));
        assertFalse(a.dir().startsWith(project), "never in the project's folder");

        DeployRequest site = a.siteRequest(r);
        assertEquals(a.dir(), site.siteDir());
        assertNull(site.projectDir());
        assertEquals(List.of(), site.excludes(), "the user's excludes cannot drop the page");
        assertEquals(DeployRequest.Routing.NONE, site.routing());
        assertEquals("index.html", site.indexDocument());
        assertEquals(r.backend(), site.backend());

        a.close();
        b.close();
        assertFalse(Files.exists(a.dir()) || Files.exists(b.dir()));
    }

    @Test
    void page_healthCheckOutsideApi_isNotLinked() {
        String page = PlaceholderSite.page(request().backend(k -> k.image(ImageSource.image("example.org/app:1"))
                .containerPort(8080).healthCheckPath("/health")).build());
        assertFalse(page.contains("/health\""), page);
        assertTrue(page.contains("<h1>" + GUID + "</h1>"), page);
    }
}
