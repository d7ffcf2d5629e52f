import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs in the integration-test phase of the Maven run that deployed, while the preview still serves: fetches the
 * page, /api/health and /api/env (GET and POST) from the siteUrl in target/oneclick/resources.json and writes
 * "path status body" lines to target/probe.txt for verify.groovy.
 */
class ProbeIT {
    @Test
    void probe() throws Exception {
        String json = Files.readString(Path.of("target/oneclick/resources.json"));
        Matcher m = Pattern.compile("\"siteUrl\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no siteUrl in " + json);
        }
        String url = m.group(1).replaceAll("/$", "");
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder out = new StringBuilder();
        for (String p : new String[] {"/", "/api/health", "/api/env", "/api/nope"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + p)).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.append(p).append(' ').append(r.statusCode()).append(' ').append(r.body().strip()).append('\n');
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(url + "/api/env"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        out.append("POST ").append(post.statusCode()).append(' ').append(post.body()).append('\n');
        Files.writeString(Path.of("target/probe.txt"), out);
    }
}
