package dev.oneclick.internal.aws;

import dev.oneclick.errors.AwsRequestException;
import dev.oneclick.errors.OneclickException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The deletes of one emptying: each listed page goes out as DeleteObjects batches of up to {@value #BATCH} keys,
 * up to {@value #BATCHES_IN_FLIGHT} at once, while the next page is listed. A store that does not implement
 * DeleteObjects (NotImplemented, 501, MethodNotAllowed) gets single DeleteObject calls instead, up to
 * {@value #DELETE_THREADS} at once (sent by {@link DirectS3} when the deployer has one: 0.5-0.7 s less for 5,723
 * objects on s3proxy; 32 at once was slower there than 16). The first failure is thrown (after the deletes in flight
 * end). Used by one thread (the listing's); the pool runs the requests.
 *
 * <p>Keys that end in {@code /} are held back and deleted by {@link #finish}, after every other key is gone, inner
 * folders first. A file-system store (s3proxy's, the local target's) lists each folder as such a key, and deleting a
 * folder that still holds files makes it retry for ten seconds and fail: a 5,000-file site took minutes to empty, or
 * timed out. Deleted last, a folder is empty (or already gone with its last file). On S3 these are ordinary objects,
 * and their order does not matter.
 */
final class BulkDeletes {
    /** Batches of DeleteObjects in flight at once while the listing goes on. */
    static final int BATCHES_IN_FLIGHT = 4;
    /** Threads for the deletes: the batches, or the single DeleteObject calls of a store without DeleteObjects. */
    static final int DELETE_THREADS = 16;
    static final int BATCH = 1000;

    private final S3Client s3;
    /** Sends the single deletes instead of {@link #s3} when not null. */
    private final Supplier<DirectS3> directS3;
    private final AwsCall call;
    private final Consumer<String> progress;
    private final String bucket;
    private final ExecutorService pool;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private volatile boolean single;
    private int deleted;
    /** Folder keys, deleted by {@link #finish} after everything else. */
    private final List<ObjectIdentifier> folders = new ArrayList<>();

    BulkDeletes(S3Client s3, Supplier<DirectS3> directS3, AwsCall call, Consumer<String> progress, String bucket,
            ExecutorService pool) {
        this.s3 = s3;
        this.directS3 = directS3;
        this.call = call;
        this.progress = progress;
        this.bucket = bucket;
        this.pool = pool;
    }

    void add(List<ObjectIdentifier> ids) {
        List<ObjectIdentifier> now = new ArrayList<>(ids.size());
        for (ObjectIdentifier id : ids) {
            (id.key().endsWith("/") ? folders : now).add(id);
        }
        send(now);
    }

    private void send(List<ObjectIdentifier> ids) {
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<ObjectIdentifier> batch = List.copyOf(ids.subList(from, Math.min(ids.size(), from + BATCH)));
            if (single) {
                singles(batch);
                continue;
            }
            while (inFlight.size() >= BATCHES_IN_FLIGHT) {
                int n = take(inFlight.poll()); // read before adding: take may count nested deletes
                deleted += n;
            }
            inFlight.add(new Pending(pool.submit(() -> batchOrSingles(batch)), batch));
        }
    }

    /** How many object versions the batches that finished so far deleted. */
    int deletedSoFar() {
        return deleted;
    }

    /** Waits for every delete, then deletes the folder keys held back (inner first) and waits for those. */
    int finish() {
        drain();
        if (!folders.isEmpty()) {
            List<ObjectIdentifier> last = new ArrayList<>(folders);
            folders.clear();
            last.sort(Comparator.comparingInt((ObjectIdentifier id) -> id.key().length()).reversed());
            send(last);
            drain();
        }
        return deleted;
    }

    private void drain() {
        while (!inFlight.isEmpty()) {
            int n = take(inFlight.poll()); // read before adding: take may count nested deletes
            deleted += n;
        }
    }

    private int batchOrSingles(List<ObjectIdentifier> batch) {
        if (!single) {
            try {
                return deleteBatch(bucket, batch);
            } catch (AwsRequestException e) {
                if (!notImplemented(e)) {
                    throw e;
                }
                if (!single) {
                    single = true;
                    progress.accept("S3 DeleteObjects is not implemented by this store: deleting the objects of "
                            + bucket + " one by one, " + DELETE_THREADS + " at once.");
                }
            }
        }
        return -1; // the listing thread spreads this batch's single deletes over the pool
    }

    /** Single deletes of a batch, spread over the pool (from the listing thread). */
    private void singles(List<ObjectIdentifier> batch) {
        int slice = Math.max(1, (batch.size() + DELETE_THREADS - 1) / DELETE_THREADS);
        for (int from = 0; from < batch.size(); from += slice) {
            List<ObjectIdentifier> part = batch.subList(from, Math.min(batch.size(), from + slice));
            while (inFlight.size() >= DELETE_THREADS) {
                int n = take(inFlight.poll()); // read before adding: take may count nested deletes
                deleted += n;
            }
            inFlight.add(new Pending(pool.submit(() -> singlesOnCallerThread(part)), part));
        }
    }

    private int singlesOnCallerThread(List<ObjectIdentifier> part) {
        for (ObjectIdentifier id : part) {
            call.exec("S3", "DeleteObject", bucket, () -> deleteOne(id));
        }
        return part.size();
    }

    private void deleteOne(ObjectIdentifier id) {
        if (directS3 != null) {
            directS3.get().deleteObject(bucket, id.key(), id.versionId());
        } else {
            s3.deleteObject(r -> r.bucket(bucket).key(id.key()).versionId(id.versionId()));
        }
    }

    private int take(Pending p) {
        try {
            int n = p.future.get();
            if (n < 0) {
                singles(p.batch);
                return 0;
            }
            return n;
        } catch (ExecutionException e) {
            finishQuietly();
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("deleting the objects of " + bucket + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OneclickException("Interrupted while emptying " + bucket, e);
        }
    }

    private void finishQuietly() {
        for (Pending p : inFlight) {
            try {
                p.future.get();
            } catch (Exception ignored) {
                // the first failure is the one reported
            }
        }
        inFlight.clear();
    }

    private record Pending(Future<Integer> future, List<ObjectIdentifier> batch) {
    }

    /** Whether the store does not implement the operation (NotImplemented, 501; MethodNotAllowed, 405). */
    static boolean notImplemented(AwsRequestException e) {
        String code = e.errorCode();
        if ("NotImplemented".equals(code) || "MethodNotAllowed".equals(code)) {
            return true;
        }
        return e.getCause() instanceof software.amazon.awssdk.awscore.exception.AwsServiceException se
                && (se.statusCode() == 501 || se.statusCode() == 405);
    }

    private int deleteBatch(String bucket, List<ObjectIdentifier> batch) {
        // DeleteObjects must carry a checksum; Content-MD5 is the one S3 and most S3-compatible stores accept
        DeleteObjectsResponse r = call.run("S3", "DeleteObjects", bucket, () -> s3.deleteObjects(d -> d
                .bucket(bucket).delete(del -> del.objects(batch).quiet(true))
                .overrideConfiguration(o -> o.addPlugin(LegacyMd5Plugin.create()))));
        if (r.hasErrors() && !r.errors().isEmpty()) {
            var first = r.errors().get(0);
            throw new AwsRequestException("S3", "DeleteObjects", first.code(), "S3 DeleteObjects on "
                    + bucket + " could not delete " + r.errors().size() + " object(s), first " + first.key()
                    + ": " + first.code() + " " + first.message() + ". Run destroy again.", null);
        }
        return batch.size();
    }
}
