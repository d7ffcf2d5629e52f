package dev.oneclick.local.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.oneclick.local.LocalAws;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The extension over a whole (fresh) JUnit run: one LocalAws for every test, the backend printed once to the test
 * log, and the servers stopped when the run ends.
 */
class LocalAwsExtensionRunTest {

    /** What the fixture's tests saw, in the order they ran. */
    static final List<LocalAws> SEEN = new CopyOnWriteArrayList<>();
    static final List<URI> ENDPOINTS = new CopyOnWriteArrayList<>();

    /** Run only through the launcher below (surefire leaves nested classes out). */
    @ExtendWith(LocalAwsExtension.class)
    static class Fixture {
        @Test
        void first(LocalAws aws) {
            SEEN.add(aws);
            ENDPOINTS.add(aws.dynamoDbEndpoint());
        }

        @Test
        void second(LocalAws aws, DynamoDbClient dynamoDb) {
            SEEN.add(aws);
            ENDPOINTS.add(aws.dynamoDbEndpoint());
            dynamoDb.listTables();
        }
    }

    @Test
    void run_whenTestsUseTheExtension_sharesOneLocalAwsPrintsTheBackendOnceAndStopsItAtTheEnd() throws Exception {
        SEEN.clear();
        ENDPOINTS.clear();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(Fixture.class)).build(), listener);
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        original.print(printed);

        TestExecutionSummary summary = listener.getSummary();
        StringWriter failures = new StringWriter();
        summary.printFailuresTo(new PrintWriter(failures), 20);
        assertEquals(2, summary.getTestsSucceededCount(), failures.toString());
        assertEquals(1, Set.copyOf(SEEN).size(), "one LocalAws for the whole run");

        Pattern line = Pattern.compile("(?m)^oneclick-local: backend=(emulators|localstack) \\(.*\\)$");
        Matcher m = line.matcher(printed);
        List<String> lines = m.results().map(r -> r.group()).collect(Collectors.toList());
        assertEquals(1, lines.size(), "the backend is printed once: " + printed);
        assertTrue(lines.get(0).contains(ENDPOINTS.get(0).toString()), lines.get(0));

        URI endpoint = ENDPOINTS.get(0);
        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2000);
            }
        }, "the run's end stopped the DynamoDB server at " + endpoint);
    }
}
