package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Behind an HTTP proxy the uploads stay on the SDK's clients, which handle proxies ({@code DirectS3} has none): a
 * {@code http(s).proxyHost} property switches the direct path off. (The environment's {@code HTTP(S)_PROXY} is read
 * the same way; a test cannot set it in its own JVM.)
 */
class ClientFactoryProxyTest {
    private static final boolean FROM_ENVIRONMENT = System.getenv("HTTP_PROXY") != null
            || System.getenv("HTTPS_PROXY") != null || System.getenv("http_proxy") != null
            || System.getenv("https_proxy") != null;

    @Test
    void proxyConfigured_followsTheProxyHostProperties() {
        String http = System.getProperty("http.proxyHost");
        String https = System.getProperty("https.proxyHost");
        try {
            System.clearProperty("http.proxyHost");
            System.clearProperty("https.proxyHost");
            assertEquals(FROM_ENVIRONMENT, ClientFactory.proxyConfigured());
            System.setProperty("https.proxyHost", "proxy.example");
            assertTrue(ClientFactory.proxyConfigured());
            System.clearProperty("https.proxyHost");
            System.setProperty("http.proxyHost", "proxy.example");
            assertTrue(ClientFactory.proxyConfigured());
            System.setProperty("http.proxyHost", " ");
            assertEquals(FROM_ENVIRONMENT, ClientFactory.proxyConfigured());
        } finally {
            restore("http.proxyHost", http);
            restore("https.proxyHost", https);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
