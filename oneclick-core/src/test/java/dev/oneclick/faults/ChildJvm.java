package dev.oneclick.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The command line of the sweep's child JVMs: this JVM's java and class path, with each class folder of the path
 * packed into a jar once, so the first child can write a dynamic class-data-sharing archive of the classes it loads
 * ({@code -XX:ArchiveClassesAtExit}, written also on {@link Runtime#halt}) and every later child maps it
 * ({@code -XX:SharedArchiveFile}) instead of loading and verifying the SDK's classes again. CDS refuses class paths
 * with non-empty folders, hence the jars. A child that cannot use the archive runs without it (-Xshare:auto).
 */
final class ChildJvm {
    private final String classPath;
    private final Path archive;

    ChildJvm(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                Path jar = workDir.resolve("classes-" + n++ + ".jar");
                pack(p, jar);
                entries.add(jar.toString());
            } else if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        this.classPath = String.join(java.io.File.pathSeparator, entries);
        this.archive = workDir.resolve("child.jsa");
    }

    /** The command that runs {@code main} with {@code args}; the first one written writes the archive. */
    List<String> command(Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xshare:auto"));
        command.add(Files.exists(archive) ? "-XX:SharedArchiveFile=" + archive : "-XX:ArchiveClassesAtExit="
                + archive);
        command.addAll(List.of("-cp", classPath, main.getName()));
        command.addAll(args);
        return command;
    }

    /** Runs {@code main} with {@code args} to its end (at most {@code timeoutSeconds}): its exit status and output. */
    CrashPointSweepTest.Child run(Class<?> main, List<String> args, long timeoutSeconds) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder(command(main, args)).redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            byte[] out = in.readAllBytes(); // ends when the child ends
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("child did not end in " + timeoutSeconds + " s");
            }
            return new CrashPointSweepTest.Child(p.exitValue(), new String(out, StandardCharsets.UTF_8), p.pid());
        } finally {
            p.destroyForcibly();
        }
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> {
                try {
                    out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
