package dev.oneclick.tracking;

/** Where a project's deployment stands. Stored as the extra attribute {@code status}. */
public enum DeploymentStatus {
    DEPLOYING,
    DEPLOYED,
    FAILED,
    DESTROYING,
    DESTROYED
}
