package dev.oneclick.stack;

import dev.oneclick.errors.InvalidInputException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the backend's container image comes from: a runnable jar or a classes folder (built into an image by jib-core
 * on {@link Backend#baseImage()}, no Docker daemon needed), a folder with a {@code Dockerfile} (built with
 * {@code docker}, {@code podman} or {@code buildah}, whichever is on the PATH), or an existing image reference. Images
 * are pushed to the project's ECR repository and deployed by digest. Immutable.
 */
public final class ImageSource {
    /** The kinds of source. */
    public enum Type {
        /** A runnable jar ({@code java -jar}). */
        JAR,
        /** A classes folder with a main class, and optionally a folder of dependency jars. */
        CLASSES,
        /** A build context folder holding a {@code Dockerfile}. */
        DOCKERFILE,
        /** An image that already exists in a registry, such as {@code registry.example.com/app:1.2}. */
        IMAGE
    }

    private final Type type;
    private final Path path;
    private final Path dependencies;
    private final String mainClass;
    private final String reference;

    private ImageSource(Type type, Path path, Path dependencies, String mainClass, String reference) {
        this.type = type;
        this.path = path;
        this.dependencies = dependencies;
        this.mainClass = mainClass;
        this.reference = reference;
    }

    /** A runnable jar (its manifest names the main class), put on the base image and run with {@code java -jar}. */
    public static ImageSource jar(Path jar) {
        return new ImageSource(Type.JAR, Objects.requireNonNull(jar, "jar"), null, null, null);
    }

    /**
     * A classes folder run with {@code mainClass}; {@code dependencies} (may be null) is a folder of jars put on the
     * class path.
     */
    public static ImageSource classes(Path classesDir, Path dependencies, String mainClass) {
        if (mainClass == null || mainClass.isBlank()) {
            throw new InvalidInputException("mainClass", "A classes folder needs the main class to run; give its "
                    + "fully qualified name, such as com.example.App.");
        }
        return new ImageSource(Type.CLASSES, Objects.requireNonNull(classesDir, "classesDir"), dependencies,
                mainClass.trim(), null);
    }

    /** A build context folder with a {@code Dockerfile}, built by a container engine found on the PATH. */
    public static ImageSource dockerfile(Path contextDir) {
        return new ImageSource(Type.DOCKERFILE, Objects.requireNonNull(contextDir, "contextDir"), null, null, null);
    }

    /** An existing image, copied into the project's repository as it is. */
    public static ImageSource image(String reference) {
        if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException("image", "The image reference '" + reference + "' is empty or has "
                    + "spaces; give one such as registry.example.com/team/app:1.2 or app@sha256:<digest>.");
        }
        return new ImageSource(Type.IMAGE, null, null, null, reference.trim());
    }

    public Type type() {
        return type;
    }

    /** The jar, classes folder or build context; null for {@link Type#IMAGE}. */
    public Path path() {
        return path;
    }

    /** The folder of dependency jars of a classes folder, or null. */
    public Path dependencies() {
        return dependencies;
    }

    /** The main class of a classes folder, or null. */
    public String mainClass() {
        return mainClass;
    }

    /** The existing image's reference, or null. */
    public String reference() {
        return reference;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSource s && type == s.type && Objects.equals(path, s.path)
                && Objects.equals(dependencies, s.dependencies) && Objects.equals(mainClass, s.mainClass)
                && Objects.equals(reference, s.reference);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, path, dependencies, mainClass, reference);
    }

    @Override
    public String toString() {
        return switch (type) {
            case JAR -> "jar " + path;
            case CLASSES -> "classes " + path + " (main class " + mainClass + ")";
            case DOCKERFILE -> "Dockerfile in " + path;
            case IMAGE -> "image " + reference;
        };
    }
}
