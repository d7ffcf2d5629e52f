package dev.oneclick.site.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deploy manifest oneclick keeps in the bucket at {@link #KEY}: for every object it uploaded,
 * the SHA-256 of the bytes, the size, the ETag S3 returned, and the Content-Type and Cache-Control it applied.
 * Read with one GET and checked against a listing of the bucket (an entry counts only while the listed ETag and
 * size still match), it replaces a HeadObject per key. Format (JSON, keys sorted):
 * <pre>{"format":"oneclick-manifest/1","files":{"index.html":{"sha256":"...","size":1234,"etag":"\"...\"",
 * "contentType":"text/html; charset=utf-8","cacheControl":"no-cache"}, ...}}</pre>
 *
 * <p>The manifest is an index, not the source of truth: every object oneclick uploads carries its SHA-256 in the
 * user metadata {@link #SHA256_METADATA} ({@link RemoteListing} reads it; {@link ManifestWriter} decides when the
 * manifest is rewritten).
 *
 * <h2>The manifest on the CDN</h2>
 * The key {@code .oneclick/manifest.json} is reserved: a site may not contain a {@code .oneclick/} folder, and
 * prune never deletes it. Served through a CDN it reveals the names and hashes of the site's own (public) files
 * and nothing else; a CDN behaviour may deny {@code /.oneclick/*}.
 */
final class Manifest {
    /** Where the deploy manifest lives in the bucket; {@link #RESERVED_PREFIX} is reserved. */
    static final String KEY = ".oneclick/manifest.json";
    /** The reserved key prefix. */
    static final String RESERVED_PREFIX = ".oneclick/";
    /** User-metadata name (without {@code x-amz-meta-}) that records an object's SHA-256. */
    static final String SHA256_METADATA = "oneclick-sha256";
    static final String FORMAT = "oneclick-manifest/1";
    private static final JsonFactory JSON = new JsonFactory();

    /** One recorded object. */
    record Entry(String sha256, long size, String etag, String contentType, String cacheControl) {
    }

    private Manifest() {
    }

    static Map<String, Entry> read(InputStream in) throws IOException {
        Map<String, Entry> files = new HashMap<>();
        try (JsonParser p = JSON.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("format".equals(field)) {
                    if (!FORMAT.equals(p.getText())) {
                        throw new IOException("unknown manifest format " + p.getText());
                    }
                } else if ("files".equals(field)) {
                    expect(value, JsonToken.START_OBJECT);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        expect(p.nextToken(), JsonToken.START_OBJECT);
                        String sha = null;
                        String etag = null;
                        String ct = null;
                        String cc = null;
                        long size = -1;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            switch (f) {
                                case "sha256" -> sha = p.getText();
                                case "size" -> size = p.getLongValue();
                                case "etag" -> etag = p.getText();
                                case "contentType" -> ct = p.getText();
                                case "cacheControl" -> cc = p.getText();
                                default -> p.skipChildren();
                            }
                        }
                        if (sha != null && size >= 0) {
                            files.put(key, new Entry(sha, size, etag, ct, cc));
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return files;
    }

    static byte[] write(Map<String, Entry> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, files.size() * 200));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeObjectFieldStart("files");
            for (Map.Entry<String, Entry> e : new TreeMap<>(files).entrySet()) {
                Entry v = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("sha256", v.sha256());
                g.writeNumberField("size", v.size());
                if (v.etag() != null) {
                    g.writeStringField("etag", v.etag());
                }
                if (v.contentType() != null) {
                    g.writeStringField("contentType", v.contentType());
                }
                if (v.cacheControl() != null) {
                    g.writeStringField("cacheControl", v.cacheControl());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("malformed manifest: expected " + expected + ", found " + actual);
        }
    }
}
