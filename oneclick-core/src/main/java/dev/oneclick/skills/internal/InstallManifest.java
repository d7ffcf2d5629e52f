package dev.oneclick.skills.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The record of what the installer last wrote: relative path to SHA-256 (hex) of the content written. A file
 * whose current content matches neither the bundled version nor this hash was changed by the user.
 */
public final class InstallManifest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> hashes;

    private InstallManifest(Map<String, String> hashes) {
        this.hashes = hashes;
    }

    /** Reads the manifest; a missing, unreadable or malformed one counts as empty (every differing file is then kept). */
    public static InstallManifest read(Path file) {
        Map<String, String> hashes = new TreeMap<>();
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                JsonNode root = JSON.readTree(Files.readAllBytes(file));
                JsonNode files = root == null ? null : root.get("files");
                if (files != null && files.isObject()) {
                    files.fields().forEachRemaining(e -> {
                        if (e.getValue().isTextual()) {
                            hashes.put(e.getKey(), e.getValue().asText());
                        }
                    });
                }
            } catch (IOException e) {
                hashes.clear();
            }
        }
        return new InstallManifest(hashes);
    }

    public String hash(String path) {
        return hashes.get(path);
    }

    public void put(String path, String hash) {
        hashes.put(path, hash);
    }

    public byte[] toBytes(String skillName) {
        ObjectNode root = JSON.createObjectNode();
        root.put("skill", skillName);
        root.put("installedBy", "oneclick");
        ObjectNode files = root.putObject("files");
        hashes.forEach(files::put);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
