package dev.oneclick.site.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated, hashed site folder: every regular file (symbolic links inside the folder followed), sorted by key.
 * Immutable.
 *
 * @param root the site folder's real path
 * @param files the files, sorted by key, keys unique
 */
public record SiteSnapshot(Path root, List<SiteFile> files) {
    public SiteSnapshot {
        files = List.copyOf(files);
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
