package dev.oneclick.stack.internal;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.oneclick.errors.ImageBuildException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.stack.ImageSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Builds the backend's image from a jar or a classes folder with jib-core (no container engine needed) and pushes it;
 * fingerprints the inputs so an unchanged jar is found in the registry by tag instead of being pushed again. Jib's
 * builds are reproducible (fixed timestamps), so the same inputs give the same digest.
 */
final class ImageBuild {
    /** The base image name that means "no base image" (Jib's {@code fromScratch}). */
    static final String SCRATCH = "scratch";
    /** Bumped when the image's layout changes, so old fingerprints stop matching. */
    private static final String LAYOUT = "oneclick-image-v1";

    private ImageBuild() {
    }

    /** Checks that the source exists (and an engine for a Dockerfile): the input errors before any write. */
    static void check(ImageSource source) {
        switch (source.type()) {
            case JAR -> {
                if (!Files.isRegularFile(source.path())) {
                    throw new InvalidInputException("image", "The backend jar " + source.path() + " does not exist; "
                            + "build it first (mvn package) or give its path.");
                }
            }
            case CLASSES -> {
                if (!Files.isDirectory(source.path())) {
                    throw new InvalidInputException("image", "The classes folder " + source.path() + " does not "
                            + "exist; compile the backend first or give its path.");
                }
            }
            case DOCKERFILE -> {
                if (!Files.isRegularFile(source.path().resolve("Dockerfile"))) {
                    throw new InvalidInputException("image", "There is no Dockerfile in " + source.path() + ".");
                }
                EngineBuild.engine();
            }
            case IMAGE -> {
                // used as it is
            }
        }
    }

    /** A tag naming the inputs: {@code in-} and 40 hex digits of SHA-256 over the layout, base, port and files. */
    static String fingerprintTag(ImageSource source, String baseImage, int port) {
        MessageDigest md = sha256();
        update(md, LAYOUT + "\n" + source.type() + "\n" + baseImage + "\n" + port + "\n" + source.mainClass() + "\n");
        try {
            hashTree(md, source.path());
            if (source.dependencies() != null) {
                hashTree(md, source.dependencies());
            }
        } catch (IOException e) {
            throw new ImageBuildException("Could not read the image source " + source + ": " + e, e);
        }
        return "in-" + HexFormat.of().formatHex(md.digest()).substring(0, 40);
    }

    private static void hashTree(MessageDigest md, Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            hashFile(md, root, root.getFileName().toString());
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                hashFile(md, f, root.relativize(f).toString().replace('\\', '/'));
            }
        }
    }

    private static void hashFile(MessageDigest md, Path file, String name) throws IOException {
        update(md, name + "\n" + Files.size(file) + "\n");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Builds {@code source} on {@code baseImage} and pushes it as {@code reference:tag}.
     *
     * @return the pushed image's digest ({@code sha256:...})
     */
    static String jib(ImageSource source, String baseImage, int port, ImageRegistry registry, String repository,
            String tag) {
        String target = registry.reference(repository) + ":" + tag;
        try {
            JibContainerBuilder image = switch (source.type()) {
                case JAR -> base(baseImage).addLayer(List.of(source.path()), AbsoluteUnixPath.get("/app"))
                        .setEntrypoint("java", "-jar", "/app/" + source.path().getFileName());
                case CLASSES -> classes(source, baseImage);
                default -> throw new IllegalArgumentException("not a jib source: " + source);
            };
            image.setExposedPorts(Set.of(Port.tcp(port)));
            RegistryImage to = RegistryImage.named(target);
            if (registry.username() != null) {
                to.addCredential(registry.username(), registry.password());
            }
            Containerizer c = Containerizer.to(to).setAllowInsecureRegistries(registry.insecure())
                    .setToolName("oneclick");
            return image.containerize(c).getDigest().toString();
        } catch (InvalidImageReferenceException e) {
            throw new InvalidInputException("baseImage", "'" + e.getMessage() + "' is not an image reference.");
        } catch (ExecutionException | RegistryException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String what = cause instanceof RegistryException ? "the registry refused it" : "it failed";
            throw new ImageBuildException("Building " + source + " on " + baseImage + " and pushing it to " + target
                    + ": " + what + ": " + cause.getMessage() + ". Check the base image (it must be pullable from "
                    + "here) and the registry.", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("Interrupted while building the image " + target + ".", e);
        } catch (IOException | CacheDirectoryCreationException e) {
            throw new ImageBuildException("Building " + source + " failed: " + e.getMessage(), e);
        }
    }

    private static JibContainerBuilder base(String baseImage) throws InvalidImageReferenceException {
        return SCRATCH.equals(baseImage) ? Jib.fromScratch() : Jib.from(RegistryImage.named(baseImage));
    }

    private static JibContainerBuilder classes(ImageSource source, String baseImage)
            throws IOException, InvalidImageReferenceException {
        JavaContainerBuilder java = SCRATCH.equals(baseImage)
                ? JavaContainerBuilder.from(ImageReference.scratch())
                : JavaContainerBuilder.from(RegistryImage.named(baseImage));
        java.addClasses(source.path());
        if (source.dependencies() != null) {
            try (Stream<Path> jars = Files.list(source.dependencies())) {
                java.addDependencies(jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList());
            }
        }
        return java.setMainClass(source.mainClass()).toContainerBuilder();
    }
}
