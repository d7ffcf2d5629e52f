package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. Stores a resources event. */
public interface ResourcesStore {
    void saveResources(ProjectOwner owner, ProjectGuid guid, AwsResources resources);
}
