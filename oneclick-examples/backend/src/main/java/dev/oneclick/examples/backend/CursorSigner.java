package dev.oneclick.examples.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Makes the tracker's paging cursor tamper-proof and bound to one user: the cursor handed to a client is
 * {@code base64url(trackerCursor).hexHmac(userId, trackerCursor)}. A changed cursor, or one issued to another user,
 * does not verify. Thread-safe.
 */
final class CursorSigner {
    private final byte[] key;

    CursorSigner(byte[] key) {
        this.key = key.clone();
    }

    String sign(String userId, String trackerCursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(trackerCursor.getBytes(StandardCharsets.UTF_8))
                + "." + mac(userId, trackerCursor);
    }

    /** The tracker cursor inside a signed cursor, or empty when it was not issued by this backend for this user. */
    Optional<String> verify(String userId, String signed) {
        if (signed == null || signed.length() > 4096) {
            return Optional.empty();
        }
        int dot = signed.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String inner;
        try {
            inner = new String(Base64.getUrlDecoder().decode(signed.substring(0, dot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] expected = mac(userId, inner).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signed.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.of(inner) : Optional.empty();
    }

    private String mac(String userId, String cursor) {
        return HexFormat.of().formatHex(HmacTokens.Hmac.sha256(key, "cursor\n" + userId + "\n" + cursor));
    }
}
