package dev.oneclick.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Finds executables on a {@code PATH} the way a shell does (with {@code PATHEXT} on Windows). */
final class Executables {

    private Executables() {
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The process's {@code PATH}, or an empty string when it has none. */
    static String systemPath() {
        String path = System.getenv("PATH");
        return path == null ? "" : path;
    }

    /**
     * @param name an executable's base name, e.g. {@code node}
     * @param path a {@code PATH} value
     * @return the first matching executable file on {@code path}
     */
    static Optional<Path> find(String name, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String candidate : candidates(name)) {
                Path file;
                try {
                    file = Path.of(dir, candidate);
                } catch (RuntimeException invalidPath) {
                    continue;
                }
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #find} but throws {@link NodeNotFoundException} when {@code name} is missing.
     */
    static Path require(String name, String path) {
        return find(name, path).orElseThrow(() -> new NodeNotFoundException(name, path));
    }

    private static List<String> candidates(String name) {
        List<String> names = new ArrayList<>();
        if (isWindows()) {
            String pathExt = System.getenv("PATHEXT");
            for (String ext : (pathExt == null ? ".COM;.EXE;.BAT;.CMD" : pathExt).split(";")) {
                if (!ext.isBlank()) {
                    names.add(name + ext.toLowerCase(Locale.ROOT));
                }
            }
        }
        names.add(name);
        return names;
    }
}
