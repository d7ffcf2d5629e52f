package dev.oneclick.maven.internal;

import dev.oneclick.errors.OneclickException;
import dev.oneclick.notify.NotifySignature;
import dev.oneclick.resources.AwsResources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Posts a project's {@code resources} event to {@code {serverUrl}/notify}, signed the way {@code notify.sh} signs
 * it ({@link NotifySignature}: {@code X-Oneclick-Timestamp} and {@code X-Oneclick-Signature} over
 * {@code "<timestamp>.<body>"}, naming the secret's key id as {@code ;kid=<n>}, so a project whose secret was
 * rotated is accepted), with body {@code {"id":...,"guid":...,"type":"resources","data":{...}}}. A 408, 429 or 5xx
 * answer or a connection failure is retried (same event id, so the server stores it once); other 4xx answers are
 * not. A 409 whose error is {@code duplicate} (the server already processed this event id: a retry whose first
 * answer was lost) counts as delivered.
 */
public final class NotifySender {
    private static final java.util.regex.Pattern DUPLICATE =
            java.util.regex.Pattern.compile("\"error\"\\s*:\\s*\"duplicate\"");
    private final String serverUrl;
    private final String secret;
    private final int keyId;
    private final int maxTries;
    private final Duration retryDelay;
    private final HttpClient http;

    /** A sender signing with key id 1 (a secret never rotated). */
    public NotifySender(String serverUrl, String secret, int maxTries, Duration retryDelay) {
        this(serverUrl, secret, 1, maxTries, retryDelay);
    }

    /** A sender signing with the secret of key id {@code keyId} ({@link NotifyKeyId}). */
    public NotifySender(String serverUrl, String secret, int keyId, int maxTries, Duration retryDelay) {
        this.serverUrl = serverUrl.replaceAll("/+$", "");
        this.secret = NotifySignature.checkSecret(secret);
        if (keyId < 1 || keyId > 999_999) {
            throw new IllegalArgumentException("key id " + keyId + " is not 1-999999");
        }
        this.keyId = keyId;
        this.maxTries = Math.max(1, maxTries);
        this.retryDelay = retryDelay;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The body of a resources event. */
    public static String resourcesBody(String eventId, String guid, AwsResources resources) {
        return "{\"id\":\"" + eventId + "\",\"guid\":\"" + guid + "\",\"type\":\"resources\",\"data\":"
                + resources.toJson() + "}";
    }

    /**
     * Sends the event.
     *
     * @return the HTTP status of the accepting answer: 2xx, or 409 when the server already had the event
     * @throws OneclickException when the server refuses it or it cannot be delivered
     */
    public int sendResources(String guid, AwsResources resources) {
        String body = resourcesBody(UUID.randomUUID().toString(), guid, resources);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(serverUrl + "/notify");
        String last = "";
        for (int attempt = 1; attempt <= maxTries; attempt++) {
            long ts = System.currentTimeMillis() / 1000;
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header(NotifySignature.TIMESTAMP_HEADER, Long.toString(ts))
                    .header(NotifySignature.SIGNATURE_HEADER, NotifySignature.sign(secret, ts, bytes, keyId))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int code = response.statusCode();
                if (code >= 200 && code < 300 || isDuplicate(code, response.body())) {
                    return code;
                }
                last = "HTTP " + code + " " + abbreviate(response.body());
                if (code < 500 && code != 408 && code != 429) {
                    throw new OneclickException("The notify server " + uri + " refused the resources event: " + last
                            + " (check oneclick.notifySecretFile or ONECLICK_NOTIFY_SECRET and the GUID)");
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OneclickException("Interrupted while sending the resources event to " + uri, e);
            }
            if (attempt < maxTries) {
                try {
                    Thread.sleep(retryDelay.toMillis() * (1L << (attempt - 1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OneclickException("Interrupted while sending the resources event to " + uri, e);
                }
            }
        }
        throw new OneclickException("Could not deliver the resources event to " + uri + " after " + maxTries
                + " attempt(s) (last: " + last + "); check oneclick.notifyUrl");
    }

    /** A 409 answer whose error is {@code duplicate}: the event was processed before, once. */
    static boolean isDuplicate(int code, String body) {
        return code == 409 && body != null && DUPLICATE.matcher(body).find();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
