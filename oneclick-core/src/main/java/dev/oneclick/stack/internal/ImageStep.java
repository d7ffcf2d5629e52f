package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.stack.ImageSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The backend's image, deployed by digest: a jar or classes folder is built by jib on the base image and pushed to
 * the repository's registry (or the deployer's registry endpoint) tagged with its inputs' fingerprint, so a rerun
 * with the same jar finds it there (the plan shows its digest) and pushes nothing; a Dockerfile is built by an engine
 * on the PATH; an image reference is used as it is. Images go with the repository on destroy.
 */
final class ImageStep implements Step {
    static final String TYPE = "container image";
    private final StackState s;
    private ImageRegistry registry;
    private String tag;

    ImageStep(StackState s) {
        this.s = s;
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(StackKeys.IMAGE_URI);
    }

    private String repository() {
        return s.clients.names().ecrBackend(s.projectGuid);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        ImageSource src = s.backend.image();
        if (src.type() == ImageSource.Type.IMAGE) {
            s.imageUri = src.reference();
            return List.of(new Plan.ResourceChange(TYPE, src.reference(), KEEP, "given; deployed as it is"));
        }
        if (src.type() == ImageSource.Type.DOCKERFILE) {
            return List.of(new Plan.ResourceChange(TYPE, repository(), CREATE, "build " + src + " with "
                    + EngineBuild.engine().getFileName() + "; digest after the push"));
        }
        tag = ImageBuild.fingerprintTag(src, s.backend.baseImage(), s.backend.containerPort());
        Optional<String> digest = s.repositoryUri == null ? Optional.empty() : pushed();
        if (digest.isPresent()) {
            return List.of(new Plan.ResourceChange(TYPE, s.imageUri, KEEP, "same " + src.type().name().toLowerCase(
                    java.util.Locale.ROOT) + " as before (tag " + tag + ")"));
        }
        return List.of(new Plan.ResourceChange(TYPE, repository() + ":" + tag, CREATE, "build " + src + " on "
                + s.backend.baseImage() + " with jib; digest after the push"));
    }

    /** Looks the fingerprint tag up in the registry; sets the image when it is there. */
    private Optional<String> pushed() {
        if (registry == null) {
            registry = ImageRegistry.resolve(s.clients, s.repositoryUri);
        }
        Optional<String> digest = registry.digestOf(repository(), tag);
        digest.ifPresent(this::use);
        return digest;
    }

    private void use(String digest) {
        s.imageDigest = digest;
        s.imageUri = registry.reference(repository()) + "@" + digest;
    }

    @Override
    public void apply(Run run) {
        ImageSource src = s.backend.image();
        boolean built = false;
        if (src.type() == ImageSource.Type.DOCKERFILE) {
            registry = ImageRegistry.resolve(s.clients, s.repositoryUri);
            run.progress("Building " + src + " and pushing it to " + registry.reference(repository()));
            use(EngineBuild.build(src.path(), registry, repository(), "latest"));
            built = true;
        } else if (src.type() != ImageSource.Type.IMAGE && s.imageUri == null) {
            if (pushed().isEmpty()) {
                run.progress("Building " + src + " on " + s.backend.baseImage() + " with jib and pushing it to "
                        + registry.reference(repository()));
                use(ImageBuild.jib(src, s.backend.baseImage(), s.backend.containerPort(), registry, repository(),
                        tag));
                built = true;
            }
        }
        run.record(AwsResources.builder().put(StackKeys.IMAGE_URI, s.imageUri).build());
        run.noted(TYPE, s.imageUri, built);
    }
}
