package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's docker-registry on loopback: it answers the registry API, and close leaves no process and no port. */
class LocalRegistryTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void start_answersTheRegistryApiOnLoopback_andCloseStopsIt() throws Exception {
        LocalRegistry registry = LocalRegistry.start();
        URI v2 = registry.endpoint().resolve("/v2/");
        try {
            assertEquals("127.0.0.1", registry.endpoint().getHost());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(v2).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), registry.output());
            assertEquals("registry/2.0", r.headers().firstValue("Docker-Distribution-Api-Version").orElse(""));
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(registry.endpoint()
                    .resolve("/v2/none/manifests/latest")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            assertTrue(registry.tagDigest("none", "latest").isEmpty());
        } finally {
            registry.close();
        }
        assertFalse(registry.isRunning());
        assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(v2).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void start_whenExecutableMissing_throwsLocalAwsExceptionWithItsName() throws IOException {
        Path none = tmp.resolve("no-registry");
        Files.writeString(none, "");
        LocalAwsException e = assertThrows(LocalAwsException.class, () -> LocalRegistry.start(none));
        assertTrue(e.getMessage().contains("docker-registry"), e.getMessage());
    }
}
