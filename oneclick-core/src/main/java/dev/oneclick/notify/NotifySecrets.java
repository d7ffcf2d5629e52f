package dev.oneclick.notify;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.naming.ProjectGuid;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-project notify secrets derived from one backend master key:
 * {@code hex(HMAC-SHA256(masterKey, "oneclick-notify:" + guid))}. The backend keeps only the master key; it
 * renders each project's secret into that project's {@code notify.sh} and derives it again to verify an event.
 * Thread-safe.
 */
public final class NotifySecrets {
    /** The shortest master key accepted, in bytes. */
    public static final int MIN_MASTER_KEY_BYTES = 32;
    private static final String CONTEXT = "oneclick-notify:";

    private NotifySecrets() {
    }

    /**
     * The secret of one project: 64 lowercase hex digits.
     *
     * @throws InvalidInputException (field {@code masterKey}) if the key is null or shorter than 32 bytes
     */
    public static String forProject(byte[] masterKey, ProjectGuid guid) {
        checkMasterKey(masterKey);
        if (guid == null) {
            throw new InvalidInputException("guid", "The project GUID is missing.");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((CONTEXT + guid.value()).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * The secret of one project under a key id, for rotating one project's secret without touching the others: key
     * id 1 is {@link #forProject(byte[], ProjectGuid)} (what every {@code notify.sh} without a key id holds); key id
     * {@code n > 1} is {@code hex(HMAC-SHA256(masterKey, "oneclick-notify:" + guid + ":" + n))}.
     *
     * @throws InvalidInputException (field {@code keyId}) for a key id below 1
     */
    public static String forProject(byte[] masterKey, ProjectGuid guid, int keyId) {
        if (keyId < 1) {
            throw new InvalidInputException("keyId", "A notify key id is 1 or more, not " + keyId + ".");
        }
        if (keyId == 1) {
            return forProject(masterKey, guid);
        }
        checkMasterKey(masterKey);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((CONTEXT + guid.value() + ":" + keyId)
                    .getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The secret of one project, the GUID given as text. */
    public static String forProject(byte[] masterKey, String guid) {
        return forProject(masterKey, ProjectGuid.parse(guid));
    }

    /**
     * Checks a master key (at least {@value #MIN_MASTER_KEY_BYTES} bytes; use 32 random bytes from a
     * {@code SecureRandom}, kept outside the code).
     *
     * @return a copy of the key
     */
    public static byte[] checkMasterKey(byte[] masterKey) {
        if (masterKey == null || masterKey.length < MIN_MASTER_KEY_BYTES) {
            throw new InvalidInputException("masterKey", "The notify master key must have at least "
                    + MIN_MASTER_KEY_BYTES + " bytes (it has " + (masterKey == null ? 0 : masterKey.length)
                    + "); generate 32 random bytes with SecureRandom and keep them in the backend's secret store.");
        }
        return masterKey.clone();
    }
}
