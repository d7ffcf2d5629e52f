package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.junit.LocalAwsExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** The bucket's bulk delete and lifecycle rule against s3proxy, an S3-compatible store, over the wire. */
@ExtendWith(LocalAwsExtension.class)
class BucketManagerS3ProxyTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    /** Requests by operation, and the status each DeleteObjects got. */
    private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private static volatile boolean notImplemented;
    private static S3Client s3;

    private final List<String> progress = new CopyOnWriteArrayList<>();
    private String bucket;

    /** Counts requests; when asked, sends DeleteObjects to a subresource s3proxy answers with 501 NotImplemented. */
    static final class Wire implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            if (notImplemented && context.request() instanceof DeleteObjectsRequest) {
                // the same POST on a bucket subresource s3proxy does not implement: it answers 501 NotImplemented
                return context.httpRequest().toBuilder().removeQueryParameter("delete")
                        .putRawQueryParameter("lifecycle", List.of()).build();
            }
            return context.httpRequest();
        }
    }

    @BeforeAll
    static void client(LocalAws aws) {
        s3 = aws.s3ClientBuilder().overrideConfiguration(o -> o.addExecutionInterceptor(new Wire())).build();
    }

    @AfterAll
    static void close() {
        s3.close();
    }

    @BeforeEach
    void setUp() {
        bucket = "bucket-manager-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        calls.clear();
        notImplemented = false;
    }

    private BucketManager manager() {
        return manager(true);
    }

    private BucketManager manager(boolean s3Compatible) {
        DeployListener listener = new DeployListener() {
            @Override
            public void progress(Progress event) {
                progress.add(event.message());
            }
        };
        return new BucketManager(s3, AwsCall.standard(d -> { }), s3Compatible, listener, "guid");
    }

    private void put(int n) {
        for (int i = 0; i < n; i++) {
            String key = String.format("assets/%04d.js", i);
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x" + i));
        }
    }

    private int count(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    private boolean bucketGone() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return false;
        } catch (NoSuchBucketException e) {
            return true;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return e.statusCode() == 404;
        }
    }

    @Test
    void emptyAndDelete_sendsDeleteObjectsWithContentMd5AndNoSingleDeletes() {
        put(1205);
        calls.clear();

        assertEquals(1205, manager().emptyAndDelete(bucket));

        assertEquals(2, count("DeleteObjects"), calls.toString());
        assertEquals(0, count("DeleteObject"), calls.toString());
        assertTrue(bucketGone());
        assertEquals(1, progress.stream().filter(m -> m.startsWith("Emptying bucket " + bucket + ": ")).count(),
                "one progress line per listing page before the last: " + progress);
    }

    @Test
    void emptyAndDelete_whenTheStoreAnswersNotImplemented_deletesOneByOne() {
        put(40);
        calls.clear();
        notImplemented = true;

        assertEquals(40, manager().emptyAndDelete(bucket));

        assertEquals(1, count("DeleteObjects"), calls.toString());
        assertEquals(40, count("DeleteObject"), calls.toString());
        assertTrue(progress.stream().anyMatch(m -> m.contains("one by one")), progress.toString());
        assertTrue(bucketGone());
    }

    @Test
    void lifecycleRule_onAStoreWithoutLifecycleRules_isSkippedAndSaysSo() {
        BucketManager buckets = manager(false); // not flagged S3-compatible: the 501 answer itself is the signal

        assertTrue(buckets.hasAbortRule(bucket), "nothing to repair on a store without lifecycle rules");
        assertFalse(buckets.ensureAbortRule(bucket));

        assertEquals(0, count("PutBucketLifecycleConfiguration"));
        assertTrue(progress.stream().anyMatch(m -> m.contains("does not implement lifecycle rules")
                && m.contains(bucket)), progress.toString());
    }

    @Test
    void lifecycleRule_inS3CompatibleMode_sendsNoLifecycleRequestAndSaysSo() {
        BucketManager buckets = manager(true);

        assertTrue(buckets.hasAbortRule(bucket));
        assertFalse(buckets.ensureAbortRule(bucket));

        assertEquals(0, count("GetBucketLifecycleConfiguration") + count("PutBucketLifecycleConfiguration"));
        assertTrue(progress.stream().anyMatch(m -> m.contains("S3-compatible endpoint") && m.contains(bucket)),
                progress.toString());
    }
}
