package dev.oneclick;

import java.util.List;

/**
 * What a deploy would do, computed without changing anything: the resources to create or repair, the files to
 * upload (with the reason), the keys to delete and the CDN paths to invalidate. {@code deploy} applies exactly
 * this. Immutable.
 *
 * @param guid the project GUID, lowercase
 * @param bucket the S3 bucket name
 * @param resources one entry per resource, with what will be done to it
 * @param uploads files whose bytes go up
 * @param headerUpdates files whose bytes are unchanged but whose Content-Type or Cache-Control changes
 *     (copied in place, no bytes uploaded)
 * @param deletes keys to delete (empty when prune is off)
 * @param unchanged how many files are already up to date
 * @param invalidations CDN paths to invalidate after the upload
 * @param excluded site paths left out by the excludes, sorted (a folder ends in '/' and stands for all it holds)
 */
public record Plan(
        String guid,
        String bucket,
        List<ResourceChange> resources,
        List<FileChange> uploads,
        List<FileChange> headerUpdates,
        List<String> deletes,
        int unchanged,
        List<String> invalidations,
        List<String> excluded) {

    public Plan {
        resources = List.copyOf(resources);
        excluded = List.copyOf(excluded);
        uploads = List.copyOf(uploads);
        headerUpdates = List.copyOf(headerUpdates);
        deletes = List.copyOf(deletes);
        invalidations = List.copyOf(invalidations);
    }

    /** A plan with nothing excluded. */
    public Plan(String guid, String bucket, List<ResourceChange> resources, List<FileChange> uploads,
            List<FileChange> headerUpdates, List<String> deletes, int unchanged, List<String> invalidations) {
        this(guid, bucket, resources, uploads, headerUpdates, deletes, unchanged, invalidations, List.of());
    }

    /** Whether applying the plan would change nothing. */
    public boolean isEmpty() {
        return uploads.isEmpty() && headerUpdates.isEmpty() && deletes.isEmpty()
                && resources.stream().allMatch(r -> r.action() == ResourceChange.Action.KEEP);
    }

    /** The bytes the uploads will send. */
    public long uploadBytes() {
        return uploads.stream().mapToLong(FileChange::size).sum();
    }

    /** One resource and what a deploy does to it. */
    public record ResourceChange(String type, String name, Action action, String detail) {
        public enum Action {
            CREATE,
            REPAIR,
            KEEP
        }
    }

    /** One site file to send. */
    public record FileChange(String key, long size, Reason reason) {
        public enum Reason {
            NEW,
            CHANGED,
            HEADERS
        }
    }
}
