package dev.oneclick.maven.internal;

import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What the last deploy from this folder changed, so that a no-op deploy reads as "no changes" in its summary and in
 * a later {@code oneclick:status} (the record's {@code version} counts record writes, which a no-op deploy also
 * makes). Kept next to the resources JSON, in {@code target/oneclick/last-deploy.properties}.
 *
 * @param guid the project
 * @param finishedAt when the deploy ended
 * @param changes what it changed, e.g. {@code 2 files uploaded}, or empty for none
 * @param version the record's version right after the deploy, or -1 if unknown
 */
public record LastDeploy(String guid, Instant finishedAt, List<String> changes, long version) {
    public LastDeploy {
        changes = List.copyOf(changes);
    }

    /** The changes of a deployment: resources created or repaired, files uploaded, re-headed or deleted, paths invalidated. */
    public static List<String> changesOf(Deployment d) {
        List<String> out = new ArrayList<>();
        if (!d.created().isEmpty()) {
            out.add(d.created().size() + " created");
        }
        long repaired = d.plan() == null ? 0 : d.plan().resources().stream()
                .filter(r -> r.action() == Plan.ResourceChange.Action.REPAIR).count();
        if (repaired > 0) {
            out.add(repaired + " repaired");
        }
        if (d.filesUploaded() > 0) {
            out.add(d.filesUploaded() + (d.filesUploaded() == 1 ? " file" : " files") + " uploaded");
        }
        if (d.headersUpdated() > 0) {
            out.add(d.headersUpdated() + " headers updated");
        }
        if (d.filesDeleted() > 0) {
            out.add(d.filesDeleted() + " deleted");
        }
        if (!d.invalidatedPaths().isEmpty()) {
            out.add(d.invalidatedPaths().size() + " paths invalidated");
        }
        return out;
    }

    /** The summary's "Changes:" value: {@code none (...)} for a no-op, else the list. */
    public static String describeChanges(List<String> changes) {
        return changes.isEmpty() ? "no changes (nothing created, repaired, uploaded or deleted)"
                : String.join(", ", changes);
    }

    /** The status line for this note, given the record's current version. */
    public String describe(long recordVersion) {
        String what = changes.isEmpty() ? "no changes" : String.join(", ", changes);
        String line = "Last deploy from this folder (" + finishedAt + "): " + what;
        if (version >= 0 && recordVersion != version) {
            line += "; the record was written again since (version " + version + " then, " + recordVersion + " now)";
        } else if (changes.isEmpty()) {
            line += " (the record's version counts its writes, not changes)";
        }
        return line;
    }

    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("guid", guid);
        p.setProperty("finishedAt", finishedAt.toString());
        p.setProperty("changes", String.join(";", changes));
        p.setProperty("version", Long.toString(version));
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "oneclick: what the last deploy from this folder changed (read by oneclick:status)");
        }
    }

    /** The note in {@code file} if it is about {@code guid}; empty when missing or unreadable. */
    public static Optional<LastDeploy> read(Path file, String guid) {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            if (!guid.equals(p.getProperty("guid"))) {
                return Optional.empty();
            }
            String changes = p.getProperty("changes", "");
            return Optional.of(new LastDeploy(guid, Instant.parse(p.getProperty("finishedAt")),
                    changes.isEmpty() ? List.of() : List.of(changes.split(";")),
                    Long.parseLong(p.getProperty("version", "-1"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
