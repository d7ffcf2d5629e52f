package dev.oneclick.notify;

import dev.oneclick.naming.ProjectGuid;
import java.time.Instant;

/**
 * Which key ids a project's events may be signed with now ({@link NotifySecrets#forProject(byte[], ProjectGuid,
 * int)}), so one project's secret can be rotated: the backend renders a new {@code notify.sh} with the next key id
 * and accepts the old and the new one until the rotation window ends. Asked only after the signature matched. Must
 * be thread-safe; may throw when its store is unreachable (the receiver answers 503).
 */
@FunctionalInterface
public interface NotifyKeys {
    /** Only key id 1: every project has its one secret and none is ever rotated. */
    NotifyKeys FIRST_ONLY = (guid, keyId, now) -> keyId == 1;

    boolean accepts(ProjectGuid guid, int keyId, Instant now);
}
