package dev.oneclick.skills;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.errors.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillInstallerTest {
    private static final List<String> EXPECTED = List.of("SKILL.md", "aws-deployment-checklist.md",
            "skills/static-site-deploy.md", "skills/fullstack-deploy.md");

    @TempDir
    Path project;

    private Path skill(String rel) {
        return project.resolve(".claude/skills/1-click-deploy").resolve(rel);
    }

    @Test
    void bundledFiles_whenRead_listsTheFourSkillFiles() {
        assertEquals(EXPECTED, SkillInstaller.bundledFiles());
    }

    @Test
    void bundledFiles_whenComparedToSkillsFolder_matchesEveryFileAndContent() throws IOException {
        Path source = Path.of("..", "skills", "1-click-deploy");
        List<String> onDisk;
        try (Stream<Path> walk = Files.walk(source)) {
            onDisk = walk.filter(Files::isRegularFile)
                    .map(p -> source.relativize(p).toString().replace('\\', '/'))
                    .sorted().collect(Collectors.toList());
        }
        List<String> indexed = new ArrayList<>(SkillInstaller.bundledFiles());
        indexed.sort(null);
        assertEquals(onDisk, indexed, "the index resource must list every file of skills/1-click-deploy");
        for (String rel : indexed) {
            assertArrayEquals(Files.readAllBytes(source.resolve(rel)), SkillInstaller.bundledContent(rel), rel);
        }
    }

    @Test
    void install_whenFreshProject_writesEveryFileAndManifest() throws IOException {
        SkillInstaller.Result result = SkillInstaller.create().install(project);

        assertEquals(EXPECTED, result.written());
        assertEquals(List.of(), result.unchanged());
        assertEquals(List.of(), result.keptUserChanged());
        assertEquals(project.toRealPath().resolve(".claude/skills/1-click-deploy"), result.skillDir());
        for (String rel : EXPECTED) {
            assertArrayEquals(SkillInstaller.bundledContent(rel), Files.readAllBytes(skill(rel)), rel);
        }
        JsonNode manifest = new ObjectMapper().readTree(skill(".oneclick-installed.json").toFile());
        for (String rel : EXPECTED) {
            assertEquals(SkillInstaller.sha256(SkillInstaller.bundledContent(rel)),
                    manifest.get("files").get(rel).asText(), rel);
        }
    }

    @Test
    void install_whenRunTwice_reportsEveryFileUnchanged() {
        SkillInstaller.create().install(project);
        SkillInstaller.Result second = SkillInstaller.create().install(project);

        assertEquals(List.of(), second.written());
        assertEquals(EXPECTED, second.unchanged());
        assertEquals(List.of(), second.keptUserChanged());
    }

    @Test
    void install_whenUserChangedFile_keepsIt() throws IOException {
        SkillInstaller.create().install(project);
        Files.writeString(skill("SKILL.md"), "my own notes\n");

        SkillInstaller.Result result = SkillInstaller.create().install(project);

        assertEquals(List.of("SKILL.md"), result.keptUserChanged());
        assertEquals(EXPECTED.subList(1, 4), result.unchanged());
        assertEquals("my own notes\n", Files.readString(skill("SKILL.md")));
        // still recognised as the user's on the next run
        assertEquals(List.of("SKILL.md"), SkillInstaller.create().install(project).keptUserChanged());
    }

    @Test
    void install_whenUserChangedFileAndForce_overwritesIt() throws IOException {
        SkillInstaller.create().install(project);
        Files.writeString(skill("skills/fullstack-deploy.md"), "edited");

        SkillInstaller.Result result = SkillInstaller.builder().force(true).build().install(project);

        assertEquals(List.of("skills/fullstack-deploy.md"), result.written());
        assertEquals(List.of(), result.keptUserChanged());
        assertArrayEquals(SkillInstaller.bundledContent("skills/fullstack-deploy.md"),
                Files.readAllBytes(skill("skills/fullstack-deploy.md")));
    }

    @Test
    void install_whenFileExistedBeforeFirstInstall_keepsIt() throws IOException {
        Files.createDirectories(skill("skills"));
        Files.writeString(skill("SKILL.md"), "a skill the user wrote");

        SkillInstaller.Result result = SkillInstaller.create().install(project);

        assertEquals(List.of("SKILL.md"), result.keptUserChanged());
        assertEquals(EXPECTED.subList(1, 4), result.written());
        assertEquals("a skill the user wrote", Files.readString(skill("SKILL.md")));
    }

    @Test
    void install_whenFileHoldsAnOlderInstalledVersion_updatesIt() throws IOException {
        SkillInstaller.create().install(project);
        byte[] old = "version 0 of the skill\n".getBytes(StandardCharsets.UTF_8);
        Files.write(skill("SKILL.md"), old);
        Path manifest = skill(".oneclick-installed.json");
        String text = Files.readString(manifest).replace(
                SkillInstaller.sha256(SkillInstaller.bundledContent("SKILL.md")), SkillInstaller.sha256(old));
        Files.writeString(manifest, text);

        SkillInstaller.Result result = SkillInstaller.create().install(project);

        assertEquals(List.of("SKILL.md"), result.written());
        assertEquals(List.of(), result.keptUserChanged());
        assertArrayEquals(SkillInstaller.bundledContent("SKILL.md"), Files.readAllBytes(skill("SKILL.md")));
    }

    @Test
    void install_whenUserDeletedFile_restoresIt() throws IOException {
        SkillInstaller.create().install(project);
        Files.delete(skill("skills/static-site-deploy.md"));

        SkillInstaller.Result result = SkillInstaller.create().install(project);

        assertEquals(List.of("skills/static-site-deploy.md"), result.written());
        assertTrue(Files.exists(skill("skills/static-site-deploy.md")));
    }

    @Test
    void install_whenManifestIsCorrupt_keepsDifferingFiles() throws IOException {
        SkillInstaller.create().install(project);
        Files.writeString(skill("SKILL.md"), "changed");
        Files.writeString(skill(".oneclick-installed.json"), "{not json");

        SkillInstaller.Result result = SkillInstaller.create().install(project);

        assertEquals(List.of("SKILL.md"), result.keptUserChanged());
        assertEquals("changed", Files.readString(skill("SKILL.md")));
    }

    @Test
    void install_whenProjectPathIsAFile_throwsInvalidInputAndWritesNothing() throws IOException {
        Path file = Files.writeString(project.resolve("package.json"), "{}");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SkillInstaller.create().install(file));

        assertEquals("projectDir", e.field());
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
        assertFalse(Files.exists(project.resolve(".claude")));
    }

    @Test
    void install_whenProjectPathIsMissing_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SkillInstaller.create().install(project.resolve("nope")));

        assertEquals("projectDir", e.field());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void install_whenProjectPathIsNull_throwsInvalidInput() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SkillInstaller.create().install(null));
        assertEquals("projectDir", e.field());
    }

    @Test
    void install_whenSkillFolderLinksOutsideProject_throwsInvalidInputAndWritesNothingThere(@TempDir Path outside)
            throws IOException {
        Files.createDirectories(project.resolve(".claude/skills"));
        Files.createSymbolicLink(project.resolve(".claude/skills/1-click-deploy"), outside);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SkillInstaller.create().install(project));

        assertEquals("projectDir", e.field());
        try (Stream<Path> list = Files.list(outside)) {
            assertEquals(0, list.count());
        }
        Files.delete(project.resolve(".claude/skills/1-click-deploy"));
    }
}
