package dev.oneclick.errors;

/**
 * A resource that a deploy or destroy was about to change or delete is not this project's: its
 * {@code oneclick:project-guid} tag names another project (or it has none where one is required), or its name is not
 * the one derived from the project's GUID. Nothing was changed on it. The message names the resource, the record
 * entry that pointed at it (if any) and how to fix the record.
 */
public class ResourceNotOwnedException extends OneclickException {
    private static final long serialVersionUID = 1L;
    private final String resourceType;
    private final String resourceId;
    private final String recordEntry;

    public ResourceNotOwnedException(String resourceType, String resourceId, String recordEntry, String message) {
        super(message);
        this.resourceType = resourceType;
        this.resourceId = resourceId;
        this.recordEntry = recordEntry;
    }

    /** The kind of resource, such as {@code CloudFront distribution}. */
    public String resourceType() {
        return resourceType;
    }

    /** The resource's id or name. */
    public String resourceId() {
        return resourceId;
    }

    /** The record entry (such as {@code oneclickResources.cloudFrontId}) that pointed at it, or null if found by name. */
    public String recordEntry() {
        return recordEntry;
    }
}
