package dev.oneclick.stack.internal;

import dev.oneclick.errors.ImageBuildException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a Dockerfile source with the first container engine on the PATH ({@code docker}, {@code podman},
 * {@code buildah}) and pushes it; without one, an {@link ImageBuildException} saying so (jib needs none, so a jar is
 * the way on machines without an engine).
 */
final class EngineBuild {
    static final List<String> ENGINES = List.of("docker", "podman", "buildah");
    private static final Pattern DIGEST = Pattern.compile("(sha256:[0-9a-f]{64})");
    private static final long TIMEOUT_MINUTES = 30;

    private EngineBuild() {
    }

    /** The first engine on the PATH, or an {@link ImageBuildException} naming what to install or use instead. */
    static Path engine() {
        return engine(System.getenv("PATH"));
    }

    /** {@link #engine()} on the given search path. */
    static Path engine(String path) {
        return find(path).orElseThrow(() -> new ImageBuildException("A Dockerfile source needs a "
                + "container engine, and none of " + ENGINES + " is on the PATH. Install one, or give the backend as "
                + "a jar or classes folder (built into an image by jib, no engine needed), or as an existing image.",
                null));
    }

    static Optional<Path> find(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String engine : ENGINES) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, engine);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Builds {@code contextDir} as {@code reference:tag}, pushes it, and returns the pushed digest. */
    static String build(Path contextDir, ImageRegistry registry, String repository, String tag) {
        Path engine = engine();
        String name = engine.getFileName().toString();
        String target = registry.reference(repository) + ":" + tag;
        if (registry.username() != null) {
            List<String> login = new ArrayList<>(List.of(engine.toString(), "login", "--username",
                    registry.username(), "--password-stdin"));
            if (registry.insecure() && !name.equals("docker")) {
                login.add("--tls-verify=false");
            }
            login.add(registry.host());
            run(login, registry.password(), contextDir);
        }
        List<String> build = name.equals("buildah") ? List.of(engine.toString(), "bud", "-t", target, ".")
                : List.of(engine.toString(), "build", "-t", target, ".");
        run(build, null, contextDir);
        try {
            Path digestFile = Files.createTempFile("oneclick-digest", ".txt");
            try {
                List<String> push = new ArrayList<>(List.of(engine.toString(), "push"));
                if (!name.equals("docker")) {
                    push.add("--digestfile=" + digestFile);
                    if (registry.insecure()) {
                        push.add("--tls-verify=false");
                    }
                }
                push.add(target);
                String out = run(push, null, contextDir);
                String digest = name.equals("docker") ? out : Files.readString(digestFile);
                Matcher m = DIGEST.matcher(digest);
                if (!m.find()) {
                    throw new ImageBuildException(name + " pushed " + target + " but printed no digest.", null);
                }
                return m.group(1);
            } finally {
                Files.deleteIfExists(digestFile);
            }
        } catch (IOException e) {
            throw new ImageBuildException("Could not push " + target + ": " + e, e);
        }
    }

    private static String run(List<String> command, String stdin, Path dir) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                String[] lines = text.strip().split("\n");
                String tail = String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 15), lines.length));
                throw new ImageBuildException("'" + command.get(0) + " " + command.get(1) + "' exited with "
                        + p.exitValue() + ":\n" + tail, null);
            }
            return text;
        } catch (IOException e) {
            throw new ImageBuildException("Could not run " + command.get(0) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("Interrupted while running " + command.get(0) + ".", e);
        }
    }
}
