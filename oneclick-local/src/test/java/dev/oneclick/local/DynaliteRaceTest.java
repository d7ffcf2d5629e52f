package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The free-port race on a shared machine, made deterministic: the port dynalite is told to use is already held by
 * another listener. Before the fix, start() returned the other server's endpoint (its ListTables answered while our
 * node was dying of EADDRINUSE).
 */
class DynaliteRaceTest {

    @Test
    void start_whenFirstPortIsHeldByAnotherDynalite_retriesAndHandsOutItsOwnEndpoint() throws Exception {
        try (Dynalite squatter = Dynalite.start();
                DynamoDbClient squatterDb = client(squatter)) {
            int taken = squatter.endpoint().getPort();
            AtomicInteger calls = new AtomicInteger();
            try (Dynalite dynalite = Dynalite.start(() -> calls.getAndIncrement() == 0 ? taken : 0);
                    DynamoDbClient db = client(dynalite)) {
                assertEquals(2, calls.get(), "the taken port should have cost exactly one retry");
                assertNotEquals(taken, dynalite.endpoint().getPort());
                assertTrue(dynalite.process().isAlive());
                assertTrue(dynalite.isRunning());

                db.createTable(b -> b.tableName("ours")
                        .keySchema(k -> k.attributeName("id").keyType("HASH"))
                        .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                        .billingMode("PAY_PER_REQUEST"));

                assertEquals(List.of("ours"), db.listTables().tableNames());
                assertEquals(List.of(), squatterDb.listTables().tableNames(), "table landed in the squatter");
                assertTrue(dynalite.process().isAlive());
            }
        }
    }

    @Test
    void start_whenEveryPortTriedIsHeld_failsWithPortTakenAndLeavesNoProcess() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            Set<Long> childrenBefore = children();
            AtomicInteger calls = new AtomicInteger();
            LocalAwsException e = assertThrows(LocalAwsException.class,
                    () -> Dynalite.start(() -> {
                        calls.incrementAndGet();
                        return taken;
                    }).close());
            assertEquals(3, calls.get());
            assertTrue(e.getMessage().contains("3 attempts"), e.getMessage());
            assertTrue(String.valueOf(e.getCause()).contains("EADDRINUSE"), String.valueOf(e.getCause()));
            Set<Long> left = children();
            left.removeAll(childrenBefore);
            assertEquals(Set.of(), left, "node children left over");
        }
    }

    @Test
    void start_whenDefaultPort_bindsAPortTheOperatingSystemPicked() {
        try (Dynalite dynalite = Dynalite.start(); DynamoDbClient db = client(dynalite)) {
            assertTrue(dynalite.endpoint().getPort() > 0);
            assertEquals("127.0.0.1", dynalite.endpoint().getHost());
            assertEquals(List.of(), db.listTables().tableNames());
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toCollection(HashSet::new));
    }

    private static DynamoDbClient client(Dynalite dynalite) {
        return Clients.dynamoDb(dynalite.endpoint(), Clients.REGION, Clients.CREDENTIALS).build();
    }
}
