package dev.oneclick;

import dev.oneclick.files.internal.AtomicFiles;
import dev.oneclick.resources.AwsResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a deploy. Immutable.
 *
 * @param guid the project GUID, lowercase
 * @param resources every resource of the project, with the plan's keys
 * @param plan the plan that was applied
 * @param created resources created by this deploy (type: name)
 * @param reused resources that already existed and were kept or repaired
 * @param filesUploaded files whose bytes were sent
 * @param bytesUploaded bytes sent
 * @param headersUpdated files whose headers were re-applied without sending bytes
 * @param filesDeleted keys deleted
 * @param filesUnchanged files already up to date
 * @param invalidationId the CDN invalidation, if one was sent
 * @param invalidatedPaths the paths invalidated
 * @param url where the site is served
 * @param elapsed how long the deploy took
 */
public record Deployment(
        String guid,
        AwsResources resources,
        Plan plan,
        List<String> created,
        List<String> reused,
        int filesUploaded,
        long bytesUploaded,
        int headersUpdated,
        int filesDeleted,
        int filesUnchanged,
        String invalidationId,
        List<String> invalidatedPaths,
        String url,
        Duration elapsed) {

    public Deployment {
        created = List.copyOf(created);
        reused = List.copyOf(reused);
        invalidatedPaths = List.copyOf(invalidatedPaths);
    }

    public Optional<String> invalidation() {
        return Optional.ofNullable(invalidationId);
    }

    /**
     * Writes the resources JSON (the plan's keys, indented) to {@code file}, creating its parent folders and
     * replacing the file atomically where the file system allows, so a reader never sees half a file.
     *
     * @return {@code file}
     * @throws UncheckedIOException when the file cannot be written
     */
    public Path writeResourcesJson(Path file) {
        try {
            Path abs = file.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            AtomicFiles.write(abs, (resources.toPrettyJson() + "\n").getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the resources JSON to " + file + ": " + e.getMessage(), e);
        }
    }
}
