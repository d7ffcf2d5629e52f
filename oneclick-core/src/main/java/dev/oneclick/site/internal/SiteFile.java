package dev.oneclick.site.internal;

import java.nio.file.Path;

/**
 * One file of a scanned site: its S3 key ('/'-separated, NFC), where it lies on disk, its size, its SHA-256
 * (lowercase hex) and the headers it is served with. Small on purpose: a snapshot of 20,000 files holds only
 * these.
 */
public record SiteFile(String key, Path path, long size, String sha256, String contentType, String cacheControl) {
}
