package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.NotifyEvent;
import dev.oneclick.notify.ProjectOwner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link EventFanOut}'s timing rules over a real table (dynalite), with the instances' clocks under the test's
 * control and the polls run by the test: a put slower than half the lookback is written again so a poller whose
 * range already passed its time still delivers it, once; a poller held up longer than the lookback still delivers
 * what was written meanwhile.
 */
class EventFanOutTest {
    private static final Duration LOOKBACK = Duration.ofSeconds(3);
    private static final ProjectOwner ALICE = new ProjectOwner("alice", "Timing");
    private static BackendHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new BackendHarness();
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** A clock whose millis come from {@code millis}. */
    private static Clock clock(LongSupplier millis) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.getAsLong());
            }
        };
    }

    private record Receiver(EventFanOut fanOut, List<String> received) {
    }

    /** An instance with alice's session on {@code guid}, whose first (priming) poll has run. */
    private static Receiver receiver(String table, ProjectGuid guid, Clock clock) {
        WebSocketHub hub = new WebSocketHub(Clock.systemUTC());
        List<String> received = new CopyOnWriteArrayList<>();
        hub.subscribe(guid, "alice", new WebSocketHub.Session() {
            @Override
            public String id() {
                return "session-on-y";
            }

            @Override
            public void send(String text) {
                received.add(text);
            }
        });
        EventFanOut y = new EventFanOut(h.directDb, table, hub, Duration.ofSeconds(1), LOOKBACK, clock).ensureTable();
        y.poll(false);
        return new Receiver(y, received);
    }

    private static EventFanOut sender(String table, Clock clock) {
        return new EventFanOut(h.directDb, table, new WebSocketHub(Clock.systemUTC()), Duration.ofSeconds(1),
                LOOKBACK, clock).ensureTable();
    }

    private static NotifyEvent status(ProjectGuid guid, String message) {
        return new NotifyEvent(UUID.randomUUID().toString(), guid, NotifyEvent.Type.STATUS, message, null,
                Instant.now());
    }

    @Test
    void publish_whenThePutEndedPastTheReceiversRange_isWrittenAgainAndDeliveredOnce() {
        String table = "fan-out-slow-put";
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        Receiver y = receiver(table, guid, Clock.systemUTC());
        // the sender's clock read 10 s ago when the put began, now when it ended: as a put that took 10 s
        long[] calls = {0};
        EventFanOut x = sender(table, clock(() -> calls[0]++ == 0 ? System.currentTimeMillis() - 10_000
                : System.currentTimeMillis()));

        x.publish(ALICE, guid, status(guid, "slow put"));
        y.fanOut().poll(true);
        y.fanOut().poll(true);

        assertEquals(1, y.received().size(), y.received().toString());
    }

    @Test
    void publish_whenBothPutsOfASlowEventAreInRange_deliversItOnce() {
        String table = "fan-out-twice";
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        Receiver y = receiver(table, guid, Clock.systemUTC());
        long[] calls = {0};
        EventFanOut x = sender(table, clock(() -> calls[0]++ == 0 ? System.currentTimeMillis() - 2_000
                : System.currentTimeMillis()));

        x.publish(ALICE, guid, status(guid, "written twice"));
        y.fanOut().poll(true);
        y.fanOut().poll(true);

        assertEquals(1, y.received().size(), y.received().toString());
    }

    @Test
    void poll_whenThePollerWasHeldUpLongerThanTheLookback_deliversWhatWasWrittenMeanwhile() {
        String table = "fan-out-held-up";
        ProjectGuid guid = ProjectGuid.parse(UUID.randomUUID().toString());
        long[] ahead = {0};
        Receiver y = receiver(table, guid, clock(() -> System.currentTimeMillis() + ahead[0]));
        EventFanOut x = sender(table, Clock.systemUTC());

        x.publish(ALICE, guid, status(guid, "while y was held up"));
        ahead[0] = 10_000; // y's next poll begins 10 s after its previous one
        y.fanOut().poll(true);

        assertEquals(1, y.received().size(), y.received().toString());
        assertEquals(true, y.received().get(0).contains("\"message\":\"while y was held up\""), y.received().get(0));
    }
}
