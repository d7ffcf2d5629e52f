package dev.oneclick.maven.internal;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * The child JVM of a {@link ForkedGoal}: {@code ForkedMain <job file>}. Sets the user's properties, builds the goal
 * with the parent's parameter values (and {@code fork=false}), runs it with a log that writes protocol lines to
 * standard output, and exits 0, or 1 after a failure line.
 */
public final class ForkedMain {
    private ForkedMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        LineLog log = new LineLog(out);
        int exit;
        try {
            Properties job = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
                job.load(r);
            }
            for (String k : job.stringPropertyNames()) {
                if (k.startsWith("sys.")) {
                    System.setProperty(k.substring(4), job.getProperty(k));
                }
            }
            log.debug = Boolean.parseBoolean(job.getProperty("log.debug"));
            log.info = Boolean.parseBoolean(job.getProperty("log.info", "true"));
            log.warn = Boolean.parseBoolean(job.getProperty("log.warn", "true"));
            AbstractMojo mojo = goal(job);
            mojo.setLog(log);
            log.debug("Running " + mojo.getClass().getSimpleName() + " in a forked JVM (pid "
                    + ProcessHandle.current().pid() + ")");
            mojo.execute();
            exit = 0;
        } catch (MojoFailureException e) {
            log.line('T', stackTrace(e));
            log.line('F', e.getMessage());
            exit = 1;
        } catch (MojoExecutionException e) {
            log.line('T', stackTrace(e));
            log.line('X', e.getMessage());
            exit = 1;
        } catch (IOException | ReflectiveOperationException | RuntimeException | Error e) {
            log.line('T', stackTrace(e));
            log.line('X', "The forked goal failed: " + e);
            exit = 1;
        }
        out.flush();
        System.exit(exit);
    }

    /** The failure's stack trace with its causes: the cause of the parent's failure ({@code -e}, {@code -X}). */
    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString().stripTrailing();
    }

    private static AbstractMojo goal(Properties job) throws ReflectiveOperationException {
        Class<?> type = Class.forName(job.getProperty("mojo"));
        AbstractMojo mojo = (AbstractMojo) type.getDeclaredConstructor().newInstance();
        for (Field f : ForkedGoal.parameterFields(type)) {
            String v = job.getProperty("field." + f.getName());
            if (f.getName().equals("fork")) {
                f.setBoolean(mojo, false);
            } else if (f.getName().equals("forkedBuildDirectory")) {
                f.set(mojo, new File(job.getProperty("buildDir")));
            } else if (v != null) {
                f.set(mojo, value(f.getType(), v));
            }
        }
        return mojo;
    }

    private static Object value(Class<?> type, String v) {
        if (type == boolean.class) {
            return Boolean.parseBoolean(v);
        }
        if (type == int.class) {
            return Integer.parseInt(v);
        }
        if (type == long.class) {
            return Long.parseLong(v);
        }
        return type == File.class ? new File(v) : v;
    }

    /** The goal's log in the child: one protocol line per message, at the levels the parent shows. */
    static final class LineLog implements Log {
        private final PrintStream out;
        volatile boolean debug;
        volatile boolean info = true;
        volatile boolean warn = true;

        LineLog(PrintStream out) {
            this.out = out;
        }

        void line(char level, String text) {
            String line = ForkedGoal.MARK + String.valueOf(level) + ForkedGoal.escape(text == null ? "" : text);
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }

        private static String text(CharSequence content, Throwable error) {
            String c = content == null ? "" : content.toString();
            return error == null ? c : c.isEmpty() ? error.toString() : c + ": " + error;
        }

        @Override
        public boolean isDebugEnabled() {
            return debug;
        }

        @Override
        public void debug(CharSequence content) {
            debug(content, null);
        }

        @Override
        public void debug(CharSequence content, Throwable error) {
            if (debug) {
                line('D', text(content, error));
            }
        }

        @Override
        public void debug(Throwable error) {
            debug(null, error);
        }

        @Override
        public boolean isInfoEnabled() {
            return info;
        }

        @Override
        public void info(CharSequence content) {
            info(content, null);
        }

        @Override
        public void info(CharSequence content, Throwable error) {
            if (info) {
                line('I', text(content, error));
            }
        }

        @Override
        public void info(Throwable error) {
            info(null, error);
        }

        @Override
        public boolean isWarnEnabled() {
            return warn;
        }

        @Override
        public void warn(CharSequence content) {
            warn(content, null);
        }

        @Override
        public void warn(CharSequence content, Throwable error) {
            if (warn) {
                line('W', text(content, error));
            }
        }

        @Override
        public void warn(Throwable error) {
            warn(null, error);
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public void error(CharSequence content) {
            error(content, null);
        }

        @Override
        public void error(CharSequence content, Throwable error) {
            line('E', text(content, error));
        }

        @Override
        public void error(Throwable error) {
            error(null, error);
        }
    }
}
