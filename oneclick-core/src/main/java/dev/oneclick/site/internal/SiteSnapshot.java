package dev.oneclick.site.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated, hashed site folder: every regular file (symbolic links inside the folder followed), sorted by key.
 * Immutable.
 *
 * @param root the site folder's real path
 * @param files the files, sorted by key, keys unique
 * @param excluded the paths left out by the excludes, sorted (a folder ends in '/' and stands for all it holds)
 */
public record SiteSnapshot(Path root, List<SiteFile> files, List<String> excluded) {
    public SiteSnapshot {
        files = List.copyOf(files);
        excluded = List.copyOf(excluded);
    }

    /** A snapshot with nothing excluded. */
    public SiteSnapshot(Path root, List<SiteFile> files) {
        this(root, files, List.of());
    }

    /** The bytes of all files together. */
    public long totalBytes() {
        long sum = 0;
        for (SiteFile f : files) {
            sum += f.size();
        }
        return sum;
    }
}
