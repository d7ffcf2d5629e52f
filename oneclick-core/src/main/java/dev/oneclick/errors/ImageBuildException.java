package dev.oneclick.errors;

/**
 * The backend's image could not be built or pushed: no container engine for a Dockerfile source (docker, podman or
 * buildah on the PATH), a jar or classes folder that is missing, a base image that cannot be pulled, or a registry
 * that refused the push. The message names the source, the registry and what to do; nothing was deployed with the
 * image.
 */
public class ImageBuildException extends OneclickException {
    private static final long serialVersionUID = 1L;

    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
