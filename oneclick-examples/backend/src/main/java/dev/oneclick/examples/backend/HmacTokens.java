package dev.oneclick.examples.backend;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The example's sign-in: a bearer token {@code base64url(userId).expiryEpochSeconds.hexHmac}, signed with a key
 * only the backend knows. Stateless, so it survives a restart with the same key; it cannot be revoked before it
 * expires, which is why an embedding backend replaces it with its own {@link Authenticator}. Thread-safe.
 */
public final class HmacTokens implements Authenticator {
    private final byte[] key;
    private final Clock clock;
    private final Duration ttl;

    /**
     * @param key signing key, at least 32 bytes
     * @param ttl how long an issued token stays valid
     */
    public HmacTokens(byte[] key, Duration ttl, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the token key must have at least 32 bytes");
        }
        this.key = key.clone();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Issues a token for a user id (checked by the caller). */
    public String issue(String userId) {
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(userId.getBytes(StandardCharsets.UTF_8))
                + "." + expiry;
        return payload + "." + sign(payload);
    }

    /** When a token issued now expires. */
    public Instant expiryOfNewToken() {
        return Instant.ofEpochSecond(clock.instant().plus(ttl).getEpochSecond());
    }

    @Override
    public Optional<String> authenticate(String token) {
        if (token == null || token.length() > 1024) {
            return Optional.empty();
        }
        int last = token.lastIndexOf('.');
        int first = token.indexOf('.');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        String payload = token.substring(0, last);
        byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            long expiry = Long.parseLong(token.substring(first + 1, last));
            if (clock.instant().getEpochSecond() >= expiry) {
                return Optional.empty();
            }
            return Optional.of(new String(Base64.getUrlDecoder().decode(token.substring(0, first)),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String sign(String payload) {
        return HexFormat.of().formatHex(Hmac.sha256(key, "token\n" + payload));
    }

    /** HMAC-SHA256 helpers shared by the backend's signed values. */
    static final class Hmac {
        private Hmac() {
        }

        static byte[] sha256(byte[] key, String text) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
    }
}
