package dev.oneclick.skills.internal;

import dev.oneclick.errors.OneclickException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deploy skill as bundled in the jar: the files listed in {@code dev/oneclick/skills/1-click-deploy.index},
 * read from {@code dev/oneclick/skills/1-click-deploy/}. Loaded once; immutable.
 */
public final class BundledSkill {
    public static final String NAME = "1-click-deploy";
    private static final String BASE = "dev/oneclick/skills/";
    private static final BundledSkill INSTANCE = load();

    private final Map<String, byte[]> files;

    private BundledSkill(Map<String, byte[]> files) {
        this.files = files;
    }

    public static BundledSkill get() {
        return INSTANCE;
    }

    /** Relative paths ({@code /}-separated), in index order. */
    public List<String> paths() {
        return List.copyOf(files.keySet());
    }

    /** The bytes of one bundled file (a copy). */
    public byte[] content(String path) {
        byte[] b = files.get(path);
        if (b == null) {
            throw new IllegalArgumentException("not a bundled skill file: " + path);
        }
        return b.clone();
    }

    private static BundledSkill load() {
        ClassLoader cl = BundledSkill.class.getClassLoader();
        String index = new String(read(cl, BASE + NAME + ".index"), StandardCharsets.UTF_8);
        List<String> paths = new ArrayList<>();
        for (String line : index.split("\n")) {
            String p = line.strip();
            if (p.isEmpty() || p.startsWith("#")) {
                continue;
            }
            if (p.startsWith("/") || p.contains("\\") || List.of(p.split("/")).contains("..")) {
                throw new IllegalStateException("bad entry in the bundled skill index: " + p);
            }
            paths.add(p);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String p : paths) {
            files.put(p, read(cl, BASE + NAME + "/" + p));
        }
        return new BundledSkill(Collections.unmodifiableMap(files));
    }

    private static byte[] read(ClassLoader cl, String resource) {
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new OneclickException("The oneclick jar is incomplete: resource " + resource
                        + " is missing. Rebuild oneclick-core.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new OneclickException("Could not read resource " + resource + " from the oneclick jar.", e);
        }
    }
}
