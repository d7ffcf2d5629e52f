package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynaliteTest {

    @Test
    void close_whenRunning_killsNodeAndPortStopsAnswering() throws Exception {
        Dynalite dynalite = Dynalite.start();
        int port = dynalite.endpoint().getPort();
        Process process = dynalite.process();
        assertTrue(process.isAlive());
        assertTrue(answers(port));

        dynalite.close();

        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "node process still running after close()");
        assertFalse(answers(port), "port " + port + " still answers after close()");
        assertFalse(dynalite.isRunning());
    }

    @Test
    void start_whenTableCreated_listTablesShowsIt() {
        try (Dynalite dynalite = Dynalite.start();
                DynamoDbClient db = Clients.dynamoDb(dynalite.endpoint(), Clients.REGION, Clients.CREDENTIALS)
                        .build()) {
            db.createTable(b -> b.tableName("table-one")
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .billingMode("PAY_PER_REQUEST"));
            db.waiter().waitUntilTableExists(b -> b.tableName("table-one"));
            db.putItem(b -> b.tableName("table-one").item(Map.of("id", AttributeValue.fromS("x"))));
            assertEquals("x", db.getItem(b -> b.tableName("table-one").key(Map.of("id", AttributeValue.fromS("x"))))
                    .item().get("id").s());
            assertEquals(java.util.List.of("table-one"), db.listTables().tableNames());
        }
    }

    @Test
    void start_whenRestartedOnSameDirectory_tableAndItemRemain(@TempDir Path dir) {
        Path data = dir.resolve("dynamodb");
        try (Dynalite first = Dynalite.start(data);
                DynamoDbClient db = Clients.dynamoDb(first.endpoint(), Clients.REGION, Clients.CREDENTIALS).build()) {
            assertEquals(java.util.Optional.of(data.toAbsolutePath()), first.dataDirectory());
            db.createTable(b -> b.tableName("kept")
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .billingMode("PAY_PER_REQUEST"));
            db.waiter().waitUntilTableExists(b -> b.tableName("kept"));
            db.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS("x"),
                    "status", AttributeValue.fromS("DEPLOYED"))));
        }
        assertTrue(Files.isRegularFile(data.resolve("CURRENT")), "no LevelDB database in " + data);

        try (Dynalite second = Dynalite.start(data);
                DynamoDbClient db = Clients.dynamoDb(second.endpoint(), Clients.REGION, Clients.CREDENTIALS).build()) {
            assertEquals(java.util.List.of("kept"), db.listTables().tableNames());
            assertEquals("DEPLOYED", db.getItem(b -> b.tableName("kept")
                    .key(Map.of("id", AttributeValue.fromS("x")))).item().get("status").s());
        }
    }

    @Test
    void start_whenDirectoryInUse_throwsNamingTheFolder(@TempDir Path dir) {
        Path data = dir.resolve("dynamodb");
        try (Dynalite first = Dynalite.start(data)) {
            LocalAwsException e = org.junit.jupiter.api.Assertions.assertThrows(LocalAwsException.class,
                    () -> Dynalite.start(data));
            assertTrue(e.getMessage().contains(data.toAbsolutePath().toString()), e.getMessage());
            assertTrue(first.isRunning());
        }
        try (Dynalite again = Dynalite.start(data)) {
            assertTrue(again.isRunning(), "the folder is free again once the first dynalite closed");
        }
    }

    @Test
    void start_whenDatabaseUnreadable_failsAtOnceWithLevelDbMessage(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("dynamodb");
        Files.createDirectories(data);
        Files.writeString(data.resolve("CURRENT"), "MANIFEST-999999\n"); // names a manifest that does not exist

        LocalAwsException e = org.junit.jupiter.api.Assertions.assertThrows(LocalAwsException.class,
                () -> Dynalite.start(data));

        assertTrue(e.getMessage().contains("cannot open its LevelDB data folder " + data.toAbsolutePath()),
                e.getMessage());
        try (Dynalite memory = Dynalite.start()) {
            assertTrue(memory.isRunning(), "a failed start leaves nothing behind that blocks the next one");
        }
    }

    @Test
    void start_whenDynamoDbDirectoryGiven_localAwsKeepsTablesAcrossRestarts(@TempDir Path dir) {
        Path data = dir.resolve("dynamodb");
        try (LocalAws aws = LocalAws.builder().s3(false).dynamoDbDirectory(data).start()) {
            assertEquals(Backend.EMULATORS, aws.backend());
            aws.dynamoDbClient().createTable(b -> b.tableName("via-local-aws")
                    .keySchema(k -> k.attributeName("id").keyType("HASH"))
                    .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                    .billingMode("PAY_PER_REQUEST"));
        }
        try (LocalAws aws = LocalAws.builder().s3(false).dynamoDbDirectory(data).start()) {
            assertEquals(java.util.List.of("via-local-aws"), aws.dynamoDbClient().listTables().tableNames());
        }
    }

    @Test
    void start_whenJvmExitsWithoutClose_shutdownHookKillsNode(@TempDir Path dir) throws Exception {
        assertNodeDiesWithJvm("exit", dir);
    }

    @Test
    void start_whenJvmIsHaltedWithoutHooks_nodeNoticesAndExits(@TempDir Path dir) throws Exception {
        assertNodeDiesWithJvm("halt", dir);
    }

    /** Runs {@link OrphanProbe} in a child JVM and checks that its node process ends with it. */
    private static void assertNodeDiesWithJvm(String how, Path dir) throws Exception {
        Path info = dir.resolve("probe.txt");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OrphanProbe.class.getName(), how, info.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        assertTrue(jvm.waitFor(90, TimeUnit.SECONDS), "probe JVM did not end");
        assertTrue(Files.isRegularFile(info),
                "probe did not start dynalite: " + Files.readString(dir.resolve("jvm.log")));
        String[] portAndPid = Files.readString(info).split(" ");
        int port = Integer.parseInt(portAndPid[0]);
        long pid = Long.parseLong(portAndPid[1]);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "node " + pid + " outlived its JVM (" + how + ")");
        assertFalse(answers(port), "port " + port + " still answers");
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
