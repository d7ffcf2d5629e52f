import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs in the test phase of the same Maven run as oneclick:deploy, while the preview is still served: fetches each
 * path of the system property probe.paths from the siteUrl in target/oneclick/resources.json and appends
 * "path status content-type" lines to target/probe.txt (verify.groovy checks them), and the body of / to
 * target/probe-root.html.
 */
class ProbeTest {
    @Test
    void probe() throws Exception {
        String json = Files.readString(Path.of("target/oneclick/resources.json"));
        Matcher m = Pattern.compile("\"siteUrl\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no siteUrl in " + json);
        }
        String url = m.group(1).replaceAll("/$", "");
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder out = new StringBuilder("run " + System.nanoTime() + " " + url + "\n");
        for (String p : System.getProperty("probe.paths").trim().split("\\s+")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + p)).build(),
                    HttpResponse.BodyHandlers.ofString());
            out.append(p).append(' ').append(r.statusCode()).append(' ')
                    .append(r.headers().firstValue("Content-Type").orElse("")).append('\n');
            if (p.equals("/")) {
                Files.writeString(Path.of("target/probe-root.html"), r.body());
            }
        }
        Files.writeString(Path.of("target/probe.txt"), out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
