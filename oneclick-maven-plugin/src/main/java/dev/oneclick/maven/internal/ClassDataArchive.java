package dev.oneclick.maven.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The forked goal's dynamic class-data archive (JDK's AppCDS): the classes a goal loads, written by the JVM when a
 * child with none ends ({@code -XX:ArchiveClassesAtExit}) and mapped by the next child
 * ({@code -XX:SharedArchiveFile}), which then loads the SDK's classes from it instead of parsing and verifying them
 * from the jars. One archive per JDK and class path (the name is a hash of both, with each jar's size and time), in
 * {@code $XDG_CACHE_HOME/oneclick/cds} (default {@code ~/.cache/oneclick/cds}); the newest {@value #KEEP} are kept.
 * A child writes to a file of its own, which is renamed into place only when the goal succeeded; a folder that cannot
 * be written only means no archive. {@code -Doneclick.classDataArchive=off} (or the environment variable
 * {@code ONECLICK_CLASS_DATA_ARCHIVE=off}) switches it off.
 */
final class ClassDataArchive {
    static final int KEEP = 3;
    private final Path file;
    private final Path pending;

    private ClassDataArchive(Path file, Path pending) {
        this.file = file;
        this.pending = pending;
    }

    /** The archive of this JDK and {@code classpath}, or one that does nothing when it is switched off. */
    static ClassDataArchive forClasspath(String classpath) {
        Path folder = folder();
        boolean folders = java.util.Arrays.stream(classpath.split(File.pathSeparator))
                .anyMatch(e -> new File(e).isDirectory());
        if (folder == null || folders) { // the JVM maps no archive with a folder on the class path
            return new ClassDataArchive(null, null);
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            return new ClassDataArchive(null, null);
        }
        Path file = folder.resolve(key(classpath) + ".jsa");
        Path pending = Files.isRegularFile(file) ? null : folder.resolve(file.getFileName() + "." + UUID.randomUUID()
                + ".tmp");
        return new ClassDataArchive(file, pending);
    }

    /** The JVM options that map the archive, or write it at the child's end; none when switched off. */
    List<String> options() {
        if (file == null) {
            return List.of();
        }
        List<String> quiet = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        String option = pending == null ? "-XX:SharedArchiveFile=" + file : "-XX:ArchiveClassesAtExit=" + pending;
        return Stream.concat(Stream.of(option), quiet.stream()).toList();
    }

    boolean exists() {
        return file != null && pending == null;
    }

    Path file() {
        return file;
    }

    /** Where a child with no archive to map writes one, or null. */
    Path pending() {
        return pending;
    }

    /** After a child that succeeded: the archive it wrote becomes the one to map; older ones beyond KEEP go. */
    void keep() {
        if (pending == null || !Files.isRegularFile(pending)) {
            return;
        }
        try {
            try {
                Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING);
            }
            prune(file.getParent());
        } catch (IOException e) {
            discard();
        }
    }

    /** After a child that failed: its archive is dropped (it may be partial). */
    void discard() {
        if (pending != null) {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static void prune(Path folder) throws IOException {
        List<Path> archives;
        try (Stream<Path> s = Files.list(folder)) {
            archives = s.filter(p -> p.getFileName().toString().endsWith(".jsa"))
                    .sorted(Comparator.comparingLong(ClassDataArchive::modified).reversed()).toList();
        }
        for (Path old : archives.subList(Math.min(KEEP, archives.size()), archives.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** A hash of the JDK and the class path, with each entry's size and modification time. */
    static String key(String classpath) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version") + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (String entry : classpath.split(File.pathSeparator)) {
                File f = new File(entry);
                d.update((entry + "|" + f.length() + "|" + f.lastModified() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The archive folder, or null when switched off. */
    static Path folder() {
        String setting = System.getProperty("oneclick.classDataArchive");
        if (setting == null || setting.isBlank()) {
            setting = System.getenv("ONECLICK_CLASS_DATA_ARCHIVE");
        }
        if (setting != null && !setting.isBlank()) {
            return setting.trim().equalsIgnoreCase("off") ? null : Path.of(setting.trim());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("oneclick").resolve("cds");
    }
}
