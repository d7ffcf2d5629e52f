package dev.oneclick.notify;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.naming.ResourceNames;

/**
 * Who owns a project: the user id (the tracker's partition key) and the project's display name.
 *
 * @param userId the owner's user id (checked with {@link ResourceNames#checkUserId(String)})
 * @param projectName the project's name; the GUID is a fine name when there is no other
 */
public record ProjectOwner(String userId, String projectName) {
    public ProjectOwner {
        ResourceNames.checkUserId(userId);
        if (projectName == null || projectName.isBlank()) {
            throw new InvalidInputException("projectName", "The project name is missing.");
        }
    }
}
