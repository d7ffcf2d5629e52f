package dev.oneclick.notify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.TooLargeException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyEvent.Type;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.resources.ResourcesSchema;
import dev.oneclick.text.internal.Printable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The server side of {@code notify.sh}, independent of any web framework: mount {@link #handle(Map, byte[])} on
 * {@code POST /notify} and send back the returned status and JSON body.
 *
 * <p>Checks, in this order: body at most 64 KB (else 413); timestamp and signature headers present and well formed
 * (401; the signature header may name a key id, {@code ;kid=<n>}, default 1); body strict JSON, duplicate keys refused (400); only the fields {@code id}, {@code guid}, {@code type},
 * {@code message}, {@code data} (400); a valid GUID (400); the signature, with the project's secret derived from
 * the master key and the key id ({@link NotifySecrets}), compared in constant time (401); the key id accepted for
 * the project now ({@link NotifyKeys}; 401 otherwise); the timestamp within the window,
 * 5 minutes either way (401); a known type (400); a message of at most 4,096 characters, or resources data that
 * passes {@link ResourcesSchema} (400); a known project owner (404). An event id already processed answers
 * {@code 200 {"status":"duplicate"}} and does nothing. A {@code resources} event is stored first
 * ({@link ResourcesStore#saveResources}), and a {@code deployed} or {@code error} event's outcome too
 * ({@link ResourcesStore#saveOutcome}); the event is published only after the store succeeded; input the store
 * refuses (an {@code InvalidInputException}: the merged record would break the schema or a bound) answers 400, or
 * 413 for a {@code TooLargeException}, and is not retried; any other store failure answers 503 and leaves the event unprocessed, so the sender's retry stores it exactly once. Success answers {@code 200 {"status":"ok"}}; errors {@code {"error":"<reason>"}}.
 * When the registry, the store or the subscribers throw, the answer carries that exception in
 * {@link NotifyResponse#failure()} (never in the body), so the host can log it; nothing is swallowed.
 *
 * <p>Thread-safe. The same event arriving twice at once is processed once; the second copy gets a 503 and, on
 * retry, the duplicate answer.
 */
public final class NotifyReceiver {
    /** The largest body accepted. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The longest message, in characters (code points). */
    public static final int MAX_MESSAGE_CHARS = 4096;
    /** How far a signed timestamp may be from the receiver's clock, either way. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private static final Set<String> FIELDS = Set.of("id", "guid", "type", "message", "data");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
    private static final Pattern SIGNATURE = Pattern.compile("(sha256=[0-9a-fA-F]{64})(;kid=([1-9][0-9]{0,5}))?");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final byte[] masterKey;
    private final ProjectRegistry registry;
    private final ResourcesStore store;
    private final NotifySubscribers subscribers;
    private final ReplayGuard replayGuard;
    private final NotifyKeys keys;
    private final Clock clock;
    private final Duration window;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    private NotifyReceiver(Builder b) {
        this.masterKey = NotifySecrets.checkMasterKey(b.masterKey);
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.store = Objects.requireNonNull(b.store, "store");
        this.subscribers = b.subscribers == null ? (o, g, e) -> { } : b.subscribers;
        this.keys = b.keys == null ? NotifyKeys.FIRST_ONLY : b.keys;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
        this.window = b.window == null ? DEFAULT_WINDOW : b.window;
        // an event stays replayable for 2 windows (timestamps count either way), so remember it that long
        this.replayGuard = b.replayGuard == null ? ReplayGuard.inMemory(100_000, this.window.multipliedBy(2))
                : b.replayGuard;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Handles one {@code POST /notify} request.
     *
     * @param headers the request headers (names in any case)
     * @param body the raw request body
     * @return the status and JSON body to answer with; never null, never throws for bad input
     */
    public NotifyResponse handle(Map<String, List<String>> headers, byte[] body) {
        if (body == null) {
            return error(400, "the request has no body");
        }
        if (body.length > MAX_BODY_BYTES) {
            return error(413, "the body is larger than " + MAX_BODY_BYTES + " bytes (" + body.length
                    + " bytes sent); send a shorter message or fewer resources");
        }
        String tsText = header(headers, NotifySignature.TIMESTAMP_HEADER);
        String signature = header(headers, NotifySignature.SIGNATURE_HEADER);
        if (tsText == null || !TIMESTAMP.matcher(tsText).matches()) {
            return error(401, "missing or invalid " + NotifySignature.TIMESTAMP_HEADER + " header (unix seconds)");
        }
        java.util.regex.Matcher sig = signature == null ? null : SIGNATURE.matcher(signature);
        if (sig == null || !sig.matches()) {
            return error(401, "missing or invalid " + NotifySignature.SIGNATURE_HEADER
                    + " header (sha256=<64 hex digits>, optionally ;kid=<key id>)");
        }
        int keyId = sig.group(3) == null ? 1 : Integer.parseInt(sig.group(3));
        long timestamp = Long.parseLong(tsText);

        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            return error(400, "the body is not valid JSON: " + reason);
        }
        if (root == null || !root.isObject()) {
            return error(400, "the body must be a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                return error(400, "unknown field '" + printable(field) + "'; allowed: id, guid, type, message, data");
            }
        }
        JsonNode idNode = root.get("id");
        if (idNode == null || !idNode.isTextual() || !EVENT_ID.matcher(idNode.textValue()).matches()) {
            return error(400, "'id' must be a string of 1-64 letters, digits or hyphens");
        }
        JsonNode guidNode = root.get("guid");
        if (guidNode == null || !guidNode.isTextual()) {
            return error(400, "'guid' must be a string");
        }
        ProjectGuid guid;
        try {
            guid = ProjectGuid.parse(guidNode.textValue());
        } catch (InvalidInputException e) {
            return error(400, e.getMessage());
        }

        String secret = NotifySecrets.forProject(masterKey, guid, keyId);
        if (!NotifySignature.verify(secret, timestamp, body, sig.group(1).toLowerCase(java.util.Locale.ROOT))) {
            return error(401, "the signature does not match this project's secret; send events with the notify.sh "
                    + "written for this project (its secret and GUID belong together), unchanged after signing");
        }
        try {
            if (!keys.accepts(guid, keyId, clock.instant())) {
                return error(401, "key id " + keyId + " is not accepted for this project (its secret was rotated); "
                        + "use the project's current notify.sh");
            }
        } catch (RuntimeException e) {
            return error(503, "the project's keys cannot be checked; retry later", e);
        }
        Instant now = clock.instant();
        Instant sentAt = Instant.ofEpochSecond(timestamp);
        if (Duration.between(sentAt, now).abs().compareTo(window) > 0) {
            return error(401, "the timestamp is outside the allowed window of " + window.toSeconds()
                    + " seconds (expired or clock skew); send the event again now, and check the sender's clock");
        }

        JsonNode typeNode = root.get("type");
        Optional<Type> type = typeNode != null && typeNode.isTextual()
                ? Type.fromWireName(typeNode.textValue()) : Optional.empty();
        if (type.isEmpty()) {
            return error(400, "'type' must be one of ack, status, error, done, summary, deployed, resources");
        }
        String message = null;
        AwsResources resources = null;
        if (type.get() == Type.RESOURCES) {
            if (root.has("message")) {
                return error(400, "a resources event carries 'data', not 'message'");
            }
            JsonNode data = root.get("data");
            if (data == null || !data.isObject()) {
                return error(400, "'data' must be a JSON object of resources");
            }
            String dataJson = data.toString();
            try {
                ResourcesSchema.validate(dataJson);
                resources = AwsResources.fromJson(dataJson);
            } catch (InvalidInputException e) {
                return error(400, "invalid resources: " + e.getMessage());
            }
        } else {
            if (root.has("data")) {
                return error(400, "a " + type.get().wireName() + " event carries 'message', not 'data'");
            }
            JsonNode m = root.get("message");
            if (m == null || !m.isTextual()) {
                return error(400, "'message' must be a string");
            }
            message = m.textValue();
            if (message.codePointCount(0, message.length()) > MAX_MESSAGE_CHARS) {
                return error(400, "'message' is longer than " + MAX_MESSAGE_CHARS + " characters");
            }
        }

        String eventId = idNode.textValue();
        ProjectOwner owner;
        try {
            Optional<ProjectOwner> found = registry.findOwner(guid);
            if (found.isEmpty()) {
                return error(404, "no project " + guid.value() + " is registered on this server; use the notify.sh "
                        + "of a project created here");
            }
            owner = found.get();
        } catch (RuntimeException e) {
            return error(503, "the project registry is unavailable; retry later", e);
        }

        String key = guid.value() + "/" + eventId;
        if (!inFlight.add(key)) {
            return error(503, "the same event is being processed; retry later");
        }
        try {
            try {
                if (replayGuard.isProcessed(guid, eventId, now)) {
                    return new NotifyResponse(200, "{\"status\":\"duplicate\"}");
                }
                long wait = replayGuard.secondsUntilRoom(now);
                if (wait > 0) {
                    return new NotifyResponse(503, error(503, "the server cannot remember more events until older "
                            + "ones expire; retry in " + wait + " s").jsonBody(), null, wait);
                }
            } catch (RuntimeException e) {
                return error(503, "the replay guard is unavailable; retry later", e);
            }
            if (resources != null) {
                try {
                    store.saveResources(owner, guid, resources);
                } catch (TooLargeException e) {
                    return error(413, "the resources were not stored: " + e.getMessage());
                } catch (InvalidInputException e) {
                    return error(400, "the resources were not stored: " + e.getMessage());
                } catch (RuntimeException e) {
                    return error(503, "the resources could not be stored; retry later", e);
                }
            }
            NotifyEvent event = new NotifyEvent(eventId, guid, type.get(), message, resources, sentAt);
            if (type.get() == Type.DEPLOYED || type.get() == Type.ERROR) {
                try {
                    store.saveOutcome(owner, guid, event);
                } catch (RuntimeException e) {
                    return error(503, "the deployment status could not be stored; retry later", e);
                }
            }
            try {
                replayGuard.markProcessed(guid, eventId, now);
            } catch (RuntimeException e) {
                // stored but not remembered: the retry stores it again (the store is idempotent), then publishes
                return error(503, "the event could not be recorded as processed; retry later", e);
            }
            try {
                subscribers.publish(owner, guid, event);
            } catch (RuntimeException e) {
                return new NotifyResponse(200, "{\"status\":\"ok\",\"published\":false}", e);
            }
            return new NotifyResponse(200, "{\"status\":\"ok\"}");
        } finally {
            inFlight.remove(key);
        }
    }

    private static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) {
            return null;
        }
        String found = null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null) {
                for (String v : e.getValue()) {
                    if (found != null) {
                        return null; // repeated header: ambiguous, refuse
                    }
                    found = v == null ? null : v.strip();
                }
            }
        }
        return found;
    }

    private static NotifyResponse error(int status, String reason) {
        return error(status, reason, null);
    }

    private static NotifyResponse error(int status, String reason, RuntimeException cause) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", reason);
        return new NotifyResponse(status, node.toString(), cause);
    }

    private static String printable(String s) {
        return Printable.of(s, 64);
    }

    /** Builds a {@link NotifyReceiver}. Master key, registry and store are required. */
    public static final class Builder {
        private byte[] masterKey;
        private ProjectRegistry registry;
        private ResourcesStore store;
        private NotifySubscribers subscribers;
        private ReplayGuard replayGuard;
        private NotifyKeys keys;
        private Clock clock;
        private Duration window;

        private Builder() {
        }

        /** Which key ids each project's events may be signed with; default only key id 1. */
        public Builder keys(NotifyKeys keys) {
            this.keys = keys;
            return this;
        }

        /** The backend's master key (at least 32 bytes); project secrets are derived from it. */
        public Builder masterKey(byte[] masterKey) {
            this.masterKey = masterKey == null ? null : masterKey.clone();
            return this;
        }

        public Builder registry(ProjectRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder store(ResourcesStore store) {
            this.store = store;
            return this;
        }

        /** Where accepted events go; default: nowhere. */
        public Builder subscribers(NotifySubscribers subscribers) {
            this.subscribers = subscribers;
            return this;
        }

        /**
         * Default: an in-memory guard of 100,000 entries that remembers each event for twice the
         * {@linkplain #window(Duration) window}. A guard given here should remember events at least that long.
         */
        public Builder replayGuard(ReplayGuard replayGuard) {
            this.replayGuard = replayGuard;
            return this;
        }

        /** Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** How far a timestamp may be off, either way; default 5 minutes, at most 1 hour. */
        public Builder window(Duration window) {
            this.window = window;
            return this;
        }

        /**
         * @throws InvalidInputException (field {@code masterKey}) for a missing or short key
         * @throws NullPointerException if registry or store is missing
         */
        public NotifyReceiver build() {
            if (window != null && (window.isNegative() || window.isZero() || window.compareTo(Duration.ofHours(1)) > 0)) {
                throw new InvalidInputException("window", "The notify time window must be between 1 second and "
                        + "1 hour.");
            }
            return new NotifyReceiver(this);
        }
    }
}
