package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.ScriptResult;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole path with real parts: a project created through the API runs its rendered notify.sh with bash and curl,
 * the backend stores the resources in dynalite with the plan's attribute names, the owner's WebSocket client gets
 * the event, and the panel in headless Chromium shows it live, without a reload, with event text as plain text.
 */
class EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static BackendHarness h;
    private static ChromeDriver browser;
    private static boolean seleniumCacheExisted;

    @BeforeAll
    static void start() throws Exception {
        seleniumCacheExisted = Files.exists(Chromium.seleniumManagerCache());
        h = new BackendHarness();
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (h != null) {
            h.close();
        }
        if (!seleniumCacheExisted) {
            assertFalse(Files.exists(Chromium.seleniumManagerCache()), "Selenium Manager ran and cached something");
        }
    }

    @Test
    void notifySh_whenResourcesReported_storesItemPushesToOwnerAndPanelShowsItWithoutReload() throws Exception {
        String token = h.login("erin");
        Project p = h.createProject(token, "Erin's portfolio");
        String bucket = "tmux-builder-" + p.guid().value();
        String url = "https://d1abcdef8.cloudfront.net";

        try (WsClient ws = h.subscribe(p.guid(), token)) {
            openPanel(p, token);
            assertEquals("", text("s3Bucket"));
            assertFalse(browser.findElement(By.id("row-s3Bucket")).isDisplayed());
            js("window.__sameDocument = 'still here';");

            ScriptResult run = h.runNotifySh(p, "resources", "{\"s3Bucket\":\"" + bucket + "\",\"cloudFrontUrl\":\""
                    + url + "\",\"cloudFrontId\":\"E2ABCDEF\",\"region\":\"us-east-1\"}");
            assertEquals(0, run.exitCode(), run.stderr());

            // DynamoDB holds the plan's attributes, awsResources as a map
            Map<String, AttributeValue> item = h.rawItem("erin", p.guid());
            assertEquals("erin", item.get("userId").s());
            assertEquals(p.guid().value(), item.get("projectId").s());
            assertEquals("Erin's portfolio", item.get("projectName").s());
            assertTrue(item.get("awsResources").hasM(), "awsResources must be a DynamoDB map: " + item);
            Map<String, AttributeValue> res = item.get("awsResources").m();
            assertEquals(bucket, res.get("s3Bucket").s());
            assertEquals(url, res.get("cloudFrontUrl").s());
            assertEquals("us-east-1", res.get("region").s());
            assertIsoTimestamp(item.get("createdAt").s());
            assertIsoTimestamp(item.get("updatedAt").s());

            // the owner's WebSocket client receives it
            JsonNode event = ws.next(WAIT);
            assertEquals("resources", event.get("type").asText());
            assertEquals(p.guid().value(), event.get("guid").asText());
            assertEquals(bucket, event.get("data").get("s3Bucket").asText());
            assertIsoTimestamp(event.get("at").asText());

            // the panel shows it live, in the same document
            waitFor(() -> bucket.equals(text("s3Bucket")), "the bucket name in the panel");
            WebElement link = browser.findElement(By.id("cloudFrontUrl"));
            assertEquals("a", link.getTagName());
            assertEquals(url + "/", link.getAttribute("href"));
            assertEquals(url, link.getText());
            assertEquals("noopener noreferrer", link.getAttribute("rel"));
            assertEquals("_blank", link.getAttribute("target"));
            assertFalse(browser.findElement(By.id("row-ecsCluster")).isDisplayed(), "no ECS cluster was reported");
            assertFalse(browser.findElement(By.id("row-rdsEndpoint")).isDisplayed(), "no RDS endpoint was reported");
            assertEquals("still here", js("return window.__sameDocument;"), "the page was reloaded");

            // a full-stack report adds the ECS cluster and RDS endpoint rows
            run = h.runNotifySh(p, "resources", "{\"s3Bucket\":\"" + bucket + "\",\"cloudFrontUrl\":\"" + url
                    + "\",\"ecsCluster\":\"tmux-" + p.guid() + "-cluster\",\"rdsEndpoint\":\"db-" + p.guid()
                    + ".abc.us-east-1.rds.amazonaws.com\"}");
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("resources", ws.next(WAIT).get("type").asText());
            waitFor(() -> ("tmux-" + p.guid() + "-cluster").equals(text("ecsCluster")), "the ECS cluster");
            assertTrue(text("rdsEndpoint").startsWith("db-" + p.guid()), text("rdsEndpoint"));
            assertEquals("still here", js("return window.__sameDocument;"), "the page was reloaded");
        }

        // a panel opened later loads the stored record over REST
        openPanel(p, token);
        waitFor(() -> bucket.equals(text("s3Bucket")), "the stored bucket name");
        assertTrue(text("updatedAt").startsWith("20"), text("updatedAt"));
    }

    @Test
    void notifySh_whenLaterReportNamesOtherKeysThenDeployed_panelAndRecordKeepEveryKeyAndTheStatus() throws Exception {
        String token = h.login("judy");
        Project p = h.createProject(token, "Judy's shop");
        String bucket = "tmux-builder-" + p.guid().value();
        String url = "https://d2judy.cloudfront.net";
        String cluster = "tmux-" + p.guid() + "-cluster";

        try (WsClient ws = h.subscribe(p.guid(), token)) {
            openPanel(p, token);
            js("window.__sameDocument = 'still here';");
            ScriptResult run = h.runNotifySh(p, "resources", "{\"s3Bucket\":\"" + bucket + "\",\"cloudFrontUrl\":\""
                    + url + "\",\"cloudFrontId\":\"E2JUDY\"}");
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("resources", ws.next(WAIT).get("type").asText());
            waitFor(() -> bucket.equals(text("s3Bucket")), "the bucket name");

            // a second report that names only the ECS cluster adds it; nothing reported earlier disappears
            run = h.runNotifySh(p, "resources", "{\"ecsCluster\":\"" + cluster + "\"}");
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("resources", ws.next(WAIT).get("type").asText());
            waitFor(() -> cluster.equals(text("ecsCluster")), "the ECS cluster");
            assertEquals(bucket, text("s3Bucket"), "the bucket vanished from the panel");
            assertEquals(url, browser.findElement(By.id("cloudFrontUrl")).getText());
            Map<String, AttributeValue> res = h.rawItem("judy", p.guid()).get("awsResources").m();
            assertEquals(bucket, res.get("s3Bucket").s());
            assertEquals("E2JUDY", res.get("cloudFrontId").s(), "the record lost a key the report did not name");
            assertEquals(cluster, res.get("ecsCluster").s());

            // the deployed event sets the status live and in the record
            run = h.runNotifySh(p, "deployed", url);
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("deployed", ws.next(WAIT).get("type").asText());
            waitFor(() -> "DEPLOYED".equals(text("status")), "the live status");
            assertEquals("still here", js("return window.__sameDocument;"), "the page was reloaded");
            assertEquals("DEPLOYED", h.rawItem("judy", p.guid()).get("status").s());
            assertFalse(browser.findElement(By.id("row-lastError")).isDisplayed());

            // an error event sets FAILED with its message as the last error, shown as text
            String failure = failure();
            run = h.runNotifySh(p, "error", failure);
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("error", ws.next(WAIT).get("type").asText());
            waitFor(() -> "FAILED".equals(text("status")), "the live FAILED status");
            assertEquals(failure, text("lastError"));
            assertEquals("FAILED", h.rawItem("judy", p.guid()).get("status").s());
            assertEquals(failure, h.rawItem("judy", p.guid()).get("lastError").s());
        }

        // a panel opened later shows the same: every key, the status and the last error, from the record
        openPanel(p, token);
        waitFor(() -> "FAILED".equals(text("status")), "the stored status");
        assertEquals(failure(), text("lastError"));
        assertEquals(0L, js("return document.querySelectorAll('#panel b').length;"));
        assertEquals(bucket, text("s3Bucket"));
        assertEquals(cluster, text("ecsCluster"));
    }

    private static String failure() {
        return "npm run build failed: <b>Cannot find module</b> 'react'";
    }

    @Test
    void panel_whenMessageCarriesHtml_showsItAsTextAndCreatesNoElement() {
        String token = h.login("frank");
        Project p = h.createProject(token, "Frank's app");
        String attack = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script> & done";
        try (WsClient ws = h.subscribe(p.guid(), token)) {
            openPanel(p, token);
            js("window.__sameDocument = 'still here';");
            ScriptResult run = h.runNotifySh(p, "status", attack);
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals(attack, ws.next(WAIT).get("message").asText(), "notify.sh must send the text unchanged");

            waitFor(() -> attack.equals(text("lastMessage")), "the message as literal text");
            assertEquals(0L, js("return document.querySelectorAll('#panel img, #panel script').length;"));
            assertEquals("undefined", js("return typeof window.__xss;"));
            assertTrue(browser.findElement(By.id("activity")).getText().contains(attack));
            assertEquals("still here", js("return window.__sameDocument;"));
        }
    }

    @Test
    void panel_whenOpenedByAnotherUser_showsTheRefusalAndNoData() {
        Project p = h.createProject(h.login("gina"), "Gina's site");
        String intruder = h.login("mallory");
        browser.get("about:blank");
        browser.get(h.url("/projects/" + p.guid() + "#token=" + intruder));
        waitFor(() -> "refused".equals(text("connection")), "the WebSocket refusal");
        waitFor(() -> !text("problem").isEmpty(), "a problem message");
        assertEquals("", text("projectName").replace("—", ""));
    }

    @Test
    void panel_whenStoredUrlIsNotHttp_showsItAsTextWithoutALink() {
        String token = h.login("ivan");
        Project p = h.createProject(token, "Ivan's page");
        // another client (the plan's Python code, say) wrote a record the schema would refuse
        h.directDb.updateItem(b -> b.tableName(BackendHarness.TABLE)
                .key(Map.of("userId", AttributeValue.fromS("ivan"), "projectId", AttributeValue.fromS(p.guid().value())))
                .updateExpression("SET awsResources = :r")
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromM(Map.of(
                        "s3Bucket", AttributeValue.fromS("tmux-builder-" + p.guid()),
                        "cloudFrontUrl", AttributeValue.fromS("javascript:window.__clicked=1"))))));
        openPanel(p, token);
        waitFor(() -> ("tmux-builder-" + p.guid()).equals(text("s3Bucket")), "the stored bucket");
        WebElement shown = browser.findElement(By.id("cloudFrontUrl"));
        assertEquals("span", shown.getTagName(), "a non-http URL must not become a link");
        assertEquals("javascript:window.__clicked=1", shown.getText());
        assertEquals(0L, js("return document.querySelectorAll('#panel a').length;"));
    }

    private static void openPanel(Project p, String token) {
        browser.get("about:blank"); // a fresh document: a same-page #fragment change would not reload the panel
        browser.get(h.url("/projects/" + p.guid() + "#token=" + token));
        waitFor(() -> "live".equals(text("connection")), "the panel's live connection");
        assertFalse(browser.getCurrentUrl().contains("token="), "the token stays in the address bar");
    }

    private static String text(String id) {
        Object v = js("var e = document.getElementById(arguments[0]); return e ? e.textContent : null;", id);
        return v == null ? "" : v.toString();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static void waitFor(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; page text: "
                + browser.findElement(By.tagName("body")).getText());
    }

    private static void assertIsoTimestamp(String text) {
        try {
            Instant.parse(text);
        } catch (DateTimeParseException e) {
            LocalDateTime.parse(text); // the plan's Python client writes ISO-8601 without a zone
        }
    }
}
