package dev.oneclick.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locates an installed dynalite, installing it with {@code npm ci} from the pinned {@code package.json} and
 * {@code package-lock.json} packaged in this jar when needed.
 *
 * <p>Where: the folder named by the system property {@value #DIR_PROPERTY} or the environment variable
 * {@value #DIR_ENV} (it must hold {@code node_modules/dynalite}); otherwise {@code dynalite-4.0.0} inside
 * {@value #HOME_PROPERTY} / {@value #HOME_ENV} (default {@code ~/.oneclick}), installed there on first use.
 *
 * <p>Installation is safe against several JVMs doing it at once: each installs into its own temporary folder next
 * to the target and renames it into place atomically only when finished (a marker file is written last); a loser
 * of the race drops its copy and uses the winner's. So the target folder is either absent or complete.
 */
final class DynaliteInstaller {

    static final String DIR_PROPERTY = "oneclick.dynalite.dir";
    static final String DIR_ENV = "ONECLICK_DYNALITE_DIR";
    static final String HOME_PROPERTY = "oneclick.home";
    static final String HOME_ENV = "ONECLICK_HOME";
    static final String MARKER = ".oneclick-installed";

    private static final Logger LOG = LoggerFactory.getLogger(DynaliteInstaller.class);
    private static final String RESOURCES = "/dev/oneclick/local/node/";
    private static final List<String> PROJECT_FILES = List.of("package.json", "package-lock.json");
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

    private DynaliteInstaller() {
    }

    /** @return the folder holding {@code node_modules/dynalite}, installing it first when needed */
    static Path locate() {
        String dir = setting(DIR_PROPERTY, DIR_ENV);
        if (dir != null) {
            Path folder = Path.of(dir).toAbsolutePath();
            if (!Files.isRegularFile(cli(folder))) {
                throw new LocalAwsException(DIR_PROPERTY + " / " + DIR_ENV + " is set to " + folder + " but "
                        + cli(folder) + " does not exist. Point it at a folder where 'npm install dynalite@"
                        + Dynalite.VERSION + "' ran, or unset it to let oneclick-local install dynalite itself.");
            }
            return folder;
        }
        return installIn(home(), Executables.systemPath());
    }

    /** The cache base folder: {@value #HOME_PROPERTY}, {@value #HOME_ENV} or {@code ~/.oneclick}. */
    static Path home() {
        String home = setting(HOME_PROPERTY, HOME_ENV);
        return home != null ? Path.of(home).toAbsolutePath()
                : Path.of(System.getProperty("user.home"), ".oneclick");
    }

    /** The dynalite command-line script inside an installation folder. */
    static Path cli(Path folder) {
        return folder.resolve("node_modules").resolve("dynalite").resolve("cli.js");
    }

    /**
     * Returns {@code base/dynalite-4.0.0}, installing it first when it is missing or incomplete.
     *
     * @param path the {@code PATH} searched for npm
     */
    static Path installIn(Path base, String path) {
        Path target = base.resolve("dynalite-" + Dynalite.VERSION);
        if (isComplete(target)) {
            return target;
        }
        Path npm = Executables.require("npm", path);
        Executables.require("node", path);
        try {
            Files.createDirectories(base);
            if (isForeign(target)) {
                throw foreign(target);
            }
            Path staging = Files.createTempDirectory(base, "dynalite-" + Dynalite.VERSION + ".installing-");
            LOG.info("installing dynalite {} with npm ci into {}", Dynalite.VERSION, target);
            try {
                install(npm, staging);
                publish(staging, target);
            } finally {
                deleteRecursively(staging);
            }
        } catch (IOException e) {
            throw new LocalAwsException("cannot install dynalite " + Dynalite.VERSION + " into " + target + ": " + e
                    + ". Make the folder writable, set " + HOME_ENV + " to a writable folder, or set " + DIR_ENV
                    + " to an existing installation.", e);
        }
        return target;
    }

    private static void install(Path npm, Path staging) throws IOException {
        for (String file : PROJECT_FILES) {
            try (InputStream in = DynaliteInstaller.class.getResourceAsStream(RESOURCES + file)) {
                if (in == null) {
                    throw new LocalAwsException("resource " + RESOURCES + file + " is missing from the oneclick-local"
                            + " jar; the build that made it is broken.");
                }
                Files.copy(in, staging.resolve(file));
            }
        }
        Commands.run(npm, List.of("ci", "--no-audit", "--no-fund", "--prefer-offline"), staging, NPM_TIMEOUT,
                "npm ci for dynalite " + Dynalite.VERSION);
        if (!Files.isRegularFile(cli(staging))) {
            throw new LocalAwsException("npm ci finished but " + cli(staging) + " is missing.");
        }
        Files.writeString(staging.resolve(MARKER), Dynalite.VERSION + "\n");
    }

    /** Renames the finished staging folder into place; when another JVM got there first, keeps its copy. */
    private static void publish(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            if (isForeign(target)) {
                throw foreign(target);
            }
            if (!isComplete(target)) {
                throw e;
            }
            LOG.debug("another process installed dynalite into {} first", target);
        }
    }

    /**
     * True when {@code target} holds something that is not a finished installation. Installations only appear by an
     * atomic rename of a finished folder, so this is a hand-made or foreign folder, never one of ours in progress.
     */
    private static boolean isForeign(Path target) throws IOException {
        if (!Files.isDirectory(target) || isComplete(target)) {
            return Files.exists(target) && !Files.isDirectory(target);
        }
        try (Stream<Path> entries = Files.list(target)) {
            return entries.findAny().isPresent() && !isComplete(target);
        }
    }

    private static LocalAwsException foreign(Path target) {
        return new LocalAwsException(target + " exists but is not a complete dynalite " + Dynalite.VERSION
                + " installation (" + MARKER + " or node_modules/dynalite is missing). Delete it so oneclick-local can"
                + " install dynalite there, or set " + DIR_ENV + " to a folder where dynalite is installed.");
    }

    static boolean isComplete(Path folder) {
        return Files.isRegularFile(cli(folder)) && Files.isRegularFile(folder.resolve(MARKER));
    }

    static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
