package dev.oneclick.site.internal;

import dev.oneclick.files.internal.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Remembers each site file's SHA-256 between deploys, so a file whose path, size, modification time and file key
 * (device and inode on Unix) are unchanged is not read again.
 *
 * <p><b>Where it lives.</b> In the user's cache folder, not in the project: {@code $XDG_CACHE_HOME/oneclick/hashes}
 * (default {@code ~/.cache/oneclick/hashes}), one file per site folder, named by the SHA-256 of the folder's real
 * path. The core does not know a project's build folder (an embedding backend has none), the site folder itself is
 * deployed (a cache there would be uploaded), and a cache that outlives {@code mvn clean} is safe because every
 * entry is checked against the file before it is used. The system property {@value #PROPERTY} (or the environment
 * variable {@value #ENV}) names another folder, or {@code off} to hash every file every time.
 *
 * <p><b>How it is invalidated.</b> Per entry: an entry is used only when the file's size, modification time (to
 * the nanosecond the file system keeps) and file key equal the recorded ones, so an edit, a replacement (new inode,
 * as {@code rm} + rebuild or an atomic rename makes) or a touch re-hashes the file. The "racy entry" rule (as git's
 * index): a file changed within the file system's timestamp granularity ({@link #GRANULARITY}, 2 s to cover FAT
 * and coarse clocks) before the cache was written could have been changed again after it was hashed without its
 * modification time moving, so such an entry is not trusted at the next run: it is re-hashed (and, the cache being
 * written again later, becomes trustworthy). The cache file's own modification time is the write time; a run
 * that would write back exactly what the cache holds (no file changed, none racy) leaves it alone unless it is
 * older than {@link #REFRESH}. Whole file:
 * a cache of another format version, or one that cannot be read, is ignored (every file is hashed); entries of files
 * no longer in the site are dropped at each write; cache files of sites not deployed for {@link #MAX_AGE} are
 * deleted. A cache that cannot be written only costs speed: the deploy goes on.
 */
final class HashCache {
    static final String PROPERTY = "oneclick.hashCache";
    static final String ENV = "ONECLICK_HASH_CACHE";
    static final Duration GRANULARITY = Duration.ofSeconds(2);
    static final Duration MAX_AGE = Duration.ofDays(30);
    /** A cache written longer ago than this is written again even when nothing changed, so its age stays honest. */
    static final Duration REFRESH = Duration.ofDays(1);
    private static final String HEADER = "oneclick-hash-cache 1";

    /** What the cache knows of one file. */
    record Entry(String sha256, long size, long mtimeNanos, String fileKey) {
    }

    /** What the scan saw of a file (from the walk's attributes), to look up or to record. */
    record Stat(long size, long mtimeNanos, String fileKey) {
    }

    private final Path file;
    private final Map<String, Entry> entries;
    private final long writtenNanos;

    private HashCache(Path file, Map<String, Entry> entries, long writtenNanos) {
        this.file = file;
        this.entries = entries;
        this.writtenNanos = writtenNanos;
    }

    /** The cache of the site folder {@code root} (a real path), loaded; a disabled one when switched off. */
    static HashCache forSite(Path root) {
        Path folder = folder();
        if (folder == null) {
            return new HashCache(null, Map.of(), Long.MIN_VALUE);
        }
        String name = HexFormat.of().formatHex(SiteScanner.sha256().digest(
                root.toString().getBytes(StandardCharsets.UTF_8))) + ".tsv";
        return load(folder.resolve(name));
    }

    /** The cache kept in {@code file} (for tests and {@link #forSite}). */
    static HashCache load(Path file) {
        Map<String, Entry> entries = new HashMap<>();
        long written = Long.MIN_VALUE;
        try {
            written = toNanos(Files.getLastModifiedTime(file));
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                if (!HEADER.equals(r.readLine())) {
                    return new HashCache(file, new HashMap<>(), Long.MIN_VALUE);
                }
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    String[] f = line.split("\t", 5);
                    if (f.length == 5 && f[0].length() == 64) {
                        entries.put(f[4], new Entry(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            entries.clear(); // absent or unreadable: hash everything
            written = Long.MIN_VALUE;
        }
        return new HashCache(file, entries, written);
    }

    /** Whether the cache is kept at all. */
    boolean enabled() {
        return file != null;
    }

    /** The remembered hash of {@code key} when the file is unchanged and its entry is not racy, else null. */
    String lookup(String key, Stat now) {
        Entry e = entries.get(key);
        if (e == null || e.size != now.size || e.mtimeNanos != now.mtimeNanos || !e.fileKey.equals(now.fileKey)) {
            return null;
        }
        if (writtenNanos - e.mtimeNanos < GRANULARITY.toNanos()) {
            return null; // racy: the file may have changed after it was hashed, within the same timestamp
        }
        return e.sha256;
    }

    /**
     * Writes the cache with exactly these files' entries (atomically; errors are swallowed: the cache is only an
     * optimisation). {@code stats} and {@code hashes} are indexed alike, {@code keys} too.
     */
    void write(List<String> keys, List<Stat> stats, String[] hashes) {
        if (file == null || unchangedBy(keys, stats, hashes)) {
            return;
        }
        StringBuilder sb = new StringBuilder(keys.size() * 120).append(HEADER).append('\n');
        for (int i = 0; i < keys.size(); i++) {
            Stat s = stats.get(i);
            String key = keys.get(i);
            if (key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
                continue; // cannot be kept in a line: hashed every time
            }
            sb.append(hashes[i]).append('\t').append(s.size).append('\t').append(s.mtimeNanos).append('\t')
                    .append(s.fileKey).append('\t').append(key).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
            pruneOld(file.getParent());
        } catch (IOException | RuntimeException e) {
            // a cache that cannot be written only costs the next deploy a full hash
        }
    }

    /**
     * Whether writing these entries would only repeat the cache already on disk: the same keys, each with the hash
     * and stat recorded and none racy, and the file written less than {@link #REFRESH} ago. Then it is not written
     * again (a no-change deploy of a large site would otherwise rewrite it each time). Leaving its modification time
     * alone is safe: an entry trusted at the last write stays trusted, and a racy one forces the write.
     */
    private boolean unchangedBy(List<String> keys, List<Stat> stats, String[] hashes) {
        long age = System.currentTimeMillis() - writtenNanos / 1_000_000;
        if (entries.size() != keys.size() || age > REFRESH.toMillis()) {
            return false;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!hashes[i].equals(lookup(keys.get(i), stats.get(i)))) {
                return false; // absent, changed or racy (lookup's own rule), or hashed to something else
            }
        }
        return true;
    }

    static Stat stat(java.nio.file.attribute.BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        String k = key == null ? "-" : key.toString().replace('\t', ' ').replace('\n', ' ');
        return new Stat(attrs.size(), toNanos(attrs.lastModifiedTime()), k);
    }

    private static long toNanos(FileTime t) {
        Instant i = t.toInstant();
        return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
    }

    private static void pruneOld(Path folder) {
        long cutoff = System.currentTimeMillis() - MAX_AGE.toMillis();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.tsv")) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /** The cache folder, or null when switched off. */
    static Path folder() {
        String setting = System.getProperty(PROPERTY);
        if (setting == null || setting.isBlank()) {
            setting = System.getenv(ENV);
        }
        if (setting != null && !setting.isBlank()) {
            return setting.trim().equalsIgnoreCase("off") ? null : Path.of(setting.trim());
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("oneclick").resolve("hashes");
    }
}
