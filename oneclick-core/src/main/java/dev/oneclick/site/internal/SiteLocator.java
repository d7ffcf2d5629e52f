package dev.oneclick.site.internal;

import dev.oneclick.errors.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the built site folder to deploy. */
final class SiteLocator {
    private SiteLocator() {
    }

    /**
     * The folder to deploy: {@code siteDir} when given (resolved against {@code projectDir} when relative), else
     * {@code projectDir/dist}, else {@code projectDir/build}. Only locates; {@link SiteScanner#scan} validates the
     * contents.
     *
     * @throws InvalidInputException (field {@code siteDir}) naming the folders looked at and what is missing
     */
    static Path locate(Path siteDir, Path projectDir) {
        if (siteDir != null) {
            Path dir = projectDir != null && !siteDir.isAbsolute() ? projectDir.resolve(siteDir) : siteDir;
            if (!Files.exists(dir)) {
                throw new InvalidInputException("siteDir", "The site folder " + dir.toAbsolutePath()
                        + " does not exist. Build the site first, or set siteDir to the folder that holds the built"
                        + " index.html.");
            }
            if (!Files.isDirectory(dir)) {
                throw new InvalidInputException("siteDir", "The site folder " + dir.toAbsolutePath()
                        + " is not a folder. Set siteDir to the folder that holds the built index.html.");
            }
            return dir;
        }
        if (projectDir == null) {
            throw new InvalidInputException("siteDir",
                    "No site folder given: set siteDir, or projectDir to a project with a built dist/ or build/ folder.");
        }
        if (!Files.isDirectory(projectDir)) {
            throw new InvalidInputException("projectDir", "The project folder " + projectDir.toAbsolutePath()
                    + " does not exist or is not a folder.");
        }
        for (String name : List.of("dist", "build")) {
            Path dir = projectDir.resolve(name);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        throw new InvalidInputException("siteDir", "No built site found: looked for "
                + projectDir.resolve("dist").toAbsolutePath() + " and " + projectDir.resolve("build").toAbsolutePath()
                + " and neither exists. Build the site first (for example npm run build), or set siteDir.");
    }
}
