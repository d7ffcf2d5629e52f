package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the standalone backend takes its master key from: the environment or a file, never an argument. */
class BackendMainTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void options_whenMasterKeyGivenAsArgument_refusesItWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackendMain.options(new String[] {"--port=1", "--master-key=" + KEY}));
        assertTrue(e.getMessage().contains("never taken from the command line"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }

    @Test
    void masterKey_whenFileGiven_readsItsFirstLineAndPrefersItOverTheEnvironment() throws Exception {
        Path f = dir.resolve("master.key");
        Files.writeString(f, KEY + "\nsecond line ignored\n");
        assertArrayEquals(KEY.getBytes(StandardCharsets.UTF_8), BackendMain.masterKey(f.toString(), "x".repeat(40)));
    }

    @Test
    void masterKey_whenOnlyEnvironment_usesIt() {
        assertEquals(KEY, new String(BackendMain.masterKey(null, KEY + "\n"), StandardCharsets.UTF_8));
    }

    @Test
    void masterKey_whenMissingOrShort_failsNamingBothSources() {
        for (String env : new String[] {null, "short"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BackendMain.masterKey(null, env));
            assertTrue(e.getMessage().contains("ONECLICK_MASTER_KEY") && e.getMessage().contains("--master-key-file"),
                    e.getMessage());
        }
    }
}
