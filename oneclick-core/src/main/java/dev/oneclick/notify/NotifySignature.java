package dev.oneclick.notify;

import dev.oneclick.errors.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature scheme of notify events, the value {@code openssl dgst -sha256 -hmac "$secret"} gives ({@code notify.sh}
 * computes the same HMAC from {@code openssl dgst -sha256} hashes, so the secret never appears on a command line):
 *
 * <pre>
 * X-Oneclick-Timestamp: &lt;unix seconds&gt;
 * X-Oneclick-Signature: sha256=&lt;hex HMAC-SHA256(key, "&lt;timestamp&gt;.&lt;body&gt;")&gt;[;kid=&lt;key id&gt;]
 * </pre>
 *
 * <p>The optional {@code kid} names which of the project's secrets signed ({@link NotifySecrets#forProject(byte[],
 * dev.oneclick.naming.ProjectGuid, int)}); without it the key id is 1. It lets a backend rotate one project's
 * secret and accept the old and the new one for a while.
 *
 * where the key is the project secret's hex text taken as ASCII bytes (what {@code openssl -hmac} does), and the
 * body is the exact request body. Thread-safe.
 */
public final class NotifySignature {
    public static final String TIMESTAMP_HEADER = "X-Oneclick-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Oneclick-Signature";
    /** Prefix of the signature header's value. */
    public static final String SCHEME = "sha256=";

    private NotifySignature() {
    }

    /** The {@value #SIGNATURE_HEADER} value naming the key id: {@code sha256=<64 hex digits>;kid=<keyId>}. */
    public static String sign(String secret, long timestamp, byte[] body, int keyId) {
        return sign(secret, timestamp, body) + ";kid=" + keyId;
    }

    /** The {@value #SIGNATURE_HEADER} value for a body: {@code sha256=<64 hex digits>}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(mac(secret, timestamp, body));
    }

    /**
     * Whether {@code signatureHeader} is the right signature of {@code body} at {@code timestamp} (a {@code ;kid=}
     * suffix is ignored: which secret to pass is the caller's choice). Compares in constant time; a header of the
     * wrong shape is simply false.
     */
    public static boolean verify(String secret, long timestamp, byte[] body, String signatureHeader) {
        if (signatureHeader != null && signatureHeader.matches(".*;kid=[1-9][0-9]{0,5}")) {
            signatureHeader = signatureHeader.substring(0, signatureHeader.lastIndexOf(';'));
        }
        if (signatureHeader == null || !signatureHeader.startsWith(SCHEME)
                || signatureHeader.length() != SCHEME.length() + 64) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signatureHeader.substring(SCHEME.length()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, timestamp, body), given);
    }

    static byte[] mac(String secret, long timestamp, byte[] body) {
        checkSecret(secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Checks a project secret: 32 to 128 lowercase hexadecimal digits.
     *
     * @return the secret unchanged
     * @throws InvalidInputException (field {@code secret}) otherwise
     */
    public static String checkSecret(String secret) {
        if (secret == null || !secret.matches("[0-9a-f]{32,128}")) {
            throw new InvalidInputException("secret", "The notify secret must be 32 to 128 lowercase hexadecimal "
                    + "digits (use NotifySecrets.forProject(masterKey, guid)).");
        }
        return secret;
    }
}
