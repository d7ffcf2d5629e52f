package dev.oneclick.examples.backend;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.notify.ProjectOwner;
import dev.oneclick.notify.ProjectRegistry;
import dev.oneclick.notify.ResourcesStore;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentTracker;
import java.util.Optional;

/**
 * The project registry and resources store of the reference backend, both on the deployments table: a project
 * gets its tracker record when it is created, so the owner of a GUID is found through {@code projectId-index}, and
 * a {@code resources} event replaces the record's {@code awsResources}.
 */
final class TrackerProjects implements ProjectRegistry, ResourcesStore {
    private final DeploymentTracker tracker;

    TrackerProjects(DeploymentTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public Optional<ProjectOwner> findOwner(ProjectGuid guid) {
        return tracker.findByProjectId(guid.value()).map(r -> new ProjectOwner(r.userId(), r.projectName()));
    }

    @Override
    public void saveResources(ProjectOwner owner, ProjectGuid guid, AwsResources resources) {
        tracker.save(owner.userId(), guid.value(), owner.projectName(), resources);
    }
}
