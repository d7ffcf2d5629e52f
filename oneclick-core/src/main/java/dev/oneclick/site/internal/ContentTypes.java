package dev.oneclick.site.internal;

import java.util.Locale;
import java.util.Map;

/**
 * Content-Type by file extension, from a built-in table. Text types get {@code ; charset=utf-8}; an unknown
 * extension gets {@code application/octet-stream}.
 */
public final class ContentTypes {
    /** What a file with an unknown extension is served as. */
    public static final String DEFAULT = "application/octet-stream";

    private static final String UTF8 = "; charset=utf-8";

    private static final Map<String, String> TABLE = Map.ofEntries(
            // documents and code
            Map.entry("html", "text/html" + UTF8),
            Map.entry("htm", "text/html" + UTF8),
            Map.entry("css", "text/css" + UTF8),
            Map.entry("js", "text/javascript" + UTF8),
            Map.entry("mjs", "text/javascript" + UTF8),
            Map.entry("cjs", "text/javascript" + UTF8),
            Map.entry("json", "application/json" + UTF8),
            Map.entry("map", "application/json" + UTF8),
            Map.entry("webmanifest", "application/manifest+json" + UTF8),
            Map.entry("xml", "application/xml" + UTF8),
            Map.entry("rss", "application/rss+xml" + UTF8),
            Map.entry("atom", "application/atom+xml" + UTF8),
            Map.entry("txt", "text/plain" + UTF8),
            Map.entry("md", "text/markdown" + UTF8),
            Map.entry("csv", "text/csv" + UTF8),
            Map.entry("ics", "text/calendar" + UTF8),
            Map.entry("vtt", "text/vtt" + UTF8),
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            // images
            Map.entry("svg", "image/svg+xml" + UTF8),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"),
            // fonts
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("eot", "application/vnd.ms-fontobject"),
            // audio and video
            Map.entry("mp4", "video/mp4"),
            Map.entry("m4v", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("ogv", "video/ogg"),
            Map.entry("mov", "video/quicktime"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("m4a", "audio/mp4"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"),
            Map.entry("aac", "audio/aac"));

    private ContentTypes() {
    }

    /** The Content-Type for a file name or '/'-separated path, judged by its extension (case-insensitive). */
    public static String forName(String name) {
        String last = name.substring(name.lastIndexOf('/') + 1);
        int dot = last.lastIndexOf('.');
        if (dot < 0 || dot == last.length() - 1) {
            return DEFAULT;
        }
        return TABLE.getOrDefault(last.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}
