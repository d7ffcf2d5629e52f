package dev.oneclick.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. The signed-event receiver. */
public final class NotifyReceiver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("ack", "status", "error", "done", "summary", "deployed", "resources");
    private static final Set<String> STRING_KEYS = Set.of("s3Bucket", "cloudFrontId", "cloudFrontUrl", "region",
            "ecsCluster", "rdsEndpoint", "siteUrl");
    private final byte[] masterKey;
    private final ProjectRegistry registry;
    private final ResourcesStore store;
    private final NotifySubscribers subscribers;
    private final ReplayGuard replay;
    private final Clock clock;

    private NotifyReceiver(Builder b) {
        this.masterKey = b.masterKey;
        this.registry = b.registry;
        this.store = b.store;
        this.subscribers = b.subscribers;
        this.replay = new ReplayGuard(Duration.ofMinutes(15));
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public NotifyResponse handle(Map<String, List<String>> headers, byte[] body) {
        if (body.length > 64 * 1024) {
            return error(413, "The event is larger than 64 KB.");
        }
        String ts = header(headers, "X-Oneclick-Timestamp");
        String sig = header(headers, "X-Oneclick-Signature");
        if (ts == null || sig == null || !sig.startsWith("sha256=")) {
            return error(401, "The event is not signed.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            return error(400, "The event is not JSON.");
        }
        if (root == null || !root.isObject()) {
            return error(400, "The event must be a JSON object.");
        }
        String guidText = root.path("guid").asText(null);
        if (!ProjectGuid.isValid(guidText)) {
            return error(400, "guid: not a valid GUID.");
        }
        ProjectGuid guid = ProjectGuid.parse(guidText);
        String expected = HexFormat.of().formatHex(NotifySecrets.hmac(
                NotifySecrets.forProject(masterKey, guid).getBytes(StandardCharsets.UTF_8),
                ts + "." + new String(body, StandardCharsets.UTF_8)));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                sig.substring(7).getBytes(StandardCharsets.UTF_8))) {
            return error(401, "The signature does not match.");
        }
        Instant now = clock.instant();
        long t;
        try {
            t = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            return error(401, "Bad timestamp.");
        }
        if (Math.abs(now.getEpochSecond() - t) > 300) {
            return error(401, "The event has expired.");
        }
        String type = root.path("type").asText("");
        if (!TYPES.contains(type)) {
            return error(400, "type: unknown type.");
        }
        String id = root.path("id").asText("");
        if (id.isEmpty() || id.length() > 128) {
            return error(400, "id: missing.");
        }
        String message = null;
        AwsResources data = null;
        if (type.equals("resources")) {
            JsonNode d = root.get("data");
            if (d == null || !d.isObject()) {
                return error(400, "data: must be an object.");
            }
            for (String k : STRING_KEYS) {
                if (d.has(k) && !d.get(k).isTextual()) {
                    return error(400, "data." + k + ": must be a string.");
                }
            }
            data = AwsResources.fromJson(d.toString());
        } else {
            JsonNode m = root.get("message");
            if (m == null || !m.isTextual()) {
                return error(400, "message: must be a string.");
            }
            message = m.asText();
        }
        String key = guid.value() + "/" + id;
        if (replay.seen(key, now)) {
            return new NotifyResponse(200, "{\"status\":\"duplicate\"}");
        }
        Optional<ProjectOwner> owner = registry.findOwner(guid);
        if (owner.isEmpty()) {
            return error(404, "Unknown project.");
        }
        if (data != null) {
            try {
                store.saveResources(owner.get(), guid, data);
            } catch (RuntimeException e) {
                return error(503, "Storage unavailable, retry.");
            }
        }
        replay.remember(key, now);
        subscribers.publish(owner.get(), guid, new NotifyEvent(id, guid,
                NotifyEvent.Type.valueOf(type.toUpperCase(java.util.Locale.ROOT)), message, data,
                Instant.ofEpochSecond(t)));
        return new NotifyResponse(200, "{\"status\":\"ok\"}");
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    private static NotifyResponse error(int status, String msg) {
        ObjectNode n = JSON.createObjectNode().put("error", msg);
        return new NotifyResponse(status, n.toString());
    }

    public static final class Builder {
        private byte[] masterKey;
        private ProjectRegistry registry;
        private ResourcesStore store;
        private NotifySubscribers subscribers;
        private Clock clock;

        public Builder masterKey(byte[] v) {
            masterKey = v.clone();
            return this;
        }

        public Builder registry(ProjectRegistry v) {
            registry = v;
            return this;
        }

        public Builder store(ResourcesStore v) {
            store = v;
            return this;
        }

        public Builder subscribers(NotifySubscribers v) {
            subscribers = v;
            return this;
        }

        public Builder clock(Clock v) {
            clock = v;
            return this;
        }

        public NotifyReceiver build() {
            return new NotifyReceiver(this);
        }
    }
}
