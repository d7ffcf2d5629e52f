package dev.oneclick.notify;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.naming.ProjectGuid;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Renders a project's {@code notify.sh}: the script an agent runs to report progress and deployed resources.
 *
 * <pre>
 * ./notify.sh {ack|status|error|done|summary|deployed} ["message"]
 * ./notify.sh resources '&lt;JSON object&gt;'
 * </pre>
 *
 * <p>Each call POSTs one signed JSON event to {@code {serverUrl}/notify} (see {@link NotifySignature}): body
 * {@code {"id":"<event id>","guid":"<guid>","type":"<type>","message":"<text>"}} or, for {@code resources},
 * {@code {"id":...,"guid":...,"type":"resources","data":{...}}}. Messages are JSON-escaped by the script;
 * resources data must be one strict JSON object (checked with python3 or node when one works, else with a bash
 * JSON grammar check, then compacted with jq when present)
 * before anything is sent. HTTP 5xx, 408 and 429 answers and connection failures are retried with exponential backoff
 * (environment {@code NOTIFY_MAX_TRIES}, default 5, and {@code NOTIFY_RETRY_DELAY}, default 1 second), keeping the
 * event id; other 4xx answers are not retried. Exit status: 0 delivered (also 409 {@code duplicate}: the server
 * already processed this event id), 2 usage error or invalid input (nothing sent), 3 refused by the server (4xx),
 * 4 not delivered after all attempts, 5 curl or openssl missing.
 *
 * <p>The script needs bash, curl and openssl. The GUID, server URL and secret rendered into it are validated
 * here, so none of them can break out of the script's quoting. Instances are immutable and thread-safe.
 */
public final class NotifyScript {
    /** The file name {@link #writeTo(Path)} uses. */
    public static final String FILE_NAME = "notify.sh";
    private static final String TEMPLATE_RESOURCE = "dev/oneclick/notify/notify.sh.template";
    private static final Pattern URL_CHARS = Pattern.compile("[A-Za-z0-9._~:/@!&()*+,;=%\\[\\]-]+");

    private final ProjectGuid guid;
    private final String serverUrl;
    private final String secret;
    private final int keyId;

    private NotifyScript(ProjectGuid guid, String serverUrl, String secret, int keyId) {
        this.guid = guid;
        this.serverUrl = serverUrl;
        this.secret = secret;
        this.keyId = keyId;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ProjectGuid guid() {
        return guid;
    }

    /** The server URL without a trailing slash; events go to {@code {serverUrl}/notify}. */
    public String serverUrl() {
        return serverUrl;
    }

    /** The script's text. */
    public String render() {
        String template = Template.TEXT;
        return template.replace("__ONECLICK_GUID__", guid.value())
                .replace("__ONECLICK_SERVER_URL__", serverUrl)
                .replace("__ONECLICK_SECRET__", secret)
                .replace("__ONECLICK_KEY_ID__", Integer.toString(keyId));
    }

    /**
     * Writes {@code notify.sh} into {@code dir} (replacing one that is there), readable and executable by its
     * owner only where the file system has POSIX permissions, since the script holds the project's secret.
     *
     * @return the written file
     * @throws InvalidInputException (field {@code dir}) if {@code dir} is not a directory
     */
    public Path writeTo(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InvalidInputException("dir", "The folder for notify.sh '" + dir + "' is not a directory; "
                    + "give the project folder.");
        }
        Path target = dir.resolve(FILE_NAME);
        try {
            Path tmp = Files.createTempFile(dir, ".notify-", ".tmp");
            try {
                Files.writeString(tmp, render(), StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    tmp.toFile().setExecutable(true, true);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new OneclickException("Could not write " + target + ": " + e, e);
        }
        return target;
    }

    /** Builds a {@link NotifyScript}; {@link #build()} validates every value. */
    public static final class Builder {
        private String guid;
        private String serverUrl;
        private String secret;
        private int keyId = 1;

        private Builder() {
        }

        /** The key id of the secret ({@link NotifySecrets#forProject(byte[], ProjectGuid, int)}); default 1. */
        public Builder keyId(int keyId) {
            this.keyId = keyId;
            return this;
        }

        public Builder guid(String guid) {
            this.guid = guid;
            return this;
        }

        public Builder guid(ProjectGuid guid) {
            this.guid = guid == null ? null : guid.value();
            return this;
        }

        /** The backend's base URL, {@code http://} or {@code https://}, such as {@code http://localhost:8082}. */
        public Builder serverUrl(String serverUrl) {
            this.serverUrl = serverUrl;
            return this;
        }

        /** The project's secret, from {@link NotifySecrets#forProject(byte[], ProjectGuid)}. */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        /**
         * @throws dev.oneclick.errors.InvalidGuidException if the GUID is not a UUID
         * @throws InvalidInputException (field {@code serverUrl} or {@code secret}) for a bad URL or secret
         */
        public NotifyScript build() {
            ProjectGuid g = ProjectGuid.parse(guid);
            if (keyId < 1 || keyId > 999_999) {
                throw new InvalidInputException("keyId", "The notify key id must be from 1 to 999999, not " + keyId
                        + ".");
            }
            return new NotifyScript(g, checkServerUrl(serverUrl), NotifySignature.checkSecret(secret), keyId);
        }
    }

    /**
     * Checks a server URL: absolute {@code http}/{@code https} with a host, no user info, query or fragment, and
     * only URL characters (no quotes, spaces, backslashes, {@code $} or backticks).
     *
     * @return the URL without trailing slashes
     */
    static String checkServerUrl(String url) {
        String hint = "; give the backend's base URL, such as http://localhost:8082 or https://builder.example.com.";
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("serverUrl", "The notify server URL is missing" + hint);
        }
        if (url.length() > 2000 || !URL_CHARS.matcher(url).matches()) {
            throw new InvalidInputException("serverUrl", "The notify server URL contains characters that are not "
                    + "allowed (quotes, spaces, backslashes, $, backticks or non-ASCII)" + hint);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("serverUrl", "The notify server URL does not parse: " + e.getReason()
                    + hint, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidInputException("serverUrl", "The notify server URL must start with http:// or https://"
                    + hint);
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new InvalidInputException("serverUrl", "The notify server URL must have a host and no user "
                    + "name, query or fragment" + hint);
        }
        String trimmed = url;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static final class Template {
        static final String TEXT = load();

        private static String load() {
            try (InputStream in = NotifyScript.class.getClassLoader().getResourceAsStream(TEMPLATE_RESOURCE)) {
                if (in == null) {
                    throw new OneclickException("The oneclick jar is incomplete: resource " + TEMPLATE_RESOURCE
                            + " is missing.");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new OneclickException("Could not read " + TEMPLATE_RESOURCE + " from the oneclick jar.", e);
            }
        }
    }
}
