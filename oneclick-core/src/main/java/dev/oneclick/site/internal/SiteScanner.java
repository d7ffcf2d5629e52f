package dev.oneclick.site.internal;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.site.CacheRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a built site folder into a {@link SiteSnapshot}: walks it, checks what it holds, and hashes every file.
 * Reads only the local disk.
 */
final class SiteScanner {
    private SiteScanner() {
    }

    /**
     * Validates and hashes a site folder. Keys are the files' '/'-separated paths relative to the folder, NFC
     * normalised (spaces and any Unicode allowed). Symbolic links are followed when they stay inside the folder.
     * Each file's SHA-256 is computed streaming (in parallel over a few threads); Content-Type comes from the
     * extension, Cache-Control from {@code rules} then the defaults.
     *
     * @throws InvalidInputException (field {@code siteDir}) when the folder is missing, not a folder, empty, has no
     *     {@code index.html} at its top, holds a symbolic link leading outside it (or a broken or looping one), holds
     *     two names that are the same key after normalisation, or uses the reserved {@code .oneclick/} folder;
     *     (field {@code cacheRules}) when a rule is invalid
     */
    static SiteSnapshot scan(Path siteDir, List<CacheRule> rules) {
        return scan(siteDir, rules, "index.html");
    }

    /** As {@link #scan(Path, List)}, requiring {@code indexDocument} at the top instead (none when null). */
    static SiteSnapshot scan(Path siteDir, List<CacheRule> rules, String indexDocument) {
        return scan(siteDir, rules, indexDocument, SiteFilter.of(null, null));
    }

