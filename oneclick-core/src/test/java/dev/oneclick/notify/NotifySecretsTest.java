package dev.oneclick.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.naming.ProjectGuid;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NotifySecretsTest {
    static final byte[] MASTER = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    /** Runs openssl with stdin, returning the last space-separated word of its output (the hex digest). */
    private static String openssl(byte[] input, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream os = p.getOutputStream()) {
            os.write(input);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out.substring(out.lastIndexOf(' ') + 1);
    }

    @Test
    void forProject_whenComputed_matchesOpensslHmac() throws Exception {
        String expected = openssl(("oneclick-notify:" + GUID).getBytes(StandardCharsets.US_ASCII),
                "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:" + HexFormat.of().formatHex(MASTER));

        assertEquals(expected, NotifySecrets.forProject(MASTER, GUID));
        assertTrue(expected.matches("[0-9a-f]{64}"));
    }

    @Test
    void forProject_whenGuidUppercase_givesTheSameSecret() {
        assertEquals(NotifySecrets.forProject(MASTER, GUID), NotifySecrets.forProject(MASTER, GUID.toUpperCase()));
    }

    @Test
    void forProject_whenOtherGuidOrKey_givesAnotherSecret() {
        String a = NotifySecrets.forProject(MASTER, GUID);
        assertNotEquals(a, NotifySecrets.forProject(MASTER, "11111111-2222-4333-8444-555555555555"));
        byte[] other = MASTER.clone();
        other[0] ^= 1;
        assertNotEquals(a, NotifySecrets.forProject(other, GUID));
    }

    @Test
    void forProject_whenMasterKeyShortOrNull_throwsInvalidInput() {
        assertEquals("masterKey", assertThrows(InvalidInputException.class,
                () -> NotifySecrets.forProject(new byte[31], GUID)).field());
        assertEquals("masterKey", assertThrows(InvalidInputException.class,
                () -> NotifySecrets.forProject(null, GUID)).field());
    }

    @Test
    void forProject_whenGuidInvalid_throwsInvalidGuid() {
        assertThrows(InvalidGuidException.class, () -> NotifySecrets.forProject(MASTER, "nope"));
        assertThrows(InvalidInputException.class, () -> NotifySecrets.forProject(MASTER, (ProjectGuid) null));
    }

    @Test
    void sign_whenComputed_matchesOpensslHmacWithTheSecretText() throws Exception {
        String secret = NotifySecrets.forProject(MASTER, GUID);
        byte[] body = "{\"id\":\"x\",\"message\":\"é 😀\"}".getBytes(StandardCharsets.UTF_8);
        byte[] signed = ("1700000000." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        String expected = openssl(signed, "dgst", "-sha256", "-hmac", secret);

        assertEquals("sha256=" + expected, NotifySignature.sign(secret, 1700000000L, body));
        assertTrue(NotifySignature.verify(secret, 1700000000L, body, "sha256=" + expected));
        assertTrue(NotifySignature.verify(secret, 1700000000L, body, "sha256=" + expected.toUpperCase()));
    }

    @Test
    void verify_whenHeaderMalformedOrWrong_returnsFalse() {
        String secret = NotifySecrets.forProject(MASTER, GUID);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String good = NotifySignature.sign(secret, 1L, body);
        assertFalse(NotifySignature.verify(secret, 1L, body, null));
        assertFalse(NotifySignature.verify(secret, 1L, body, good.substring(7)));
        assertFalse(NotifySignature.verify(secret, 1L, body, "sha256=" + "g".repeat(64)));
        assertFalse(NotifySignature.verify(secret, 2L, body, good));
        assertFalse(NotifySignature.verify(secret, 1L, "{ }".getBytes(StandardCharsets.UTF_8), good));
        assertTrue(NotifySignature.verify(secret, 1L, body, good));
    }
}
