package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. Per-project secrets. */
public final class NotifySecrets {
    private NotifySecrets() {
    }

    public static String forProject(byte[] masterKey, ProjectGuid guid) {
        return HexFormat.of().formatHex(hmac(masterKey, "oneclick-notify:" + guid.value()));
    }

    static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
