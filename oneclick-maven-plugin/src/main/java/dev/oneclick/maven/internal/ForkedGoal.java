package dev.oneclick.maven.internal;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * Runs a goal in a child JVM tuned for a short job that makes thousands of requests: the C1 compiler only (in a new
 * JVM the C2 compiler spends more CPU compiling the SDK's and Netty's request path than the requests take, on the
 * cores the S3 endpoint may share), the serial collector, and a dynamic class-data archive of the classes the goal
 * loads ({@link ClassDataArchive}). The child ({@link ForkedMain}) runs the same goal class with the same
 * parameter values and the user's {@code -D} properties, and its log lines come back through this JVM's Maven log at
 * their level. A failure in the child fails the goal here with the child's message, caused by a {@link ChildFailure}
 * that carries the child's stack trace. Ctrl+C reaches the child from the terminal (same process group); when this
 * JVM ends first, the child is stopped.
 */
public final class ForkedGoal {
    /** The child's JVM options (besides the class-data archive's). */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms32m", "-Xss1m",
            "-XX:-UsePerfData", "-Dfile.encoding=UTF-8");
    /** Prefix of a protocol line of the child's standard output (a log line, or the failure). */
    static final char MARK = '\u001e';

    /**
     * The child's JVM options: {@link #JVM_OPTIONS}, then the user's (separated by spaces), so that a later option wins
     * ({@code -Xmx2g}, {@code -XX:TieredStopAtLevel=4}); a collector the user names ({@code -XX:+UseG1GC}) replaces
     * the serial one, since the JVM refuses two.
     */
    static List<String> jvmOptions(String user) {
        List<String> added = user == null || user.isBlank() ? List.of() : List.of(user.trim().split("\\s+"));
        boolean collector = added.stream().anyMatch(o -> o.matches("-XX:\\+Use\\w+GC"));
        List<String> all = new ArrayList<>();
        for (String o : JVM_OPTIONS) {
            if (!(collector && o.equals("-XX:+UseSerialGC"))) {
                all.add(o);
            }
        }
        all.addAll(added);
        return all;
    }

    private ForkedGoal() {
    }

    /**
     * Runs {@code mojo}'s goal in a child JVM and returns when it succeeded.
     *
     * @param workDir the child's working folder (the project folder)
     * @param buildDir the build folder the child writes its output to
     * @param userProperties the {@code -D} properties of this Maven run, set in the child as system properties
     * @throws MojoFailureException or MojoExecutionException as the goal failed in the child, with its message
     */
    public static void run(AbstractMojo mojo, Path workDir, File buildDir, Properties userProperties, Log log,
            String jvmOptions) throws MojoExecutionException, MojoFailureException {
        run(mojo, workDir, buildDir, userProperties, log, jvmOptions, classpath(mojo.getClass()));
    }

    /**
     * {@link #run(AbstractMojo, Path, File, Properties, Log, String)} with the child's class path given.
     *
     * @param jvmOptions JVM options added after {@link #JVM_OPTIONS}, separated by spaces ({@link #jvmOptions}); null
     *     or blank: none
     */
    public static void run(AbstractMojo mojo, Path workDir, File buildDir, Properties userProperties, Log log,
            String jvmOptions, String classpath) throws MojoExecutionException, MojoFailureException {
        Path job;
        try {
            job = Files.createTempFile("oneclick-fork-", ".properties");
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the forked goal's settings to the temporary folder ("
                    + e.getMessage() + "); set -Doneclick.fork=false to run in Maven's JVM.", e);
        }
        try {
            writeJob(job, mojo, buildDir, userProperties, log);
            ClassDataArchive cds = ClassDataArchive.forClasspath(classpath);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions(jvmOptions));
            cmd.addAll(cds.options());
            cmd.add(ForkedMain.class.getName());
            cmd.add(job.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
            pb.environment().put("CLASSPATH", classpath); // no command-line length limit, no quoting
            Timings.mark(log, "forking the goal's JVM" + (cds.exists() ? " (class-data archive " + cds.file() + ")"
                    : " (writing the class-data archive " + cds.file() + " at its end)"));
            Failure failure = relay(pb, log);
            if (failure == null) {
                cds.keep();
                return;
            }
            cds.discard();
            ChildFailure cause = failure.trace == null ? null : new ChildFailure(failure.trace);
            if (failure.execution) {
                throw new MojoExecutionException(failure.message, cause);
            }
            throw new MojoFailureException(failure.message, cause);
        } finally {
            try {
                Files.deleteIfExists(job);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    /** What the child reported as its failure, and its stack trace (null when it sent none). */
    private record Failure(boolean execution, String message, String trace) {
    }

    /**
     * The cause of a forked goal's failure: the child's stack trace with its causes, as text, so that {@code -e} and
     * {@code -X} show where the child failed. Has no stack of its own (the parent's frames say nothing).
     */
    static final class ChildFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ChildFailure(String trace) {
            super("in the forked JVM: " + trace, null, false, false);
        }
    }

    private static Failure relay(ProcessBuilder pb, Log log) throws MojoExecutionException {
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot start the forked goal's JVM (" + pb.command().get(0) + "): "
                    + e.getMessage() + "; set -Doneclick.fork=false to run in Maven's JVM.", e);
        }
        Thread stopper = new Thread(() -> stop(child), "oneclick-fork-stopper");
        Runtime.getRuntime().addShutdownHook(stopper);
        Failure failure = null;
        String trace = null;
        List<String> other = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.length() >= 2 && line.charAt(0) == MARK) {
                    String text = unescape(line.substring(2));
                    switch (line.charAt(1)) {
                        case 'D' -> log.debug(text);
                        case 'I' -> log.info(text);
                        case 'W' -> log.warn(text);
                        case 'E' -> log.error(text);
                        case 'T' -> trace = text;
                        case 'F' -> failure = new Failure(false, text, trace);
                        case 'X' -> failure = new Failure(true, text, trace);
                        default -> log.info(text);
                    }
                } else if (!line.isBlank()) {
                    other.add(line);
                    log.info(line); // printed by a library or the JVM itself
                }
            }
            int exit = child.waitFor();
            if (exit != 0 && failure == null) {
                failure = new Failure(true, "The forked goal's JVM ended with exit code " + exit
                        + (other.isEmpty() ? "" : "; its last lines: " + String.join(" | ",
                        other.subList(Math.max(0, other.size() - 5), other.size()))), trace);
            }
            return exit == 0 ? null : failure;
        } catch (IOException e) {
            stop(child);
            throw new MojoExecutionException("Lost the forked goal's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(child);
            throw new MojoExecutionException("Interrupted while the forked goal ran; it was stopped.", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException ignored) {
                // this JVM is shutting down: the hook runs
            }
        }
    }

    /** Asks the child to end (its shutdown hooks run), then kills it after 20 s. */
    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The job file: the goal class, every parameter field's value, the log levels and the user's properties. */
    private static void writeJob(Path job, AbstractMojo mojo, File buildDir, Properties userProperties, Log log)
            throws MojoExecutionException {
        Properties p = new Properties();
        p.setProperty("mojo", mojo.getClass().getName());
        p.setProperty("buildDir", buildDir.getAbsolutePath());
        p.setProperty("log.debug", Boolean.toString(log.isDebugEnabled()));
        p.setProperty("log.info", Boolean.toString(log.isInfoEnabled()));
        p.setProperty("log.warn", Boolean.toString(log.isWarnEnabled()));
        for (Field f : parameterFields(mojo.getClass())) {
            try {
                Object v = f.get(mojo);
                if (v != null) {
                    p.setProperty("field." + f.getName(), v instanceof File file ? file.getPath() : v.toString());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Cannot read the parameter " + f.getName(), e);
            }
        }
        if (userProperties != null) {
            for (String k : userProperties.stringPropertyNames()) {
                p.setProperty("sys." + k, userProperties.getProperty(k));
            }
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (forwarded(k) && !p.containsKey("sys." + k)) {
                p.setProperty("sys." + k, System.getProperty(k));
            }
        }
        try (Writer w = Files.newBufferedWriter(job, StandardCharsets.UTF_8)) {
            p.store(w, "oneclick forked goal");
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write the forked goal's settings to " + job + ": "
                    + e.getMessage(), e);
        }
    }

    /** System properties of this JVM (from MAVEN_OPTS, say) the child needs: AWS, proxies, trust stores, logging. */
    static boolean forwarded(String key) {
        return key.startsWith("aws.") || key.startsWith("oneclick.") || key.startsWith("http.")
                || key.startsWith("https.") || key.startsWith("socksProxy") || key.startsWith("javax.net.ssl.")
                || key.startsWith("org.slf4j.simpleLogger.") || key.equals("java.net.preferIPv4Stack");
    }

    /**
     * The fields a goal's parameters are injected into, from the goal class up to {@link AbstractMojo}: instance
     * fields of the simple types a parameter here has (String, File, boolean, int, long).
     */
    static List<Field> parameterFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != AbstractMojo.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                Class<?> t = f.getType();
                if (!Modifier.isStatic(m) && !Modifier.isFinal(m) && (t == String.class || t == File.class
                        || t == boolean.class || t == int.class || t == long.class)) {
                    f.setAccessible(true);
                    out.add(f);
                }
            }
        }
        return out;
    }

    /**
     * The child's class path: the plugin's own (its class realm), then Maven's core (the plugin API and the Maven
     * types the goal classes name).
     */
    static String classpath(Class<?> mojoClass) throws MojoExecutionException {
        Set<String> entries = new LinkedHashSet<>();
        addUrls(entries, mojoClass.getClassLoader(), false);
        addUrls(entries, MavenProject.class.getClassLoader(), true); // not conf/logging: a class-data archive
        // cannot be used with a folder on the class path
        addSource(entries, AbstractMojo.class);
        addSource(entries, MavenProject.class);
        if (entries.isEmpty()) {
            throw new MojoExecutionException("Cannot tell the plugin's class path; set -Doneclick.fork=false.");
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void addUrls(Set<String> entries, ClassLoader loader, boolean jarsOnly) {
        if (loader instanceof URLClassLoader u) {
            for (URL url : u.getURLs()) {
                if (!jarsOnly || url.getPath().endsWith(".jar")) {
                    add(entries, url);
                }
            }
        }
    }

    private static void addSource(Set<String> entries, Class<?> c) {
        if (c.getProtectionDomain().getCodeSource() != null) {
            add(entries, c.getProtectionDomain().getCodeSource().getLocation());
        }
    }

    private static void add(Set<String> entries, URL url) {
        if (url == null || !"file".equals(url.getProtocol())) {
            return;
        }
        try {
            entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException ignored) {
            // not a local file: the child cannot use it
        }
    }

    /** A log line's text on one protocol line: backslash and line breaks escaped. */
    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }

    static String unescape(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
