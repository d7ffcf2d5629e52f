package dev.oneclick.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs local DynamoDB and S3 endpoints until the process is killed, for benchmarks and the local preview.
 *
 * <pre>
 * java -cp ... dev.oneclick.local.LocalAwsMain [--s3-only | --dynamodb-only] [--s3-dir DIR] [--port-file FILE]
 *                                              [--backend auto|emulators|localstack]
 * </pre>
 *
 * <p>Prints the endpoints as {@code s3=http://127.0.0.1:PORT} and {@code dynamodb=http://127.0.0.1:PORT} lines;
 * {@code --port-file} writes the same lines to a file (atomically, once the servers answer; deleted on exit).
 * Exit status 2 for bad arguments, 1 when a server cannot start.
 */
public final class LocalAwsMain {

    static final String USAGE = "usage: LocalAwsMain [--s3-only | --dynamodb-only] [--s3-dir DIR] [--port-file FILE]"
            + " [--backend auto|emulators|localstack]";

    private LocalAwsMain() {
    }

    /**
     * Starts the endpoints and blocks until the JVM is stopped.
     *
     * @param args see the class documentation
     */
    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(USAGE);
            return;
        }
        LocalAws aws;
        try {
            aws = start(options);
        } catch (LocalAwsException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(aws, options), "oneclick-local-stop"));
        print(aws, System.out);
        System.out.println("oneclick-local: running; stop with Ctrl+C or kill");
        new CountDownLatch(1).await();
    }

    /** Starts the servers the options ask for and writes the port file. */
    static LocalAws start(Options options) {
        LocalAws aws = LocalAws.builder()
                .backend(options.backend())
                .s3(!options.dynamoDbOnly())
                .dynamoDb(!options.s3Only())
                .s3Directory(options.s3Dir())
                .start();
        if (options.portFile() != null) {
            try {
                writeAtomically(options.portFile(), String.join("\n", endpointLines(aws)) + "\n");
            } catch (IOException | RuntimeException e) {
                aws.close();
                throw new LocalAwsException("cannot write the port file " + options.portFile() + ": " + e, e);
            }
        }
        return aws;
    }

    /** {@code s3=...} and {@code dynamodb=...} for the services that run. */
    static List<String> endpointLines(LocalAws aws) {
        List<String> lines = new ArrayList<>();
        try {
            lines.add("s3=" + aws.s3Endpoint());
        } catch (IllegalStateException notStarted) {
            // S3 is off
        }
        try {
            lines.add("dynamodb=" + aws.dynamoDbEndpoint());
        } catch (IllegalStateException notStarted) {
            // DynamoDB is off
        }
        return lines;
    }

    static void print(LocalAws aws, PrintStream out) {
        out.println("oneclick-local: " + aws.description());
        endpointLines(aws).forEach(out::println);
        out.flush();
    }

    static void stop(LocalAws aws, Options options) {
        aws.close();
        if (options.portFile() != null) {
            try {
                Files.deleteIfExists(options.portFile());
            } catch (IOException ignored) {
                // best effort while the JVM exits
            }
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text);
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The parsed command line. */
    record Options(boolean s3Only, boolean dynamoDbOnly, Path s3Dir, Path portFile, Backend backend, boolean help) {

        /** @throws IllegalArgumentException naming the bad argument */
        static Options parse(String... args) {
            boolean s3Only = false;
            boolean dynamoDbOnly = false;
            boolean help = false;
            Path s3Dir = null;
            Path portFile = null;
            Backend backend = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--s3-only" -> s3Only = true;
                    case "--dynamodb-only" -> dynamoDbOnly = true;
                    case "--s3-dir" -> s3Dir = Path.of(value(args, ++i, arg));
                    case "--port-file" -> portFile = Path.of(value(args, ++i, arg));
                    case "--backend" -> {
                        try {
                            backend = Backend.parse(value(args, ++i, arg));
                        } catch (LocalAwsException e) {
                            throw new IllegalArgumentException(e.getMessage(), e);
                        }
                    }
                    case "-h", "--help" -> help = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (s3Only && dynamoDbOnly) {
                throw new IllegalArgumentException("--s3-only and --dynamodb-only exclude each other");
            }
            if (dynamoDbOnly && s3Dir != null) {
                throw new IllegalArgumentException("--s3-dir needs S3, but --dynamodb-only switches it off");
            }
            return new Options(s3Only, dynamoDbOnly, s3Dir, portFile, backend, help);
        }

        private static String value(String[] args, int index, String flag) {
            if (index >= args.length || args[index].startsWith("--")) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[index];
        }
    }
}
