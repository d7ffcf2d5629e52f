package dev.oneclick.engine.internal;

import dev.oneclick.errors.ResourceNotOwnedException;
import dev.oneclick.naming.ResourceNames;
import java.util.Map;

/**
 * The checks a step makes before it changes or deletes a resource it found: tagged with this project's GUID, or
 * (for a kind that cannot be tagged) named after it. Anything else is refused with a
 * {@link ResourceNotOwnedException} naming the resource, the record entry that pointed at it and how to fix it.
 */
public final class Ownership {
    private Ownership() {
    }

    /**
     * Requires the tag {@code oneclick:project-guid} to equal {@code guid}.
     *
     * @param recordEntry the record key that pointed at the resource, or null when it was found by name or comment
     */
    public static void requireTagged(String type, String id, String recordEntry, Map<String, String> tags,
            String guid) {
        String tagged = tags.get(ResourceNames.TAG_PROJECT_GUID);
        if (guid.equals(tagged)) {
            return;
        }
        String what = tagged == null ? "has no " + ResourceNames.TAG_PROJECT_GUID + " tag"
                : "is tagged " + ResourceNames.TAG_PROJECT_GUID + "=" + tagged;
        throw refused(type, id, recordEntry, guid, what + ", so it is not project " + guid + "'s",
                "If it really is this project's, tag it " + ResourceNames.TAG_PROJECT_GUID + "=" + guid + ".");
    }

    /** Requires the resource's name to be the one derived from the project's GUID. */
    public static void requireName(String type, String id, String recordEntry, String actualName, String expectedName,
            String guid) {
        if (expectedName.equals(actualName)) {
            return;
        }
        throw refused(type, id, recordEntry, guid, "is named '" + actualName + "', not '" + expectedName
                + "', so it is not project " + guid + "'s", null);
    }

    static ResourceNotOwnedException refused(String type, String id, String recordEntry, String guid, String why,
            String hint) {
        StringBuilder m = new StringBuilder(type).append(' ').append(id);
        if (recordEntry != null) {
            m.append(" (from the record entry ").append(recordEntry).append(')');
        }
        m.append(' ').append(why).append(". oneclick changed and deleted nothing on it.");
        if (recordEntry != null) {
            m.append(" Remove ").append(recordEntry).append(" from the DynamoDB record of project ").append(guid)
                    .append(" (or set it to this project's own resource) and run again.");
        }
        if (hint != null) {
            m.append(' ').append(hint);
        }
        return new ResourceNotOwnedException(type, id, recordEntry, m.toString());
    }
}
