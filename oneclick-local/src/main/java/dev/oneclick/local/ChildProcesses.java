package dev.oneclick.local;

import java.io.IOException;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

/**
 * What {@link Dynalite} and {@link Moto} share to own a server child process started through commons-exec: its
 * standard input kept open (the child exits when it closes, i.e. when this JVM is gone), its "listening" line read
 * from its own output, and its registration with one JVM shutdown hook.
 */
final class ChildProcesses {

    /** One JVM shutdown hook for every server child of this JVM. */
    private static final ShutdownHookProcessDestroyer SHUTDOWN_HOOK = new ShutdownHookProcessDestroyer();

    private ChildProcesses() {
    }

    /** Kills {@code process} when this JVM exits (a process started without commons-exec, e.g. the backend). */
    static void register(Process process) {
        SHUTDOWN_HOOK.add(process);
    }

    /** Undoes {@link #register(Process)} once the process is stopped. */
    static void unregister(Process process) {
        SHUTDOWN_HOOK.remove(process);
    }

    /**
     * Pumps output into the tail buffer and keeps the child's standard input open (commons-exec closes it when no
     * input is given); it closes only when the process ends or this JVM dies, which the child's launcher notices.
     */
    static final class StdinKeepingStreamHandler extends PumpStreamHandler {
        private volatile OutputStream stdin;

        StdinKeepingStreamHandler(OutputStream stdout, OutputStream stderr) {
            super(stdout, stderr);
        }

        @Override
        public void setProcessInputStream(OutputStream stdin) {
            this.stdin = stdin;
        }

        @Override
        public void stop() throws IOException {
            try {
                super.stop();
            } finally {
                OutputStream in = stdin;
                if (in != null) {
                    in.close();
                }
            }
        }
    }

    /**
     * The child's standard output: copied to the tail, and scanned line by line for the launcher's listening line,
     * a pattern whose groups 1 and 2 are the bound port and the child's pid.
     */
    static final class ListeningLine extends OutputStream {
        private final OutputTail tail;
        private final Pattern pattern;
        private final StringBuilder line = new StringBuilder();
        private volatile boolean seen;
        private volatile int port;
        private volatile long pid;

        ListeningLine(OutputTail tail, Pattern pattern) {
            this.tail = tail;
            this.pattern = pattern;
        }

        @Override
        public synchronized void write(int b) {
            tail.write(b);
            if (seen) {
                return;
            }
            if (b == '\n') {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    pid = Long.parseLong(m.group(2));
                    seen = true;
                }
                line.setLength(0);
            } else if (line.length() < 1024) {
                line.append((char) b);
            }
        }

        boolean seen() {
            return seen;
        }

        int port() {
            return port;
        }

        long pid() {
            return pid;
        }
    }

    /** Registers the process with the shared shutdown hook and remembers it, so close() can force-kill it. */
    static final class ProcessCapture implements ProcessDestroyer {
        private volatile Process process;

        Process process() {
            return process;
        }

        @Override
        public boolean add(Process process) {
            this.process = process;
            return SHUTDOWN_HOOK.add(process);
        }

        @Override
        public boolean remove(Process process) {
            return SHUTDOWN_HOOK.remove(process);
        }

        @Override
        public int size() {
            return SHUTDOWN_HOOK.size();
        }
    }
}
