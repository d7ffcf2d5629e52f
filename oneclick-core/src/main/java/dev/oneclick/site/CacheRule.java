package dev.oneclick.site;

import java.util.Objects;

/**
 * A Cache-Control rule: files whose site-relative path matches {@code glob} (a {@link java.nio.file.FileSystem}
 * glob such as {@code assets/**} or {@code **}{@code /*.html}) are served with {@code cacheControl}. Rules are tried
 * in order; the first match wins.
 */
public record CacheRule(String glob, String cacheControl) {
    public CacheRule {
        Objects.requireNonNull(glob, "glob");
        Objects.requireNonNull(cacheControl, "cacheControl");
    }
}