    /**
     * As {@link #scan(Path, List, String)}, leaving out what {@code filter} excludes (listed in the snapshot's
     * {@link SiteSnapshot#excluded()}; an excluded folder is not entered). Every key is checked by {@link KeyNames}.
     *
     * @throws InvalidInputException (field {@code siteDir}) also when the folder's top holds {@code notify.sh} or
     *     {@code .git} (a project folder, not a build output), or a key {@link KeyNames} refuses
     */
    static SiteSnapshot scan(Path siteDir, List<CacheRule> rules, String indexDocument, SiteFilter filter) {
        HeaderRules headers = HeaderRules.of(rules);
        if (siteDir == null) {
            throw new InvalidInputException("siteDir", "No site folder given.");
        }
        if (!Files.exists(siteDir)) {
            throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                    + " does not exist. Build the site first, or point siteDir at the built folder.");
        }
        if (!Files.isDirectory(siteDir)) {
            throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                    + " is not a folder. Point siteDir at the folder that holds the built index.html.");
        }
        Path root;
        try {
            root = siteDir.toRealPath();
        } catch (IOException e) {
            throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                    + " cannot be read: " + e.getMessage(), e);
        }
        refuseProjectFolder(siteDir, root);
        List<String> excluded = new ArrayList<>();
        List<Found> found = walk(siteDir, root, filter, excluded);
        if (found.isEmpty() && !excluded.isEmpty()) {
            throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                    + " holds nothing to upload: the excludes leave out all of it (" + String.join(", ", excluded)
                    + "). Point siteDir at the built site, or change oneclick.excludes/oneclick.includes.");
        }
        if (found.isEmpty()) {
            throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                    + " is empty. Build the site first (for example npm run build), or point siteDir at the built"
                    + " folder.");
        }
        found.sort(Comparator.comparing(Found::key));
        Set<String> keys = new HashSet<>();
        for (Found f : found) {
            if (!keys.add(f.key)) {
                throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                        + " holds two files that become the same key '" + f.key + "' (names that differ only in"
                        + " Unicode normalisation). Rename one of them.");
            }
        }
        if (indexDocument != null && !keys.contains(indexDocument)) {
            throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                    + " has no " + indexDocument + " at its top level (" + found.size() + " other files found). Point"
                    + " siteDir at the folder that holds the built " + indexDocument + ", or set indexDocument to the"
                    + " site's entry page (indexDocument=none for a tree without one).");
        }
        HashCache cache = HashCache.forSite(root);
        String[] hashes = hashAll(found, cache);
        if (cache.enabled()) {
            cache.write(found.stream().map(Found::key).toList(), found.stream().map(Found::stat).toList(), hashes);
        }
        List<SiteFile> files = new ArrayList<>(found.size());
        Map<String, String> interned = new HashMap<>();
        for (int i = 0; i < found.size(); i++) {
            Found f = found.get(i);
            String ct = interned.computeIfAbsent(headers.contentType(f.key), s -> s);
            String cc = interned.computeIfAbsent(headers.cacheControl(f.key), s -> s);
            files.add(new SiteFile(f.key, f.path, f.size, hashes[i], ct, cc));
        }
        excluded.sort(null);
        return new SiteSnapshot(root, files, excluded);
    }

    /** A folder whose top holds the project's notify.sh or a .git folder is the project, not its build output. */
    private static void refuseProjectFolder(Path siteDir, Path root) {
        for (String marker : List.of("notify.sh", ".git")) {
            if (Files.exists(root.resolve(marker), LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath() + " holds "
                        + marker + " at its top: it is the project folder, not the built site, and deploying it could"
                        + " publish the project's secrets. Point siteDir at the build output (for example dist or"
                        + " build, -Doneclick.siteDir=dist).");
            }
        }
    }

    private record Found(String key, Path path, long size, HashCache.Stat stat) {
    }

    private static List<Found> walk(Path siteDir, Path root, SiteFilter filter, List<String> excluded) {
        List<Found> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                            if (!dir.equals(root)) {
                                String key = keyOf(root, dir);
                                if (filter.excluded(key, true)) {
                                    excluded.add(key + "/");
                                    return FileVisitResult.SKIP_SUBTREE;
                                }
                                checkLink(siteDir, root, dir);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                            String key = keyOf(root, file);
                            if (filter.excluded(key, attrs.isDirectory())) {
                                excluded.add(attrs.isDirectory() ? key + "/" : key);
                                return FileVisitResult.CONTINUE;
                            }
                            checkLink(siteDir, root, file);
                            if (attrs.isRegularFile()) {
                                if (key.startsWith(Manifest.RESERVED_PREFIX)) {
                                    throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                                            + " contains '" + key + "', but the folder " + Manifest.RESERVED_PREFIX
                                            + " is reserved for oneclick's deploy manifest. Rename or remove it.");
                                }
                                KeyNames.check(siteDir, key);
                                found.add(new Found(key, file, attrs.size(), HashCache.stat(attrs)));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            String rel = keyOf(root, file);
                            if (filter.excluded(rel, false) || filter.excluded(rel, true)) {
                                excluded.add(rel);
                                return FileVisitResult.CONTINUE;
                            }
                            if (exc instanceof FileSystemLoopException) {
                                throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                                        + " contains a symbolic link '" + rel + "' that loops back on itself."
                                        + " Remove it.", exc);
                            }
                            if (exc instanceof NoSuchFileException && Files.isSymbolicLink(file)) {
                                throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                                        + " contains a broken symbolic link '" + rel + "'. Remove it or fix its target.",
                                        exc);
                            }
                            throw new InvalidInputException("siteDir", "Cannot read '" + rel + "' in the site folder "
                                    + siteDir.toAbsolutePath() + ": " + exc, exc);
                        }
                    });
        } catch (IOException e) {
            throw new InvalidInputException("siteDir", "Cannot read the site folder " + siteDir.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        return found;
    }

    private static void checkLink(Path siteDir, Path root, Path p) throws IOException {
        if (!Files.isSymbolicLink(p)) {
            return;
        }
        Path target = p.toRealPath();
        if (!target.startsWith(root)) {
            throw new InvalidInputException("siteDir", "The site folder " + siteDir.toAbsolutePath()
                    + " contains a symbolic link '" + keyOf(root, p) + "' that leads outside it (to " + target
                    + "). Copy the file into the site folder instead, or remove the link.");
        }
    }

    private static String keyOf(Path root, Path file) {
        Path rel = root.relativize(file);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part.toString());
        }
        return Normalizer.normalize(sb.toString(), Normalizer.Form.NFC);
    }

    /** Hashes the files {@code cache} cannot vouch for (see {@link HashCache}); takes the others' from it. */
    private static String[] hashAll(List<Found> found, HashCache cache) {
        String[] hashes = new String[found.size()];
        int missing = 0;
        for (int i = 0; i < hashes.length; i++) {
            Found f = found.get(i);
            hashes[i] = cache.lookup(f.key, f.stat);
            if (hashes[i] == null) {
                missing++;
            }
        }
        if (missing == 0) {
            return hashes;
        }
        int threads = Math.max(1, Math.min(Math.min(4, missing), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "oneclick-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                workers.add(pool.submit(() -> {
                    MessageDigest md = sha256();
                    byte[] buf = new byte[64 * 1024];
                    for (int i = next.getAndIncrement(); i < hashes.length; i = next.getAndIncrement()) {
                        if (hashes[i] != null) {
                            continue;
                        }
                        Found f = found.get(i);
                        try (InputStream in = Files.newInputStream(f.path)) {
                            int n;
                            while ((n = in.read(buf)) > 0) {
                                md.update(buf, 0, n);
                            }
                        } catch (IOException e) {
                            throw new InvalidInputException("siteDir", "Cannot read '" + f.key + "' ("
                                    + f.path + "): " + e.getMessage(), e);
                        }
                        hashes[i] = HexFormat.of().formatHex(md.digest());
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new OneclickException("Hashing the site failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OneclickException("Interrupted while hashing the site", e);
        } finally {
            pool.shutdownNow();
        }
        return hashes;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
