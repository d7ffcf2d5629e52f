package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyEvent;
import dev.oneclick.notify.ProjectOwner;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hub's subscribe/unsubscribe under contention: the last session of a project leaving while a new one joins
 * must never leave the new one in a set that was dropped from the map (it would miss every event).
 */
class WebSocketHubTest {
    private static final int ROUNDS = 20_000;

    /** A session that counts what it was sent. */
    private record CountingSession(String id, AtomicInteger received) implements WebSocketHub.Session {
        @Override
        public void send(String text) {
            received.incrementAndGet();
        }
    }

    @Test
    void subscribe_whenRacingTheLastUnsubscribeOfTheProject_isNeverLost() throws Exception {
        WebSocketHub hub = new WebSocketHub(Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Integer> lostRounds = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
                CountingSession leaving = new CountingSession("old-" + round, new AtomicInteger());
                CountingSession joining = new CountingSession("new-" + round, new AtomicInteger());
                hub.subscribe(guid, "alice", leaving);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> a = pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    hub.unsubscribe(leaving.id());
                    return null;
                });
                Future<?> b = pool.submit(() -> {
                    start.await(5, TimeUnit.SECONDS);
                    hub.subscribe(guid, "alice", joining);
                    return null;
                });
                a.get(10, TimeUnit.SECONDS);
                b.get(10, TimeUnit.SECONDS);
                hub.publish(new ProjectOwner("alice", "p"), guid,
                        new NotifyEvent("e", guid, NotifyEvent.Type.STATUS, "hi", null, Instant.now()));
                if (joining.received().get() != 1 || hub.subscriberCount(guid) != 1) {
                    lostRounds.add(round);
                }
                hub.unsubscribe(joining.id());
                assertEquals(0, leaving.received().get(), "the session that left got an event");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), lostRounds, "rounds in which the joining session missed the event");
        assertEquals(0, hub.projectCount(), "an empty project set stayed in the map");
    }

    @Test
    void unsubscribe_whenUnknownSession_changesNothing() {
        WebSocketHub hub = new WebSocketHub(Clock.systemUTC());
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        hub.subscribe(guid, "alice", new CountingSession("s1", new AtomicInteger()));

        hub.unsubscribe("nobody");

        assertEquals(1, hub.subscriberCount(guid));
    }
}
