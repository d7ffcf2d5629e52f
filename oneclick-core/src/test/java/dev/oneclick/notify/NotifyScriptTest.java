package dev.oneclick.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.notify.ScriptHarness.Answer;
import dev.oneclick.notify.ScriptHarness.Received;
import dev.oneclick.notify.ScriptHarness.RecordingServer;
import dev.oneclick.notify.ScriptHarness.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NotifyScriptTest {
    static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";
    static final String SECRET = NotifySecrets.forProject(new byte[32], GUID);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Equal JSON, numbers compared by value (a tool may write -1.5e3 as -1500). */
    static final java.util.Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    @TempDir
    Path dir;
    RecordingServer server;
    Path script;

    @BeforeEach
    void start() throws IOException {
        server = new RecordingServer();
        script = NotifyScript.builder().guid(GUID).serverUrl(server.url() + "/").secret(SECRET).build().writeTo(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Checks method, path, headers and signature of a received event and returns its parsed body. */
    private static JsonNode verified(Received r) throws IOException {
        assertEquals("POST", r.method());
        assertEquals("/notify", r.path());
        assertEquals("application/json", r.header("Content-Type"));
        String ts = r.header(NotifySignature.TIMESTAMP_HEADER);
        assertTrue(ts != null && ts.matches("[0-9]+"), "timestamp header: " + ts);
        long now = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(now - Long.parseLong(ts)) < 120, "timestamp near now");
        String sig = r.header(NotifySignature.SIGNATURE_HEADER);
        assertTrue(NotifySignature.verify(SECRET, Long.parseLong(ts), r.body(), sig), "signature verifies: " + sig);
        assertFalse(NotifySignature.verify(SECRET, Long.parseLong(ts) + 1, r.body(), sig), "bound to the timestamp");
        return JSON.readTree(r.body());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    // ---- rendering and validation -------------------------------------------------------------------------

    @Test
    void render_whenValid_fillsEveryPlaceholder() {
        String text = NotifyScript.builder().guid(GUID.toUpperCase()).serverUrl("https://builder.example.com//")
                .secret(SECRET).build().render();
        assertTrue(text.startsWith("#!/usr/bin/env bash\n"));
        assertTrue(text.contains("NOTIFY_GUID='" + GUID + "'\n"));
        assertTrue(text.contains("NOTIFY_URL='https://builder.example.com/notify'\n"));
        assertTrue(text.contains("NOTIFY_SECRET='" + SECRET + "'\n"));
        assertFalse(text.contains("__ONECLICK_"), "no placeholder left");
    }

    @Test
    void build_whenGuidInvalid_throwsInvalidGuid() {
        assertThrows(InvalidGuidException.class,
                () -> NotifyScript.builder().guid("x'; rm -rf /; '").serverUrl("http://localhost").secret(SECRET).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8082'; id; '", "http://local host", "http://localhost/$(id)",
            "http://localhost/`id`", "http://localhost/\"", "http://localhost\\x", "http://localhost/\n",
            "ftp://localhost", "localhost:8082", "file:///etc/passwd", "http://user:pw@localhost",
            "http://localhost/?a=b", "http://localhost/#x", "http://lócalhost", "", "http://"})
    void build_whenServerUrlUnsafeOrNotHttp_throwsInvalidInput(String url) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> NotifyScript.builder().guid(GUID).serverUrl(url).secret(SECRET).build());
        assertEquals("serverUrl", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdeg",
            "0123456789abcdef0123456789abcdef'"})
    void build_whenSecretNotLowercaseHex_throwsInvalidInput(String secret) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> NotifyScript.builder().guid(GUID).serverUrl("http://localhost").secret(secret).build());
        assertEquals("secret", e.field());
    }

    @Test
    void writeTo_whenDirectory_writesScriptForOwnerOnly() throws IOException {
        assertEquals(dir.resolve("notify.sh"), script);
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(script));
    }

    @Test
    void writeTo_whenNotADirectory_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NotifyScript.builder().guid(GUID)
                .serverUrl("http://localhost").secret(SECRET).build().writeTo(script));
        assertEquals("dir", e.field());
    }

    // ---- messages ----------------------------------------------------------------------------------------

    static Stream<String> awkwardMessages() {
        return Stream.of(
                "Building the app",
                "say \"hello\"",
                "back\\slash \\n not a newline \\\\ two",
                "line one\nline two\r\nline three",
                "tab\there",
                "$(id) and ${HOME} and `id` and $HOME",
                "emoji 😀🚀 and accents é ü 中文",
                "controls \u0001\u0002\u0007\b\f\u000b\u001b[31m\u001f end",
                "quote \" backslash \\ newline \n tab \t all",
                "glob * ? [a] and ' single quotes '",
                "",
                "   leading and trailing spaces   ",
                "-n",
                "%s %d %% printf");
    }

    @ParameterizedTest
    @MethodSource("awkwardMessages")
    void run_whenStatusMessageHasSpecialCharacters_serverReceivesTheExactText(String message) throws Exception {
        Run run = ScriptHarness.run(script, Map.of(), "status", message);

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(1, server.received.size());
        JsonNode body = verified(server.received.get(0));
        assertEquals(List.of("id", "guid", "type", "message"), fieldNames(body));
        assertEquals(GUID, body.get("guid").asText());
        assertEquals("status", body.get("type").asText());
        assertEquals(message, body.get("message").asText());
        assertTrue(body.get("id").asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    }

    @Test
    void run_whenMessageNeedsEscaping_serverReceivesExactlyTheseBytes() throws Exception {
        String message = "say \"hi\"\nline\ttab back\\slash $(id) `id` 😀 \u0001\u001f\r end";
        Run run = ScriptHarness.run(script, Map.of("NOTIFY_EVENT_ID", "deploy-1"), "error", message);

        assertEquals(0, run.exitCode(), run.stderr());
        verified(server.received.get(0));
        assertEquals("{\"id\":\"deploy-1\",\"guid\":\"" + GUID + "\",\"type\":\"error\",\"message\":"
                + "\"say \\\"hi\\\"\\nline\\ttab back\\\\slash $(id) `id` 😀 \\u0001\\u001f\\r end\"}",
                server.received.get(0).bodyText());
    }

    @Test
    void run_whenMessageHas4096Emoji_sendsItWhole() throws Exception {
        String message = "😀".repeat(4096); // 16,384 bytes: the most the receiver accepts, counted in characters
        Run run = ScriptHarness.run(script, Map.of(), "summary", message);

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(message, verified(server.received.get(0)).get("message").asText());
    }

    @ParameterizedTest
    @ValueSource(ints = {4097, 5000, 16384})
    void run_whenMessageOver4096Characters_exitsTwoAndSendsNothing(int length) throws Exception {
        Run run = ScriptHarness.run(script, Map.of(), "status", "a".repeat(length));

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("the message is too long (" + length + " characters; at most 4096)"),
                run.stderr());
        assertEquals(0, server.received.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ack", "status", "error", "done", "summary", "deployed"})
    void run_whenEachMessageType_sendsThatType(String type) throws Exception {
        Run run = ScriptHarness.run(script, Map.of(), type, "text for " + type);

        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode body = verified(server.received.get(0));
        assertEquals(type, body.get("type").asText());
        assertEquals("text for " + type, body.get("message").asText());
    }

    @Test
    void run_whenDoneWithoutMessage_sendsEmptyMessage() throws Exception {
        Run run = ScriptHarness.run(script, Map.of(), "done");

        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode body = verified(server.received.get(0));
        assertEquals("done", body.get("type").asText());
        assertEquals("", body.get("message").asText());
    }

    @Test
    void run_whenTwoEvents_usesDifferentEventIds() throws Exception {
        ScriptHarness.run(script, Map.of(), "status", "one");
        ScriptHarness.run(script, Map.of(), "status", "two");

        assertEquals(2, server.received.size());
        assertFalse(verified(server.received.get(0)).get("id").asText()
                .equals(verified(server.received.get(1)).get("id").asText()));
    }

    @Test
    void run_whenEventIdGiven_usesIt() throws Exception {
        Run run = ScriptHarness.run(script, Map.of("NOTIFY_EVENT_ID", "deploy-42"), "deployed", "ok");

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("deploy-42", verified(server.received.get(0)).get("id").asText());
    }

    @Test
    void run_whenEventIdUnsafe_exitsTwoAndSendsNothing() throws Exception {
        Run run = ScriptHarness.run(script, Map.of("NOTIFY_EVENT_ID", "a\",\"guid\":\"x"), "status", "hi");

        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("NOTIFY_EVENT_ID"), run.stderr());
        assertEquals(0, server.received.size());
    }

    @Test
    void run_whenUnknownType_exitsTwoWithUsageAndSendsNothing() throws Exception {
        Run run = ScriptHarness.run(script, Map.of(), "hello", "world");

        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("Usage:"), run.stderr());
        assertTrue(run.stderr().contains("{ack|status|error|done|summary|deployed}"), run.stderr());
        assertTrue(run.stderr().contains("unknown event type 'hello'"), run.stderr());
        assertEquals(0, server.received.size());
    }

    @Test
    void run_whenNoArguments_exitsTwoWithUsageAndSendsNothing() throws Exception {
        Run run = ScriptHarness.run(script, Map.of());

        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("Usage:"), run.stderr());
        assertEquals(0, server.received.size());
    }

    @Test
    void run_whenMessageNotQuoted_exitsTwoAndSendsNothing() throws Exception {
        Run run = ScriptHarness.run(script, Map.of(), "status", "Building", "the", "app");

        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("put the message in quotes"), run.stderr());
        assertEquals(0, server.received.size());
    }

    // ---- resources ---------------------------------------------------------------------------------------

    /** Which JSON checker the script finds: each is a PATH with exactly these tools. */
    enum Checker {
        JQ("jq"), PYTHON3("python3"), NODE("node"), BASH(null);

        final String tool;

        Checker(String tool) {
            this.tool = tool;
        }

        Path bin(Path base) throws IOException {
            List<String> tools = new ArrayList<>(List.of("bash", "curl", "openssl", "sleep"));
            if (tool != null) {
                tools.add(tool);
            }
            return ScriptHarness.binWith(base.resolve("bin-" + name()), tools.toArray(String[]::new));
        }

        /** What the script says (NOTIFY_DEBUG=1) when this checker ran. */
        String debugLine() {
            if (tool == null) {
                return "checking the resources JSON with bash";
            }
            return tool.equals("jq") ? "compacting the resources JSON with jq" : "checking the resources JSON with " + tool;
        }
    }

    private Run runWith(Checker checker, String... args) throws Exception {
        Path bin = checker.bin(dir);
        return ScriptHarness.run(script, Map.of("PATH", bin.toString(), "NOTIFY_DEBUG", "1"), args);
    }

    static final String RESOURCES = "{\n  \"s3Bucket\": \"tmux-builder-" + GUID + "\",\n"
            + "  \"cloudFrontId\": \"E2ABCDEF123456\", \"cloudFrontUrl\": \"https://d111.cloudfront.net\",\n"
            + "  \"region\": \"us-east-1\", \"ecrRepositories\": [\"tmux-" + GUID + "-backend\"],\n"
            + "  \"n\": -1.5e3, \"ok\": true, \"none\": null, \"nested\": {\"q\": \"say \\\"hi\\\" \\u00e9 😀\"}\n}\n";

    @ParameterizedTest
    @ValueSource(strings = {"JQ", "PYTHON3", "NODE", "BASH"})
    void run_whenResourcesIsAnObject_sendsItAsData(Checker checker) throws Exception {
        Run run = runWith(checker, "resources", RESOURCES);

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains(checker.debugLine()), run.stderr());
        assertEquals(1, server.received.size());
        JsonNode body = verified(server.received.get(0));
        assertEquals(List.of("id", "guid", "type", "data"), fieldNames(body));
        assertEquals("resources", body.get("type").asText());
        assertEquals(GUID, body.get("guid").asText());
        assertTrue(JSON.readTree(RESOURCES).equals(NUMERIC, body.get("data")), body.get("data").toString());
    }

    @Test
    void run_whenDefaultPath_checksWithPython3() throws Exception {
        Run run = ScriptHarness.run(script, Map.of("NOTIFY_DEBUG", "1"), "resources", "{\"s3Bucket\":\"b\"}");

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("checking the resources JSON with python3"), run.stderr());
    }

    @Test
    void run_whenPython3IsBroken_fallsBackToTheNextChecker() throws Exception {
        Path bin = ScriptHarness.binWith(dir.resolve("bin-broken"), "bash", "curl", "openssl", "jq");
        Path python = bin.resolve("python3");
        Files.writeString(python, "#!/bin/sh\necho 'pyenv: python3: command not found' >&2\nexit 127\n");
        python.toFile().setExecutable(true);

        Run ok = ScriptHarness.run(script, Map.of("PATH", bin.toString(), "NOTIFY_DEBUG", "1"), "resources", RESOURCES);
        Run bad = ScriptHarness.run(script, Map.of("PATH", bin.toString()), "resources", "{\"a\":01}");

        assertEquals(0, ok.exitCode(), ok.stderr());
        assertTrue(ok.stderr().contains("python3 did not run (exit 127)"), ok.stderr());
        assertTrue(ok.stderr().contains("compacting the resources JSON with jq"), ok.stderr());
        assertTrue(JSON.readTree(RESOURCES).equals(NUMERIC, verified(server.received.get(0)).get("data")));
        assertEquals(2, bad.exitCode(), bad.stderr());
        assertEquals(1, server.received.size());
    }

    static Stream<Arguments> malformedResources() {
        List<String> bad = List.of("{\"a\":1", "[1,2]", "\"text\"", "42", "null", "", "   ", "{\"a\":1} {\"b\":2}",
                "{\"a\":1}, \"guid\":\"x\"", "{'a':1}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":\"tab\there\"}",
                "{\"a\":NaN}", "{\"a\":\"\\q\"}", "{\"a\" 1}", "{a:1}", "{\"a\":1}}");
        List<Arguments> out = new ArrayList<>();
        for (Checker c : Checker.values()) {
            for (String b : bad) {
                out.add(Arguments.of(c, b));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("malformedResources")
    void run_whenResourcesNotOneJsonObject_refusesAndSendsNothing(Checker checker, String data) throws Exception {
        Run run = runWith(checker, "resources", data);

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("must be one JSON object"), run.stderr());
        assertTrue(run.stderr().contains("nothing was sent"), run.stderr());
        assertEquals(0, server.received.size());
    }

    @Test
    void run_whenResourcesWithoutArgument_exitsTwoAndSendsNothing() throws Exception {
        Run run = ScriptHarness.run(script, Map.of(), "resources");

        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("Usage:"));
        assertEquals(0, server.received.size());
    }

    // ---- delivery ----------------------------------------------------------------------------------------

    @Test
    void run_whenServerAnswers503TwiceThen200_retriesWithTheSameEventId() throws Exception {
        server.thenAnswer(new Answer(503, "{\"error\":\"busy\"}"), new Answer(503, ""));

        Run run = ScriptHarness.run(script, Map.of(), "resources", "{\"s3Bucket\":\"tmux-builder-" + GUID + "\"}");

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(3, server.received.size());
        Set<String> ids = new java.util.HashSet<>();
        Set<String> bodies = new java.util.HashSet<>();
        for (Received r : server.received) {
            ids.add(verified(r).get("id").asText());
            bodies.add(r.bodyText());
        }
        assertEquals(1, ids.size(), "one event id across retries");
        assertEquals(1, bodies.size(), "the same body across retries");
    }

    @Test
    void run_whenServerAnswers400_doesNotRetryAndExitsThree() throws Exception {
        server.thenAnswer(new Answer(400, "{\"error\":\"message too long\"}"));

        Run run = ScriptHarness.run(script, Map.of(), "status", "hi");

        assertEquals(3, run.exitCode());
        assertEquals(1, server.received.size());
        assertTrue(run.stderr().contains("HTTP 400"), run.stderr());
        assertTrue(run.stderr().contains("message too long"), run.stderr());
    }

    @Test
    void run_whenServerAlwaysAnswers503_givesUpAfterMaxTriesAndExitsFour() throws Exception {
        server.handler((h, b) -> new Answer(503, "{\"error\":\"down\"}"));

        Run run = ScriptHarness.run(script, Map.of("NOTIFY_MAX_TRIES", "3"), "status", "hi");

        assertEquals(4, run.exitCode());
        assertEquals(3, server.received.size());
        assertTrue(run.stderr().contains("after 3 attempt(s)"), run.stderr());
    }

    @Test
    void run_whenNoServerListens_retriesAndExitsFour() throws Exception {
        server.close();

        Run run = ScriptHarness.run(script, Map.of("NOTIFY_MAX_TRIES", "2"), "status", "hi");

        assertEquals(4, run.exitCode());
        assertTrue(run.stderr().contains("after 2 attempt(s)"), run.stderr());
    }

    @Test
    void run_whenRetryDelaySet_waitsWithBackoff() throws Exception {
        server.thenAnswer(new Answer(500, ""), new Answer(502, ""));
        long start = System.nanoTime();

        Run run = ScriptHarness.run(script, Map.of("NOTIFY_RETRY_DELAY", "1"), "status", "hi");

        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(3, server.received.size());
        assertTrue(seconds >= 3, "1 s then 2 s between the attempts, took " + seconds + " s");
    }

    @Test
    void run_whenMaxTriesNotANumber_exitsTwoAndSendsNothing() throws Exception {
        Run run = ScriptHarness.run(script, Map.of("NOTIFY_MAX_TRIES", "$(id)"), "status", "hi");

        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("NOTIFY_MAX_TRIES"), run.stderr());
        assertEquals(0, server.received.size());
    }

    @Test
    void run_whenCurlMissing_exitsFive() throws Exception {
        Path bin = ScriptHarness.binWith(dir.resolve("bin-nocurl"), "bash", "openssl");

        Run run = ScriptHarness.run(script, Map.of("PATH", bin.toString()), "status", "hi");

        assertEquals(5, run.exitCode());
        assertTrue(run.stderr().contains("curl is required"), run.stderr());
    }

    @Test
    void run_whenSigning_neverPutsTheSecretOnACommandLine() throws Exception {
        // any local user can read a process's arguments (/proc/<pid>/cmdline): log every openssl and curl call
        Path bin = ScriptHarness.binWith(dir.resolve("bin-logged"), "bash");
        Path log = dir.resolve("argv.log");
        for (String tool : List.of("openssl", "curl")) {
            Path real = ScriptHarness.program(tool).orElseThrow(() -> new AssertionError(tool + " is not installed"));
            Path wrapper = bin.resolve(tool);
            Files.writeString(wrapper, "#!/bin/sh\nprintf '%s %s\\n' '" + tool + "' \"$*\" >> '" + log + "'\n"
                    + "exec '" + real + "' \"$@\"\n");
            wrapper.toFile().setExecutable(true);
        }

        Run run = ScriptHarness.run(script, Map.of("PATH", bin.toString()), "status", "signed without leaking");

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("signed without leaking", verified(server.received.get(0)).get("message").asText());
        String argv = Files.readString(log);
        assertTrue(argv.contains("openssl dgst"), "openssl was not used: " + argv);
        assertFalse(argv.contains(SECRET), "the secret appeared in a command line: " + argv);
        assertFalse(argv.contains(SECRET.substring(0, 16)), "part of the secret appeared in a command line: " + argv);
    }
}
