package dev.oneclick.stack.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Ownership;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.Tag;

/**
 * The ECR repository {@code tmux-{guid}-backend} the image is pushed to: scan on push, tagged; found by its derived
 * name and owned by its tags; deleted with its images ({@code force}) on destroy. ECR does not create repositories on
 * push, so it comes before the image.
 */
final class RepositoryStep implements Step {
    static final String TYPE = "ECR repository";
    private static final String SERVICE = "ECR";
    private static final Set<String> NOT_FOUND = Set.of("RepositoryNotFoundException");
    private final StackState s;
    private final String name;
    private Repository found;

    RepositoryStep(StackState s) {
        this.s = s;
        this.name = s.clients.names().ecrBackend(s.projectGuid);
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(AwsResources.ECR_REPOSITORIES);
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        found = find(run).orElse(null);
        if (found == null) {
            return List.of(new Plan.ResourceChange(TYPE, name, CREATE, "scan on push, tagged"));
        }
        s.repositoryUri = found.repositoryUri();
        boolean scans = found.imageScanningConfiguration() != null
                && Boolean.TRUE.equals(found.imageScanningConfiguration().scanOnPush());
        return List.of(new Plan.ResourceChange(TYPE, name, scans ? KEEP : REPAIR,
                scans ? found.repositoryUri() : "turn scan on push on"));
    }

    /** By its derived name; its tags must name this project. */
    private Optional<Repository> find(Run run) {
        Optional<Repository> repo = Calls.orEmpty(s.clients.call(), SERVICE, "DescribeRepositories", name,
                NOT_FOUND, () -> s.clients.ecr().describeRepositories(b -> b.repositoryNames(name)).repositories()
                        .stream().findFirst().orElse(null));
        repo.ifPresent(r -> Ownership.requireTagged(TYPE, name, null, tags(r.repositoryArn()), s.guid));
        return repo;
    }

    private Map<String, String> tags(String arn) {
        return s.clients.call().run(SERVICE, "ListTagsForResource", name, () -> s.clients.ecr()
                .listTagsForResource(b -> b.resourceArn(arn)).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value, (x, y) -> y)));
    }

    @Override
    public void apply(Run run) {
        boolean created = found == null;
        if (created) {
            found = s.clients.call().run(SERVICE, "CreateRepository", name, () -> s.clients.ecr()
                    .createRepository(b -> b.repositoryName(name)
                            .imageScanningConfiguration(c -> c.scanOnPush(true))
                            .tags(run.tags().entrySet().stream()
                                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()))
                    .repository());
        }
        run.record(SERVICE, created ? "CreateRepository" : "DescribeRepositories",
                AwsResources.builder().ecrRepositories(List.of(name)).build());
        if (!created && (found.imageScanningConfiguration() == null
                || !Boolean.TRUE.equals(found.imageScanningConfiguration().scanOnPush()))) {
            s.clients.call().exec(SERVICE, "PutImageScanningConfiguration", name, () -> s.clients.ecr()
                    .putImageScanningConfiguration(b -> b.repositoryName(name)
                            .imageScanningConfiguration(c -> c.scanOnPush(true))));
        }
        s.repositoryUri = found.repositoryUri();
        run.noted(TYPE, name, created);
    }

    @Override
    public void planDestroy(Run run) {
        found = find(run).orElse(null);
        s.foundAny |= found != null;
    }

    @Override
    public void destroy(Run run) {
        if (found != null) {
            Calls.delete(s.clients.call(), SERVICE, "DeleteRepository", name, NOT_FOUND, () -> s.clients.ecr()
                    .deleteRepository(b -> b.repositoryName(name).force(true)));
            run.progress("Deleted ECR repository " + name + " and its images");
        }
        run.forget(AwsResources.ECR_REPOSITORIES, StackKeys.IMAGE_URI);
    }
}
