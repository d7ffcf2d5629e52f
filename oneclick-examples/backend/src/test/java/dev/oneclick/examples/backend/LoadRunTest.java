package dev.oneclick.examples.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oneclick.examples.backend.BackendHarness.Project;
import dev.oneclick.examples.backend.BackendHarness.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Load runs of signed events over real HTTP into the backend with the DynamoDB replay guard (dynalite), from
 * {@value #SENDERS} concurrent senders, to {@value #PROJECTS} projects whose owners follow them on WebSockets: 30 %
 * {@code resources} events (each sets a key of its own), the rest {@code status}. A sender retries a 408, 429 or 503
 * as notify.sh does (same event id, at most 8 attempts). One run goes to one instance ({@code oneclick.load.events},
 * default 10,000); another spreads its events over two instances with the WebSocket fan-out on
 * ({@code oneclick.load.fanOutEvents}, default 2,000), each project followed on both. Each prints the counts sent,
 * accepted, stored, broadcast and lost, and the rate; every event must be stored (resources) and reach every socket
 * of its project exactly once.
 */
class LoadRunTest {
    private static final int EVENTS = Integer.getInteger("oneclick.load.events", 10_000);
    private static final int FAN_OUT_EVENTS = Integer.getInteger("oneclick.load.fanOutEvents", 2_000);
    private static final int PROJECTS = 50;
    private static final int SENDERS = 8;
    private static final int RESOURCES_PER_PROJECT = 60; // 50 x 60 = 3,000 resources events, under 100 keys each

    private record Event(Project project, String id, byte[] body, String key) {
    }

    @Test
    void notify_when10000SignedEventsFromConcurrentSenders_storesAndBroadcastsEveryOneExactlyOnce() throws Exception {
        try (BackendHarness h = new BackendHarness((b, db) -> b.notifyRate(1_000_000, 10_000_000)
                .replayGuard(new DynamoDbReplayGuard(db, DynamoDbReplayGuard.DEFAULT_TABLE).ensureTable()))) {
            run(h, "load run", List.of(h.backend), EVENTS);
        }
    }

    @Test
    void notify_whenEventsSpreadOverTwoInstancesWithFanOut_everyEventReachesTheSocketsOnBoth() throws Exception {
        try (BackendHarness h = new BackendHarness((b, db) -> b.notifyRate(1_000_000, 10_000_000)
                .replayGuard(new DynamoDbReplayGuard(db, DynamoDbReplayGuard.DEFAULT_TABLE).ensureTable())
                .eventsTable(EventFanOut.DEFAULT_TABLE))) {
            ReferenceBackend second = h.startAnother(b -> b.notifyRate(1_000_000, 10_000_000)
                    .replayGuard(new DynamoDbReplayGuard(h.backendDb, DynamoDbReplayGuard.DEFAULT_TABLE))
                    .eventsTable(EventFanOut.DEFAULT_TABLE));
            run(h, "fan-out load run (2 instances)", List.of(h.backend, second), FAN_OUT_EVENTS);
        }
    }

    /** Sends {@code count} events, round robin over {@code instances}, with each project followed on every one. */
    private static void run(BackendHarness h, String label, List<ReferenceBackend> instances, int count)
            throws Exception {
        String alice = h.login("alice");
        List<Project> projects = new ArrayList<>();
        List<List<WsClient>> sockets = new ArrayList<>();
        for (int i = 0; i < PROJECTS; i++) {
            Project p = h.createProject(alice, "Load " + i);
            projects.add(p);
            List<WsClient> own = new ArrayList<>();
            for (ReferenceBackend instance : instances) {
                own.add(h.subscribe(instance, p.guid(), alice));
            }
            sockets.add(own);
        }
        List<Event> events = events(projects, count);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        long start = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            work.add(pool.submit(() -> {
                for (int n = sender; n < count; n += SENDERS) {
                    Event e = events.get(n);
                    URI uri = URI.create(instances.get(n % instances.size()).url() + "/notify");
                    for (int attempt = 1; attempt <= 8; attempt++) {
                        long ts = Instant.now().getEpochSecond();
                        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(e.body()));
                        BackendHarness.signedHeaders(BackendHarness.secret(e.project().guid()), ts, e.body())
                                .forEach(rb::header);
                        HttpResponse<String> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            accepted.incrementAndGet();
                            break;
                        }
                        if (r.statusCode() != 408 && r.statusCode() != 429 && r.statusCode() != 503
                                || attempt == 8) {
                            System.out.println("refused: HTTP " + r.statusCode() + " " + r.body());
                            refused.incrementAndGet();
                            break;
                        }
                        retries.incrementAndGet();
                        Thread.sleep(Math.min(1000, 50L * attempt));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;

        // broadcast: every event's id arrives on each of its project's sockets once (bounded wait)
        int delivered = 0;
        int duplicates = 0;
        int lost = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0; i < PROJECTS; i++) {
            Project owner = projects.get(i);
            int expected = (int) events.stream().filter(e -> e.project() == owner).count();
            for (WsClient ws : sockets.get(i)) {
                Set<String> seen = new HashSet<>();
                int got = 0;
                while (got < expected) {
                    // wait while the deadline lasts; past it, only take what already arrived (a project that missed
                    // an event must not keep the others' queues unread)
                    long wait = System.nanoTime() < deadline ? 200 : 0;
                    String m = ws.messages.poll(wait, TimeUnit.MILLISECONDS);
                    if (m == null) {
                        if (wait == 0) {
                            break;
                        }
                        continue;
                    }
                    var node = BackendHarness.JSON.readTree(m);
                    String id = node.has("data") ? node.get("data").elements().next().asText()
                            : node.path("message").asText();
                    if (!seen.add(id)) {
                        duplicates++;
                    }
                    got++;
                }
                delivered += seen.size();
                lost += expected - seen.size();
            }
        }
        // stored: every resources event's key holds its id in the project's record
        int resourcesEvents = 0;
        int stored = 0;
        for (Project p : projects) {
            Map<String, AttributeValue> res = h.rawItem("alice", p.guid()).get("awsResources").m();
            for (Event e : events) {
                if (e.project() == p && e.key() != null) {
                    resourcesEvents++;
                    AttributeValue v = res.get(e.key());
                    if (v != null && e.id().equals(v.s())) {
                        stored++;
                    }
                }
            }
        }
        for (List<WsClient> own : sockets) {
            for (WsClient ws : own) {
                if (ws.closed.isDone()) {
                    System.out.println("socket closed: " + ws.closed.getNow(""));
                }
                ws.close();
            }
        }
        int socketsPerProject = instances.size();
        System.out.printf("%s: %d signed events (%d resources, %d status) from %d senders to %d projects on %d "
                + "instance(s) in %.1f s = %.0f events/s; accepted %d, refused %d, retried %d; resources stored %d "
                + "of %d; broadcast %d of %d (%d socket(s) per project, duplicates %d); lost %d%n", label, count,
                resourcesEvents, count - resourcesEvents, SENDERS, PROJECTS, instances.size(), seconds,
                count / seconds, accepted.get(), refused.get(), retries.get(), stored, resourcesEvents, delivered,
                count * socketsPerProject, socketsPerProject, duplicates, lost);
        assertEquals(count, accepted.get());
        assertEquals(resourcesEvents, stored);
        assertEquals(0, duplicates);
        assertEquals(0, lost);
    }

    private static List<Event> events(List<Project> projects, int count) {
        List<Event> events = new ArrayList<>(count);
        int[] resourcesSent = new int[projects.size()];
        for (int n = 0; n < count; n++) {
            int pi = n % projects.size();
            Project p = projects.get(pi);
            String id = UUID.randomUUID().toString();
            boolean resources = (n / projects.size()) % 10 < 3 && resourcesSent[pi] < RESOURCES_PER_PROJECT;
            String key = resources ? "load" + resourcesSent[pi]++ : null;
            String body = resources
                    ? "{\"id\":\"" + id + "\",\"guid\":\"" + p.guid() + "\",\"type\":\"resources\",\"data\":{\""
                            + key + "\":\"" + id + "\"}}"
                    : BackendHarness.JSON.createObjectNode().put("id", id).put("guid", p.guid().value())
                            .put("type", "status").put("message", id).toString();
            events.add(new Event(p, id, body.getBytes(StandardCharsets.UTF_8), key));
        }
        return events;
    }
}
