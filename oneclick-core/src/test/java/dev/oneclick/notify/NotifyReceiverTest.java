package dev.oneclick.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.errors.TrackerException;
import dev.oneclick.naming.ProjectGuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotifyReceiverTest {
    static final byte[] MASTER = "0123456789abcdef0123456789abcdef-test-master-key".getBytes(StandardCharsets.US_ASCII);
    static final ProjectGuid GUID = ProjectGuid.parse("3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab");
    static final ProjectGuid OTHER = ProjectGuid.parse("11111111-2222-4333-8444-555555555555");
    static final String SECRET = NotifySecrets.forProject(MASTER, GUID);
    static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    Fakes fakes;
    NotifyReceiver receiver;

    @BeforeEach
    void setUp() {
        fakes = new Fakes();
        fakes.owners.put(GUID, new ProjectOwner("user-1", "My shop"));
        fakes.owners.put(OTHER, new ProjectOwner("user-2", "Other"));
        receiver = receiverAt(NOW);
    }

    private NotifyReceiver receiverAt(Instant now) {
        return NotifyReceiver.builder().masterKey(MASTER).registry(fakes.registry).store(fakes.store)
                .subscribers(fakes.subscribers).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    static Map<String, List<String>> signed(String secret, long ts, byte[] body) {
        Map<String, List<String>> h = new HashMap<>();
        h.put("X-Oneclick-Timestamp", List.of(Long.toString(ts)));
        h.put("X-Oneclick-Signature", List.of(NotifySignature.sign(secret, ts, body)));
        h.put("Content-Type", List.of("application/json"));
        return h;
    }

    private NotifyResponse send(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return receiver.handle(signed(SECRET, NOW.getEpochSecond(), body), body);
    }

    static String status(String id, String message) {
        return "{\"id\":\"" + id + "\",\"guid\":\"" + GUID + "\",\"type\":\"status\",\"message\":\"" + message + "\"}";
    }

    static String resources(String id, String data) {
        return "{\"id\":\"" + id + "\",\"guid\":\"" + GUID + "\",\"type\":\"resources\",\"data\":" + data + "}";
    }

    static final String DATA = "{\"s3Bucket\":\"tmux-builder-" + GUID + "\",\"cloudFrontId\":\"E2ABCDEF123456\","
            + "\"cloudFrontUrl\":\"https://d111111abcdef8.cloudfront.net\",\"region\":\"us-east-1\"}";

    private static void assertError(NotifyResponse r, int status, String reasonPart) throws IOException {
        assertEquals(status, r.status(), r.jsonBody());
        JsonNode node = JSON.readTree(r.jsonBody());
        assertEquals(List.of("error"), List.copyOf(iterable(node)));
        assertTrue(node.get("error").asText().contains(reasonPart), r.jsonBody());
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void assertNothingHappened() {
        assertEquals(0, fakes.storeCalls.get());
        assertEquals(List.of(), fakes.published);
    }

    @Test
    void handle_whenReplayGuardFullOfUnexpiredEvents_answers503WithRetryAfterAndStoresNothing() throws IOException {
        ReplayGuard small = ReplayGuard.inMemory(1, Duration.ofMinutes(10));
        small.markProcessed(OTHER, "earlier", NOW.minusSeconds(60));
        receiver = NotifyReceiver.builder().masterKey(MASTER).registry(fakes.registry).store(fakes.store)
                .subscribers(fakes.subscribers).replayGuard(small).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

        NotifyResponse r = send(resources("ev-full", DATA));

        assertError(r, 503, "cannot remember more events");
        assertEquals(541, r.retryAfterSeconds(), "room when 'earlier' expires, 540 s from now");
        assertNothingHappened();
        assertTrue(small.isProcessed(OTHER, "earlier", NOW), "the remembered event was not forgotten");
    }

    @Test
    void handle_whenStoreRefusesTheMergedRecordAsTooLarge_answers413AndPublishesNothing() throws IOException {
        receiver = NotifyReceiver.builder().masterKey(MASTER).registry(fakes.registry)
                .store((o, g, res) -> {
                    throw new dev.oneclick.errors.TooLargeException("awsResources", "the record would pass 350 KB");
                })
                .subscribers(fakes.subscribers).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

        NotifyResponse r = send(resources("ev-big", DATA));

        assertError(r, 413, "350 KB");
        assertEquals(List.of(), fakes.published);
        assertFalse(r.failure().isPresent(), "refused input is not a failure of the host");
    }

    private NotifyResponse sendWithKey(NotifyReceiver r, String json, int keyId) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = new HashMap<>();
        h.put("X-Oneclick-Timestamp", List.of(Long.toString(NOW.getEpochSecond())));
        h.put("X-Oneclick-Signature", List.of(NotifySignature.sign(NotifySecrets.forProject(MASTER, GUID, keyId),
                NOW.getEpochSecond(), body, keyId)));
        return r.handle(h, body);
    }

    @Test
    void handle_whenKeyIdNotAcceptedForTheProject_answers401AndStoresNothing() throws IOException {
        assertError(sendWithKey(receiver, resources("ev-k2", DATA), 2), 401, "key id 2 is not accepted");
        assertNothingHappened();
        assertEquals(200, sendWithKey(receiver, status("ev-k1", "one"), 1).status(), "kid=1 is the default key");
    }

    @Test
    void handle_whenRotationWindowOpen_acceptsOldAndNewKeyThenOnlyTheNew() throws IOException {
        Instant windowEnds = NOW.plusSeconds(60);
        NotifyKeys rotating = (g, kid, now) -> kid == 2 || (kid == 1 && now.isBefore(windowEnds));
        NotifyReceiver during = NotifyReceiver.builder().masterKey(MASTER).registry(fakes.registry).store(fakes.store)
                .subscribers(fakes.subscribers).keys(rotating).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        assertEquals(200, sendWithKey(during, status("ev-old", "old"), 1).status());
        assertEquals(200, sendWithKey(during, status("ev-new", "new"), 2).status());

        NotifyReceiver after = NotifyReceiver.builder().masterKey(MASTER).registry(fakes.registry).store(fakes.store)
                .subscribers(fakes.subscribers).keys(rotating)
                .clock(Clock.fixed(windowEnds.plusSeconds(1), ZoneOffset.UTC)).build();
        byte[] body = status("ev-late", "late").getBytes(StandardCharsets.UTF_8);
        long ts = windowEnds.plusSeconds(1).getEpochSecond();
        Map<String, List<String>> h = new HashMap<>();
        h.put("X-Oneclick-Timestamp", List.of(Long.toString(ts)));
        h.put("X-Oneclick-Signature", List.of(NotifySignature.sign(SECRET, ts, body)));
        assertError(after.handle(h, body), 401, "key id 1 is not accepted");
        assertEquals(2, fakes.published.size(), "the late event with the old key was published");
    }

    @Test
    void secrets_whenKeyIdsDiffer_differAndKeyIdOneIsTheOriginal() {
        assertEquals(SECRET, NotifySecrets.forProject(MASTER, GUID, 1));
        assertFalse(SECRET.equals(NotifySecrets.forProject(MASTER, GUID, 2)));
        assertFalse(NotifySecrets.forProject(MASTER, OTHER, 2).equals(NotifySecrets.forProject(MASTER, GUID, 2)));
    }

    // ---- success ------------------------------------------------------------------------------------------

    @Test
    void handle_whenValidStatusEvent_publishesAndAnswersOk() {
        NotifyResponse r = send(status("ev-1", "Building \\\"app\\\" \\ud83d\\ude00"));

        assertEquals(200, r.status());
        assertEquals("{\"status\":\"ok\"}", r.jsonBody());
        assertTrue(r.failure().isEmpty());
        assertEquals(1, fakes.published.size());
        NotifyEvent e = fakes.published.get(0);
        assertEquals("ev-1", e.id());
        assertEquals(GUID, e.guid());
        assertEquals(NotifyEvent.Type.STATUS, e.type());
        assertEquals("Building \"app\" 😀", e.message());
        assertNull(e.resources());
        assertEquals(NOW, e.sentAt());
        assertEquals(0, fakes.storeCalls.get(), "message events are not stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ack", "status", "error", "done", "summary", "deployed"})
    void handle_whenEachMessageType_publishesThatType(String type) {
        NotifyResponse r = send("{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":\"" + type + "\",\"message\":\"\"}");

        assertEquals(200, r.status(), r.jsonBody());
        assertEquals(type, fakes.published.get(0).type().wireName());
    }

    @Test
    void handle_whenValidResourcesEvent_storesThenPublishes() {
        NotifyResponse r = send(resources("ev-2", DATA));

        assertEquals(200, r.status(), r.jsonBody());
        assertEquals("{\"status\":\"ok\"}", r.jsonBody());
        assertEquals(List.of("stored user-1 " + GUID, "published resources user-1 " + GUID), fakes.log);
        assertEquals("tmux-builder-" + GUID, fakes.stored.get(0).s3Bucket().orElseThrow());
        assertEquals(fakes.stored.get(0), fakes.published.get(0).resources());
    }

    @Test
    void handle_whenHeaderNamesInOtherCase_acceptsThem() {
        byte[] body = status("ev-3", "hi").getBytes(StandardCharsets.UTF_8);
        long ts = NOW.getEpochSecond();
        Map<String, List<String>> h = Map.of("x-oneclick-timestamp", List.of(Long.toString(ts)),
                "X-ONECLICK-SIGNATURE", List.of(NotifySignature.sign(SECRET, ts, body)));

        assertEquals(200, receiver.handle(h, body).status());
    }

    @Test
    void handle_whenTimestampAtEdgeOfWindow_accepts() {
        byte[] body = status("ev-edge", "hi").getBytes(StandardCharsets.UTF_8);
        long ts = NOW.getEpochSecond() - 300;

        assertEquals(200, receiver.handle(signed(SECRET, ts, body), body).status());
    }

    @Test
    void handle_whenMessageHas4096Emoji_accepts() {
        String msg = "\\ud83d\\ude00".repeat(4096);
        assertEquals(200, send(status("ev-emoji", msg)).status());
    }

    // ---- 413 / 401 before parsing -------------------------------------------------------------------------

    @Test
    void handle_whenBodyLargerThan64KB_answers413() throws IOException {
        byte[] body = new byte[64 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');

        assertError(receiver.handle(Map.of(), body), 413, "larger than 65536 bytes");
        assertNothingHappened();
    }

    @Test
    void handle_whenBodyExactly64KB_isNotRefusedForSize() throws IOException {
        String prefix = status("ev-big", "");
        String json = prefix.replace("\"message\":\"\"", "\"message\":\"" + "x".repeat(64 * 1024 - prefix.length()) + "\"");
        assertEquals(64 * 1024, json.length());

        assertError(send(json), 400, "longer than 4096 characters");
    }

    @Test
    void handle_whenTimestampHeaderMissing_answers401() throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed(SECRET, NOW.getEpochSecond(), body);
        h.remove("X-Oneclick-Timestamp");

        assertError(receiver.handle(h, body), 401, "X-Oneclick-Timestamp");
        assertNothingHappened();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-5", "1.5", "99999999999999", "1 2"})
    void handle_whenTimestampHeaderInvalid_answers401(String ts) throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed(SECRET, NOW.getEpochSecond(), body);
        h.put("X-Oneclick-Timestamp", List.of(ts));

        assertError(receiver.handle(h, body), 401, "X-Oneclick-Timestamp");
    }

    @Test
    void handle_whenTimestampHeaderRepeated_answers401() throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed(SECRET, NOW.getEpochSecond(), body);
        h.put("X-Oneclick-Timestamp", List.of(Long.toString(NOW.getEpochSecond()), "1"));

        assertError(receiver.handle(h, body), 401, "X-Oneclick-Timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256=", "sha1=0123", "md5=00", "sha256=zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void handle_whenSignatureHeaderInvalid_answers401(String sig) throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed(SECRET, NOW.getEpochSecond(), body);
        h.put("X-Oneclick-Signature", List.of(sig));

        assertError(receiver.handle(h, body), 401, "X-Oneclick-Signature");
    }

    @Test
    void handle_whenSignatureHeaderMissing_answers401() throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed(SECRET, NOW.getEpochSecond(), body);
        h.remove("X-Oneclick-Signature");

        assertError(receiver.handle(h, body), 401, "X-Oneclick-Signature");
        assertNothingHappened();
    }

    // ---- 400 structure ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "{\"id\":\"e\"} {\"id\":\"f\"}", "{\"id\":\"e\",}", "[]", "\"text\"", "null"})
    void handle_whenBodyNotOneJsonObject_answers400(String json) throws IOException {
        NotifyResponse r = send(json);
        assertEquals(400, r.status(), r.jsonBody());
        assertTrue(JSON.readTree(r.jsonBody()).get("error").asText().startsWith("the body"), r.jsonBody());
        assertNothingHappened();
    }

    @Test
    void handle_whenBodyIsNotUtf8_answers400() throws IOException {
        byte[] body = status("e", "caf_").getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xe9; // a lone Latin-1 byte where UTF-8 is required

        NotifyResponse r = receiver.handle(signed(SECRET, NOW.getEpochSecond(), body), body);

        assertError(r, 400, "not valid JSON");
        assertNothingHappened();
    }

    @Test
    void handle_whenDuplicateKeys_answers400() throws IOException {
        String json = "{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":\"status\",\"type\":\"resources\",\"message\":\"x\"}";

        assertError(send(json), 400, "Duplicate field 'type'");
        assertNothingHappened();
    }

    @Test
    void handle_whenUnknownField_answers400() throws IOException {
        String json = "{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":\"status\",\"message\":\"x\",\"userId\":\"admin\"}";

        assertError(send(json), 400, "unknown field 'userId'");
        assertNothingHappened();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"not-a-guid\"", "\"../../etc\"", "42", "null"})
    void handle_whenGuidInvalid_answers400(String guid) throws IOException {
        String json = "{\"id\":\"e\",\"guid\":" + guid + ",\"type\":\"status\",\"message\":\"x\"}";

        NotifyResponse r = send(json);
        assertEquals(400, r.status(), r.jsonBody());
        assertNothingHappened();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"has space\"", "\"a/b\"", "1", "null"})
    void handle_whenEventIdInvalid_answers400(String id) throws IOException {
        String json = "{\"id\":" + id + ",\"guid\":\"" + GUID + "\",\"type\":\"status\",\"message\":\"x\"}";

        assertError(send(json), 400, "'id'");
    }

    @Test
    void handle_whenEventIdMissing_answers400() throws IOException {
        assertError(send("{\"guid\":\"" + GUID + "\",\"type\":\"status\",\"message\":\"x\"}"), 400, "'id'");
    }

    // ---- 401 signature and time ---------------------------------------------------------------------------

    @Test
    void handle_whenSignedWithWrongSecret_answers401() throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);
        String forged = NotifySecrets.forProject("another-master-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII), GUID);

        assertError(receiver.handle(signed(forged, NOW.getEpochSecond(), body), body), 401, "signature does not match");
        assertNothingHappened();
    }

    @Test
    void handle_whenSignedWithAnotherProjectsSecret_answers401() throws IOException {
        byte[] body = resources("e", DATA).getBytes(StandardCharsets.UTF_8);
        String otherSecret = NotifySecrets.forProject(MASTER, OTHER);

        assertError(receiver.handle(signed(otherSecret, NOW.getEpochSecond(), body), body), 401,
                "signature does not match");
        assertNothingHappened();
    }

    @Test
    void handle_whenBodyChangedAfterSigning_answers401() throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed(SECRET, NOW.getEpochSecond(), body);
        byte[] changed = status("e", "ho").getBytes(StandardCharsets.UTF_8);

        assertError(receiver.handle(h, changed), 401, "signature does not match");
    }

    @Test
    void handle_whenTimestampChangedAfterSigning_answers401() throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> h = signed(SECRET, NOW.getEpochSecond(), body);
        h.put("X-Oneclick-Timestamp", List.of(Long.toString(NOW.getEpochSecond() - 1)));

        assertError(receiver.handle(h, body), 401, "signature does not match");
    }

    @ParameterizedTest
    @ValueSource(longs = {-301, 301, -86400, 86400})
    void handle_whenTimestampOutsideWindow_answers401Expired(long offset) throws IOException {
        byte[] body = status("e", "hi").getBytes(StandardCharsets.UTF_8);

        assertError(receiver.handle(signed(SECRET, NOW.getEpochSecond() + offset, body), body), 401, "expired");
        assertNothingHappened();
    }

    // ---- 400 content --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\"hello\"", "\"STATUS\"", "\"\"", "1", "null"})
    void handle_whenTypeUnknown_answers400(String type) throws IOException {
        String json = "{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":" + type + ",\"message\":\"x\"}";

        assertError(send(json), 400, "'type' must be one of");
        assertNothingHappened();
    }

    @Test
    void handle_whenMessageLongerThan4096_answers400() throws IOException {
        assertError(send(status("e", "x".repeat(4097))), 400, "longer than 4096");
        assertNothingHappened();
    }

    @Test
    void handle_whenMessageNotAString_answers400() throws IOException {
        assertError(send("{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":\"status\",\"message\":{\"a\":1}}"), 400,
                "'message' must be a string");
        assertError(send("{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":\"done\"}"), 400, "'message' must be a string");
    }

    @Test
    void handle_whenMessageEventCarriesData_answers400() throws IOException {
        assertError(send("{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":\"status\",\"message\":\"x\",\"data\":{}}"),
                400, "carries 'message', not 'data'");
    }

    @Test
    void handle_whenResourcesEventCarriesMessage_answers400() throws IOException {
        assertError(send("{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":\"resources\",\"message\":\"x\",\"data\":{}}"),
                400, "carries 'data', not 'message'");
        assertNothingHappened();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"{}\"", "null", "1"})
    void handle_whenResourcesDataNotAnObject_answers400(String data) throws IOException {
        assertError(send(resources("e", data)), 400, "'data' must be a JSON object");
        assertNothingHappened();
    }

    @Test
    void handle_whenResourcesBreakTheSchema_answers400NamingThePath() throws IOException {
        NotifyResponse r = send(resources("e", "{\"s3Bucket\":\"Not_A_Bucket!\",\"region\":\"us-east-1\"}"));

        assertError(r, 400, "invalid resources");
        assertTrue(JSON.readTree(r.jsonBody()).get("error").asText().contains("s3Bucket"), r.jsonBody());
        assertNothingHappened();
    }

    @Test
    void handle_whenResourcesHaveUnknownKeys_storesThemToo() {
        NotifyResponse r = send(resources("e-unknown", "{\"s3Bucket\":\"tmux-builder-" + GUID + "\",\"customKey\":\"kept\"}"));

        assertEquals(200, r.status(), r.jsonBody());
        assertEquals("kept", fakes.stored.get(0).getString("customKey").orElseThrow());
    }

    @Test
    void handle_whenResourcesDataMissing_answers400() throws IOException {
        assertError(send("{\"id\":\"e\",\"guid\":\"" + GUID + "\",\"type\":\"resources\"}"), 400, "'data'");
    }

    @Test
    void handle_whenResourcesHasDuplicateKeyInData_answers400() throws IOException {
        assertError(send(resources("e", "{\"s3Bucket\":\"a\",\"s3Bucket\":\"b\"}")), 400, "Duplicate field 's3Bucket'");
        assertNothingHappened();
    }

    // ---- 404, replay, store failures ----------------------------------------------------------------------

    @Test
    void handle_whenProjectHasNoOwner_answers404() throws IOException {
        fakes.owners.remove(GUID);

        assertError(send(resources("e", DATA)), 404, "no project");
        assertNothingHappened();
    }

    @Test
    void handle_whenRegistryFails_answers503() throws IOException {
        OneclickException down = new OneclickException("registry down");
        fakes.registryFailure = down;

        NotifyResponse r = send(resources("e", DATA));

        assertError(r, 503, "retry later");
        assertSame(down, r.failure().orElseThrow(), "the cause reaches the host, not the body");
        assertFalse(r.jsonBody().contains("registry down"), r.jsonBody());
        assertNothingHappened();
    }

    @Test
    void handle_whenEventReplayed_answersDuplicateAndDoesNothingMore() throws IOException {
        String json = resources("ev-replay", DATA);
        assertEquals(200, send(json).status());

        NotifyResponse again = send(json);

        assertEquals(200, again.status());
        assertEquals("{\"status\":\"duplicate\"}", again.jsonBody());
        assertEquals(1, fakes.storeCalls.get());
        assertEquals(1, fakes.published.size());
    }

    @Test
    void handle_whenRetriedWithNewTimestamp_answersDuplicate() {
        byte[] body = resources("ev-retry", DATA).getBytes(StandardCharsets.UTF_8);
        assertEquals(200, receiver.handle(signed(SECRET, NOW.getEpochSecond() - 10, body), body).status());

        NotifyResponse again = receiver.handle(signed(SECRET, NOW.getEpochSecond(), body), body);

        assertEquals("{\"status\":\"duplicate\"}", again.jsonBody());
        assertEquals(1, fakes.stored.size());
    }

    @Test
    void handle_whenSameEventIdFromAnotherProject_processesBoth() {
        assertEquals(200, send(status("shared-id", "a")).status());
        byte[] body = ("{\"id\":\"shared-id\",\"guid\":\"" + OTHER + "\",\"type\":\"status\",\"message\":\"b\"}")
                .getBytes(StandardCharsets.UTF_8);

        NotifyResponse r = receiver.handle(signed(NotifySecrets.forProject(MASTER, OTHER), NOW.getEpochSecond(), body),
                body);

        assertEquals("{\"status\":\"ok\"}", r.jsonBody());
        assertEquals(2, fakes.published.size());
    }

    @Test
    void handle_whenStoreFails_answers503AndRetryStoresOnce() throws IOException {
        fakes.storeFailuresLeft.set(2);
        String json = resources("ev-flaky", DATA);

        NotifyResponse first = send(json);
        assertError(first, 503, "could not be stored");
        assertTrue(first.failure().orElseThrow() instanceof TrackerException, String.valueOf(first.cause()));
        assertFalse(first.jsonBody().contains("throttled"), first.jsonBody());
        assertError(send(json), 503, "could not be stored");
        assertEquals(List.of(), fakes.published, "nothing published before the store succeeded");
        NotifyResponse third = send(json);
        NotifyResponse fourth = send(json);

        assertEquals("{\"status\":\"ok\"}", third.jsonBody());
        assertEquals("{\"status\":\"duplicate\"}", fourth.jsonBody());
        assertEquals(3, fakes.storeCalls.get());
        assertEquals(1, fakes.stored.size());
        assertEquals(1, fakes.published.size());
        assertEquals(List.of("store-failed", "store-failed", "stored user-1 " + GUID,
                "published resources user-1 " + GUID), fakes.log);
    }

    @Test
    void handle_whenPublishFails_answersOkNotPublishedAndRetryIsDuplicate() {
        IllegalStateException closed = new IllegalStateException("socket closed");
        fakes.publishFailure = closed;
        String json = resources("ev-pub", DATA);

        NotifyResponse r = send(json);

        assertEquals(200, r.status());
        assertEquals("{\"status\":\"ok\",\"published\":false}", r.jsonBody());
        assertSame(closed, r.failure().orElseThrow());
        assertEquals(1, fakes.stored.size());
        assertEquals("{\"status\":\"duplicate\"}", send(json).jsonBody());
        assertEquals(1, fakes.storeCalls.get());
    }

    @Test
    void handle_whenSameEventArrivesTwiceAtOnce_storesOnce() throws Exception {
        CountDownLatch inStore = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fakes.duringStore = () -> {
            inStore.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        String json = resources("ev-race", DATA);
        CompletableFuture<NotifyResponse> first = CompletableFuture.supplyAsync(() -> send(json));
        assertTrue(inStore.await(10, TimeUnit.SECONDS));

        NotifyResponse second = send(json);
        release.countDown();

        assertError(second, 503, "being processed");
        assertEquals("{\"status\":\"ok\"}", first.get(10, TimeUnit.SECONDS).jsonBody());
        assertEquals("{\"status\":\"duplicate\"}", send(json).jsonBody());
        assertEquals(1, fakes.stored.size());
    }

    @Test
    void handle_whenRetriedNineMinutesLater_stillAnswersDuplicate() {
        Instant[] now = {NOW};
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        NotifyReceiver r = NotifyReceiver.builder().masterKey(MASTER).registry(fakes.registry).store(fakes.store)
                .subscribers(fakes.subscribers).clock(moving).build();
        byte[] body = status("ev-old", "hi").getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"status\":\"ok\"}", r.handle(signed(SECRET, NOW.getEpochSecond(), body), body).jsonBody());

        now[0] = NOW.plus(Duration.ofMinutes(9));
        long ts = now[0].getEpochSecond();
        assertEquals("{\"status\":\"duplicate\"}", r.handle(signed(SECRET, ts, body), body).jsonBody());
    }

    @ParameterizedTest
    @ValueSource(strings = {"deployed", "error"})
    void handle_whenOutcomeEvent_storesOutcomeThenPublishes(String type) {
        NotifyResponse r = send("{\"id\":\"ev-o\",\"guid\":\"" + GUID + "\",\"type\":\"" + type
                + "\",\"message\":\"build <b>broke</b>\"}");

        assertEquals("{\"status\":\"ok\"}", r.jsonBody());
        assertEquals(List.of(type + ":build <b>broke</b>"), fakes.outcomes);
        assertEquals(List.of("outcome " + type + " user-1 " + GUID, "published " + type + " user-1 " + GUID),
                fakes.log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ack", "status", "done", "summary"})
    void handle_whenProgressEvent_storesNoOutcome(String type) {
        NotifyResponse r = send("{\"id\":\"ev-p\",\"guid\":\"" + GUID + "\",\"type\":\"" + type
                + "\",\"message\":\"x\"}");

        assertEquals("{\"status\":\"ok\"}", r.jsonBody());
        assertEquals(List.of(), fakes.outcomes);
        assertEquals(1, fakes.published.size());
    }

    @Test
    void handle_whenOutcomeStoreFails_answers503PublishesNothingAndRetryStoresOnce() throws IOException {
        fakes.outcomeFailuresLeft.set(1);
        String json = "{\"id\":\"ev-d\",\"guid\":\"" + GUID + "\",\"type\":\"deployed\",\"message\":\"live\"}";

        NotifyResponse first = send(json);
        assertError(first, 503, "status could not be stored");
        assertTrue(first.failure().orElseThrow() instanceof TrackerException);
        assertEquals(List.of(), fakes.published);

        assertEquals("{\"status\":\"ok\"}", send(json).jsonBody());
        assertEquals("{\"status\":\"duplicate\"}", send(json).jsonBody());
        assertEquals(List.of("deployed:live"), fakes.outcomes);
        assertEquals(1, fakes.published.size());
    }

    @Test
    void handle_whenWindowLongerAndNoGuardGiven_remembersEventsForTwoWindows() {
        Instant[] now = {NOW};
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        NotifyReceiver r = NotifyReceiver.builder().masterKey(MASTER).registry(fakes.registry).store(fakes.store)
                .subscribers(fakes.subscribers).clock(moving).window(Duration.ofMinutes(30)).build();
        // signed 29 minutes ahead (clock skew within the window), first seen now
        long ts = NOW.plus(Duration.ofMinutes(29)).getEpochSecond();
        byte[] body = status("ev-skew", "hi").getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"status\":\"ok\"}", r.handle(signed(SECRET, ts, body), body).jsonBody());

        // replayed unchanged 55 minutes later: the signature is still inside the window
        now[0] = NOW.plus(Duration.ofMinutes(55));
        assertEquals("{\"status\":\"duplicate\"}", r.handle(signed(SECRET, ts, body), body).jsonBody());
        assertEquals(1, fakes.published.size());
    }

    // ---- builder ------------------------------------------------------------------------------------------

    @Test
    void build_whenMasterKeyShort_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NotifyReceiver.builder()
                .masterKey(new byte[16]).registry(fakes.registry).store(fakes.store).build());
        assertEquals("masterKey", e.field());
    }

    @Test
    void build_whenWindowOverAnHour_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NotifyReceiver.builder()
                .masterKey(MASTER).registry(fakes.registry).store(fakes.store).window(Duration.ofHours(2)).build());
        assertEquals("window", e.field());
    }

    @Test
    void handle_whenNullBody_answers400() throws IOException {
        assertError(receiver.handle(Map.of(), null), 400, "no body");
        assertFalse(fakes.storeCalls.get() > 0);
    }
}
