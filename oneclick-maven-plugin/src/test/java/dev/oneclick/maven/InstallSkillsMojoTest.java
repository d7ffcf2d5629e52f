package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install-skills writes the skill and notify.sh, and leaves files the user changed alone unless forced. */
class InstallSkillsMojoTest {
    private static final String GUID = "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b";
    private static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    /** Captures info and warn lines. */
    static final class CapturingLog extends SystemStreamLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(CharSequence content) {
            lines.add(content.toString());
        }

        @Override
        public void warn(CharSequence content) {
            lines.add(content.toString());
        }

        @Override
        public boolean isDebugEnabled() {
            return true; // as with mvn -X
        }

        @Override
        public void debug(CharSequence content) {
            lines.add(content.toString());
        }
    }

    private CapturingLog install(String serverUrl, boolean force) throws Exception {
        InstallSkillsMojo m = new InstallSkillsMojo();
        CapturingLog log = new CapturingLog();
        m.setLog(log);
        m.target = "aws";
        m.projectDir = dir.toString();
        m.guid = GUID;
        m.notifyUrl = serverUrl;
        m.environment = name -> AbstractOneclickMojo.NOTIFY_SECRET_ENV.equals(name) ? SECRET : null;
        m.forceSkills = force;
        m.execute();
        return log;
    }

    @Test
    void execute_whenRunTwice_writesNotifyShOnceThenLeavesItUnchanged() throws Exception {
        install("http://127.0.0.1:8082", false);
        Path notify = dir.resolve("notify.sh");
        assertTrue(Files.isExecutable(notify));
        assertTrue(Files.readString(notify).contains(GUID));
        assertTrue(Files.isRegularFile(dir.resolve(".claude/skills/1-click-deploy/SKILL.md")));
        String first = Files.readString(notify);
        CapturingLog second = install("http://127.0.0.1:8082", false);
        assertEquals(first, Files.readString(notify));
        assertTrue(second.lines.contains("  unchanged " + notify), String.join("\n", second.lines));
    }

    @Test
    void execute_whenUserEditedNotifySh_keepsItUnlessForced() throws Exception {
        install("http://127.0.0.1:8082", false);
        Path notify = dir.resolve("notify.sh");
        String edited = Files.readString(notify) + "\n# my own tweak\n";
        Files.writeString(notify, edited);

        CapturingLog again = install("http://127.0.0.1:8082", false);
        assertEquals(edited, Files.readString(notify), "the user's edit survives a second install");
        assertTrue(again.lines.stream().anyMatch(l -> l.startsWith("Kept " + notify)
                && l.contains("-Doneclick.skills.force=true")), String.join("\n", again.lines));

        install("http://127.0.0.1:9090", true);
        String forced = Files.readString(notify);
        assertFalse(forced.contains("# my own tweak"));
        assertTrue(forced.contains("http://127.0.0.1:9090"));
        assertTrue(Files.isExecutable(notify));
    }

    @Test
    void execute_whenSecretFromEnvironment_neverLogsItEvenAtDebugLevel() throws Exception {
        CapturingLog log = install("http://127.0.0.1:8082", false);
        assertTrue(Files.readString(dir.resolve("notify.sh")).contains(SECRET), "notify.sh holds the secret");
        assertFalse(log.lines.isEmpty());
        log.lines.forEach(line -> assertFalse(line.contains(SECRET), "logged the secret: " + line));
    }

    @Test
    void execute_whenNotifyUrlWithoutSecret_failsNamingOneclickNotifySecretFileBeforeWriting() {
        InstallSkillsMojo m = new InstallSkillsMojo();
        m.target = "aws";
        m.projectDir = dir.toString();
        m.guid = GUID;
        m.notifyUrl = "http://127.0.0.1:8082";
        m.environment = name -> null;
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.notifySecretFile:"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(".claude")), "nothing written");
        assertFalse(Files.exists(dir.resolve("notify.sh")));
    }
}
