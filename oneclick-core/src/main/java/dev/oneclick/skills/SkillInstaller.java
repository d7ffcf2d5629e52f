package dev.oneclick.skills;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.files.internal.AtomicFiles;
import dev.oneclick.skills.internal.BundledSkill;
import dev.oneclick.skills.internal.InstallManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Installs the bundled {@code 1-click-deploy} skill into a project, under
 * {@code {project}/.claude/skills/1-click-deploy/}.
 *
 * <p>A file the user changed since the last install is kept unless {@link Builder#force(boolean) force} is set:
 * the installer records the SHA-256 of every file it writes in {@value #MANIFEST_FILE} next to the skill, and a
 * file whose content matches neither the bundled version nor that recorded hash counts as changed by the user.
 * Files are written atomically (a temporary file moved into place). Instances are immutable and thread-safe;
 * two installs into the same project at the same time are not coordinated.
 */
public final class SkillInstaller {
    /** The skill's folder name. */
    public static final String SKILL_NAME = BundledSkill.NAME;
    /** The manifest of installed hashes, inside the skill folder. */
    public static final String MANIFEST_FILE = ".oneclick-installed.json";

    private final boolean force;

    private SkillInstaller(Builder b) {
        this.force = b.force;
    }

    /** An installer that keeps user-changed files. */
    public static SkillInstaller create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bundled files, as paths relative to the skill folder ({@code SKILL.md}, {@code skills/static-site-deploy.md}, ...). */
    public static List<String> bundledFiles() {
        return BundledSkill.get().paths();
    }

    /** The bundled content of one file listed by {@link #bundledFiles()}. */
    public static byte[] bundledContent(String relativePath) {
        return BundledSkill.get().content(relativePath);
    }

    /** The folder the skill is installed into: {@code {projectDir}/.claude/skills/1-click-deploy}. */
    public static Path skillDir(Path projectDir) {
        return projectDir.resolve(".claude").resolve("skills").resolve(SKILL_NAME);
    }

    /**
     * Installs or updates the skill.
     *
     * @throws InvalidInputException (field {@code projectDir}) if the path is null, missing or not a directory,
     *     before anything is written
     * @throws OneclickException if a file cannot be written
     */
    public Result install(Path projectDir) {
        if (projectDir == null) {
            throw new InvalidInputException("projectDir", "The project folder is missing; give the folder of the "
                    + "project to install the deploy skill into.");
        }
        if (!Files.isDirectory(projectDir)) {
            throw new InvalidInputException("projectDir", "The project folder '" + projectDir + "' "
                    + (Files.exists(projectDir) ? "is not a directory" : "does not exist")
                    + "; give an existing project folder.");
        }
        Path root;
        Path dir;
        try {
            root = projectDir.toRealPath();
            dir = skillDir(root);
            Files.createDirectories(dir);
            if (!dir.toRealPath().startsWith(root)) {
                throw new InvalidInputException("projectDir", "The skill folder " + dir + " leads outside the "
                        + "project folder (a symbolic link); remove the link and install again.");
            }
        } catch (IOException e) {
            throw new OneclickException("Could not create the skill folder under " + projectDir + ": " + e, e);
        }

        Path manifestFile = dir.resolve(MANIFEST_FILE);
        InstallManifest manifest = InstallManifest.read(manifestFile);
        BundledSkill bundled = BundledSkill.get();
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String rel : bundled.paths()) {
            byte[] content = bundled.content(rel);
            String hash = sha256(content);
            Path target = dir.resolve(rel);
            try {
                Files.createDirectories(target.getParent());
                if (!target.getParent().toRealPath().startsWith(root)) {
                    throw new InvalidInputException("projectDir", "The skill folder " + target.getParent()
                            + " leads outside the project folder (a symbolic link); remove the link and install again.");
                }
                boolean link = Files.isSymbolicLink(target);
                if (!link && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                    byte[] current = Files.readAllBytes(target);
                    if (Arrays.equals(current, content)) {
                        manifest.put(rel, hash);
                        unchanged.add(rel);
                        continue;
                    }
                    if (!force && !sha256(current).equals(manifest.hash(rel))) {
                        kept.add(rel);
                        continue;
                    }
                } else if ((link || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) && !force) {
                    kept.add(rel);
                    continue;
                } else if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new OneclickException("Could not install " + target + ": a folder of that name is in the "
                            + "way; remove it and install again.");
                }
                AtomicFiles.write(target, content);
                manifest.put(rel, hash);
                written.add(rel);
            } catch (IOException e) {
                throw new OneclickException("Could not write the skill file " + target + ": " + e, e);
            }
        }
        try {
            AtomicFiles.write(manifestFile, manifest.toBytes(SKILL_NAME));
        } catch (IOException e) {
            throw new OneclickException("Could not write " + manifestFile + ": " + e, e);
        }
        return new Result(dir, written, unchanged, kept);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a {@link SkillInstaller}. */
    public static final class Builder {
        private boolean force;

        private Builder() {
        }

        /** Overwrite files the user changed too (default false: they are kept and listed in the result). */
        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public SkillInstaller build() {
            return new SkillInstaller(this);
        }
    }

    /**
     * What an install did. Paths are relative to {@link #skillDir()}, {@code /}-separated, in bundle order.
     *
     * @param skillDir the skill folder ({@code .claude/skills/1-click-deploy} under the project's real path)
     * @param written files created or replaced
     * @param unchanged files that already had the bundled content
     * @param keptUserChanged files the user changed, left as they were (only without force)
     */
    public record Result(Path skillDir, List<String> written, List<String> unchanged, List<String> keptUserChanged) {
        public Result {
            Objects.requireNonNull(skillDir, "skillDir");
            written = List.copyOf(written);
            unchanged = List.copyOf(unchanged);
            keptUserChanged = List.copyOf(keptUserChanged);
        }
    }
}
