package dev.oneclick.notify;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. The owner of a project GUID. */
public record ProjectOwner(String userId, String projectName) {
}
