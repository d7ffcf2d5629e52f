package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAwsMainTest {

    @Test
    void parse_whenAllFlags_readsThem() {
        LocalAwsMain.Options options = LocalAwsMain.Options.parse("--s3-only", "--s3-dir", "/tmp/s3", "--port-file",
                "ports.txt", "--backend", "emulators");
        assertTrue(options.s3Only());
        assertFalse(options.dynamoDbOnly());
        assertEquals(Path.of("/tmp/s3"), options.s3Dir());
        assertEquals(Path.of("ports.txt"), options.portFile());
        assertEquals(Backend.EMULATORS, options.backend());
    }

    @Test
    void parse_whenNoFlags_startsBothOnDefaultBackend() {
        LocalAwsMain.Options options = LocalAwsMain.Options.parse();
        assertFalse(options.s3Only());
        assertFalse(options.dynamoDbOnly());
        assertNull(options.backend());
        assertNull(options.portFile());
    }

    @Test
    void parse_whenBadArguments_throwsNamingThem() {
        assertEquals("unknown argument '--s3'",
                assertThrows(IllegalArgumentException.class, () -> LocalAwsMain.Options.parse("--s3")).getMessage());
        assertEquals("--port-file needs a value", assertThrows(IllegalArgumentException.class,
                () -> LocalAwsMain.Options.parse("--port-file")).getMessage());
        assertEquals("--s3-dir needs a value", assertThrows(IllegalArgumentException.class,
                () -> LocalAwsMain.Options.parse("--s3-dir", "--s3-only")).getMessage());
        assertEquals("--s3-only and --dynamodb-only exclude each other", assertThrows(
                IllegalArgumentException.class, () -> LocalAwsMain.Options.parse("--s3-only", "--dynamodb-only"))
                .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> LocalAwsMain.Options.parse("--backend", "cloud")).getMessage().contains("'cloud'"));
    }

    @Test
    void start_whenPortFileGiven_writesEndpointLinesThatAnswer(@TempDir Path dir) throws Exception {
        Path portFile = dir.resolve("run/ports.txt");
        LocalAwsMain.Options options = LocalAwsMain.Options.parse("--backend", "emulators", "--port-file",
                portFile.toString());
        LocalAws aws = LocalAwsMain.start(options);
        try {
            List<String> lines = Files.readAllLines(portFile);
            assertEquals(List.of("s3=" + aws.s3Endpoint(), "dynamodb=" + aws.dynamoDbEndpoint()), lines);
            int s3Port = URI.create(lines.get(0).substring("s3=".length())).getPort();
            int dynamoPort = URI.create(lines.get(1).substring("dynamodb=".length())).getPort();
            assertTrue(S3ProxyTest.answers(s3Port));
            assertTrue(S3ProxyTest.answers(dynamoPort));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LocalAwsMain.print(aws, new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals("oneclick-local: " + aws.description() + "\n" + String.join("\n", lines) + "\n",
                    out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
        } finally {
            LocalAwsMain.stop(aws, options);
        }
        assertFalse(Files.exists(portFile), "the port file must go when the servers stop");
        try (var entries = Files.list(portFile.getParent())) {
            assertEquals(0, entries.count(), "no temporary files left");
        }
    }

    @Test
    void start_whenDynamoDbOnly_writesOnlyItsLine(@TempDir Path dir) throws Exception {
        Path portFile = dir.resolve("ports.txt");
        LocalAwsMain.Options options = LocalAwsMain.Options.parse("--dynamodb-only", "--backend", "emulators",
                "--port-file", portFile.toString());
        LocalAws aws = LocalAwsMain.start(options);
        try {
            assertEquals(List.of("dynamodb=" + aws.dynamoDbEndpoint()), Files.readAllLines(portFile));
        } finally {
            LocalAwsMain.stop(aws, options);
        }
    }

    @Test
    void main_whenRunAsProcessAndTerminated_servesUntilKilledThenCleansUp(@TempDir Path dir) throws Exception {
        Path portFile = dir.resolve("ports.txt");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LocalAwsMain.class.getName(), "--backend", "emulators", "--port-file", portFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("main.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.exists(portFile) && jvm.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(portFile), "no port file; output: " + Files.readString(dir.resolve("main.log")));
            List<String> lines = Files.readAllLines(portFile);
            assertEquals(2, lines.size(), lines.toString());
            int s3Port = URI.create(lines.get(0).substring("s3=".length())).getPort();
            int dynamoPort = URI.create(lines.get(1).substring("dynamodb=".length())).getPort();
            assertTrue(S3ProxyTest.answers(s3Port));
            assertTrue(S3ProxyTest.answers(dynamoPort));
            String log = Files.readString(dir.resolve("main.log"));
            assertTrue(log.contains(lines.get(0)) && log.contains(lines.get(1)), log);

            jvm.destroy();
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "main did not stop on SIGTERM");

            assertFalse(Files.exists(portFile), "port file left behind");
            assertFalse(S3ProxyTest.answers(s3Port), "s3proxy still answers");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (S3ProxyTest.answers(dynamoPort) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertFalse(S3ProxyTest.answers(dynamoPort), "dynalite still answers");
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void main_whenArgumentsBad_exitsWith2AndUsage(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LocalAwsMain.class.getName(), "--bogus")
                .redirectErrorStream(true).redirectOutput(dir.resolve("main.log").toFile()).start();
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, jvm.exitValue());
        String log = Files.readString(dir.resolve("main.log"));
        assertTrue(log.contains("error: unknown argument '--bogus'") && log.contains(LocalAwsMain.USAGE), log);
    }
}
