package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class LocalAwsTest {

    @Test
    void start_whenBackendAutoAndNoDockerEngine_usesEmulators() {
        AtomicInteger dockerChecks = new AtomicInteger();
        try (LocalAws aws = LocalAws.builder().backend(Backend.AUTO)
                .dockerCheck(() -> dockerChecks.incrementAndGet() < 0).start()) {
            assertEquals(1, dockerChecks.get());
            assertEquals(Backend.EMULATORS, aws.backend());
            assertTrue(aws.description().matches("backend=emulators"
                    + " \\(dynalite 4\\.0\\.0 at http://127\\.0\\.0\\.1:\\d+,"
                    + " s3proxy 2\\.6\\.0 at http://127\\.0\\.0\\.1:\\d+\\)"), aws.description());
            assertEquals("127.0.0.1", aws.dynamoDbEndpoint().getHost());
            assertEquals("127.0.0.1", aws.s3Endpoint().getHost());
            assertNotEquals(aws.dynamoDbEndpoint(), aws.s3Endpoint());
            assertEquals(Region.US_EAST_1, aws.region());
            assertEquals("test", aws.credentialsProvider().resolveCredentials().accessKeyId());
        }
    }

    @Test
    void start_whenBackendEmulators_neverAsksDocker() {
        try (LocalAws aws = LocalAws.builder().backend(Backend.EMULATORS).s3(false)
                .dockerCheck(() -> {
                    throw new AssertionError("Docker must not be asked when the backend is emulators");
                }).start()) {
            assertEquals(Backend.EMULATORS, aws.backend());
        }
    }

    @Test
    void clients_whenCalledTwice_returnSharedClientsThatWork() {
        try (LocalAws aws = LocalAws.builder().backend(Backend.EMULATORS).start()) {
            assertSame(aws.s3Client(), aws.s3Client());
            assertSame(aws.s3AsyncClient(), aws.s3AsyncClient());
            assertSame(aws.dynamoDbClient(), aws.dynamoDbClient());

            aws.s3Client().createBucket(b -> b.bucket("shared-clients"));
            aws.s3AsyncClient().putObject(b -> b.bucket("shared-clients").key("k"),
                    software.amazon.awssdk.core.async.AsyncRequestBody.fromString("v")).join();
            assertEquals("v", aws.s3Client().getObjectAsBytes(b -> b.bucket("shared-clients").key("k"))
                    .asUtf8String());
            assertEquals(0, aws.dynamoDbClient().listTables().tableNames().size());
        }
    }

    @Test
    void close_whenRunning_stopsBothServersAndIsIdempotent() {
        LocalAws aws = LocalAws.builder().backend(Backend.EMULATORS).start();
        int dynamoPort = aws.dynamoDbEndpoint().getPort();
        int s3Port = aws.s3Endpoint().getPort();
        aws.s3Client();
        assertTrue(S3ProxyTest.answers(dynamoPort));
        assertTrue(S3ProxyTest.answers(s3Port));

        aws.close();
        aws.close();

        assertFalse(S3ProxyTest.answers(dynamoPort), "dynalite still answers");
        assertFalse(S3ProxyTest.answers(s3Port), "s3proxy still answers");
        assertThrows(IllegalStateException.class, aws::dynamoDbClient);
    }

    @Test
    void start_whenS3Only_dynamoDbEndpointThrows() {
        try (LocalAws aws = LocalAws.builder().backend(Backend.EMULATORS).dynamoDb(false).start()) {
            assertEquals("backend=emulators (s3proxy 2.6.0 at " + aws.s3Endpoint() + ")", aws.description());
            IllegalStateException e = assertThrows(IllegalStateException.class, aws::dynamoDbEndpoint);
            assertTrue(e.getMessage().contains("DynamoDB was not started"), e.getMessage());
        }
    }

    @Test
    void start_whenS3DirectoryAndAuto_usesEmulatorsWithFilesystemStore(@TempDir Path dir) {
        try (LocalAws aws = LocalAws.builder().backend(Backend.AUTO).dynamoDb(false).s3Directory(dir)
                .dockerCheck(() -> true).start()) {
            assertEquals(Backend.EMULATORS, aws.backend());
            S3Client s3 = aws.s3Client();
            s3.createBucket(b -> b.bucket("folder-store"));
            s3.putObject(b -> b.bucket("folder-store").key("x.txt"), RequestBody.fromString("x"));
            assertTrue(Files.isRegularFile(dir.resolve("folder-store").resolve("x.txt")));
        }
    }

    @Test
    void start_whenS3DirectoryAndLocalStack_throwsBeforeStarting(@TempDir Path dir) {
        LocalAwsException e = assertThrows(LocalAwsException.class,
                () -> LocalAws.builder().backend(Backend.LOCALSTACK).s3Directory(dir).start());
        assertTrue(e.getMessage().contains("localstack"), e.getMessage());
    }

    @Test
    void start_whenNothingSelected_throws() {
        LocalAwsException e = assertThrows(LocalAwsException.class,
                () -> LocalAws.builder().s3(false).dynamoDb(false).start());
        assertTrue(e.getMessage().contains("nothing to start"), e.getMessage());
    }

    @Test
    void start_whenBackendPropertyUnknown_throwsNamingValidValues() {
        String old = System.getProperty(LocalAws.BACKEND_PROPERTY);
        System.setProperty(LocalAws.BACKEND_PROPERTY, "docker");
        try {
            LocalAwsException e = assertThrows(LocalAwsException.class, LocalAws::start);
            assertTrue(e.getMessage().contains("'docker'"), e.getMessage());
            assertTrue(e.getMessage().contains("auto, emulators, localstack"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(LocalAws.BACKEND_PROPERTY);
            } else {
                System.setProperty(LocalAws.BACKEND_PROPERTY, old);
            }
        }
    }

    @Test
    void parse_whenMixedCaseAndBlanks_returnsBackend() {
        assertEquals(Backend.LOCALSTACK, Backend.parse(" LocalStack "));
        assertEquals(Backend.EMULATORS, Backend.parse("emulators"));
        assertEquals(Backend.AUTO, Backend.parse("AUTO"));
        assertThrows(LocalAwsException.class, () -> Backend.parse(null));
    }
}
