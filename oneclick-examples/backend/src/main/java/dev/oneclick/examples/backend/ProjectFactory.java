package dev.oneclick.examples.backend;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyScript;
import dev.oneclick.notify.NotifySecrets;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.skills.DeployInstructions;
import dev.oneclick.skills.SkillInstaller;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Creates a project: a new GUID, its folder with the rendered {@code notify.sh} (the project's own secret and the
 * server URL inside, executable by its owner only) and {@code notify.secret} (the secret and its key id, for the
 * Maven plugin), the deploy skill, a {@code SYSTEM_PROMPT.md} with the deploy
 * instructions, and the project's tracker record (empty resources), which is what registers its owner.
 */
final class ProjectFactory {
    static final int MAX_NAME = 100;
    /** The project's notify secret and its key id, for the Maven plugin's {@code oneclick.notifySecretFile}. */
    static final String SECRET_FILE = "notify.secret";

    /** What a new project is. */
    record CreatedProject(ProjectGuid guid, String projectName, Path folder, DeploymentRecord record) {
    }

    private final Path root;
    private final byte[] masterKey;
    private final DeploymentTracker tracker;

    ProjectFactory(Path root, byte[] masterKey, DeploymentTracker tracker) {
        this.root = root;
        this.masterKey = masterKey.clone();
        this.tracker = tracker;
    }

    static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("name", "The project name is missing; send {\"name\": \"My app\"}.");
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidInputException("name", "The project name has " + name.length()
                    + " characters; use at most " + MAX_NAME + ".");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("name", "The project name contains control characters; use plain text.");
        }
        return name.strip();
    }

    CreatedProject create(String userId, String name, String serverUrl) {
        String projectName = checkName(name);
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        Path folder = root.resolve(guid.value());
        try {
            Files.createDirectories(folder);
            writeNotifyFiles(folder, guid, 1, serverUrl);
            SkillInstaller.create().install(folder);
            Files.writeString(folder.resolve("SYSTEM_PROMPT.md"), DeployInstructions.forProject(guid, userId));
            DeploymentRecord record = tracker.save(userId, guid.value(), projectName, AwsResources.empty());
            return new CreatedProject(guid, projectName, folder, record);
        } catch (IOException e) {
            deleteQuietly(folder);
            throw new UncheckedIOException("cannot write the project folder " + folder, e);
        } catch (RuntimeException e) {
            deleteQuietly(folder);
            throw e;
        }
    }

    /**
     * Renders the project's {@code notify.sh} again with the secret of {@code keyId} (after a rotation), when the
     * project's folder is on this instance.
     *
     * @return the folder, or empty when this instance does not hold it
     */
    java.util.Optional<Path> renderNotifySh(ProjectGuid guid, int keyId, String serverUrl) {
        Path folder = root.resolve(guid.value());
        if (!Files.isDirectory(folder)) {
            return java.util.Optional.empty();
        }
        try {
            writeNotifyFiles(folder, guid, keyId, serverUrl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the notify files of " + folder, e);
        }
        return java.util.Optional.of(folder);
    }

    /**
     * {@code notify.sh} and {@value #SECRET_FILE} (the secret on its first line, {@code kid=<n>} on the second, mode
     * 600: what the Maven plugin's {@code -Doneclick.notifySecretFile} reads) with the secret of {@code keyId}.
     */
    private void writeNotifyFiles(Path folder, ProjectGuid guid, int keyId, String serverUrl) throws IOException {
        String secret = NotifySecrets.forProject(masterKey, guid, keyId);
        NotifyScript.builder().guid(guid).serverUrl(serverUrl).keyId(keyId).secret(secret).build().writeTo(folder);
        Path tmp = Files.createTempFile(folder, ".notify-secret", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions apply
        }
        Files.writeString(tmp, secret + "\nkid=" + keyId + "\n");
        Files.move(tmp, folder.resolve(SECRET_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a half-written folder without a tracker record is never served
        }
    }
}
