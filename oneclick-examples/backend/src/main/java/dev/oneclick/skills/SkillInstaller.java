package dev.oneclick.skills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** STAND-IN until the core's dev.oneclick.skills lands on main: delete then. */
public final class SkillInstaller {
    private SkillInstaller() {
    }

    public static SkillInstaller create() {
        return new SkillInstaller();
    }

    public Path install(Path projectDir) {
        Path dir = projectDir.resolve(".claude/skills/1-click-deploy");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("SKILL.md"), "# 1-click deploy (stand-in)\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
