package dev.oneclick.internal.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.local.S3Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Emptying a bucket on a file-system store (s3proxy's, the one the local target keeps its state in), which lists each
 * folder as a key ending in {@code /} and, asked to delete a folder that still holds files, retries for ten seconds
 * and fails: the folder keys go last, inner folders first, after every file is gone.
 */
class BucketManagerFolderStoreTest {
    @TempDir
    Path store;

    @Test
    void emptyAndDelete_onAFolderStore_deletesTheFolderKeysLastInnerFirst() {
        List<String> deleted = new CopyOnWriteArrayList<>();
        ExecutionInterceptor wire = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof DeleteObjectsRequest r) {
                    r.delete().objects().stream().map(ObjectIdentifier::key).forEach(deleted::add);
                }
            }
        };
        try (S3Proxy proxy = S3Proxy.start(store.resolve("s3"));
                S3Client s3 = S3Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                        .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("local", "local")))
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                        .overrideConfiguration(o -> o.addExecutionInterceptor(wire)).build()) {
            String bucket = "folders";
            s3.createBucket(b -> b.bucket(bucket));
            List<String> files = new ArrayList<>(List.of("index.html", "a/x.js", "d/e/f.css"));
            for (int i = 0; i < 30; i++) {
                files.add("a/b/c/" + i + ".js");
            }
            for (String key : files) {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
            }
            List<String> listed = s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key)
                    .toList();
            assertTrue(listed.containsAll(List.of("a/", "a/b/", "a/b/c/", "d/", "d/e/")),
                    "the store lists its folders as keys: " + listed);
            List<String> progress = new CopyOnWriteArrayList<>();
            BucketManager manager = new BucketManager(s3, AwsCall.standard(d -> { }), true, new DeployListener() {
                @Override
                public void progress(Progress event) {
                    progress.add(event.message());
                }
            }, "guid");

            manager.emptyAndDelete(bucket);

            assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket(bucket)));
            int firstFolder = deleted.indexOf(deleted.stream().filter(k -> k.endsWith("/")).findFirst()
                    .orElseThrow());
            assertTrue(deleted.subList(firstFolder, deleted.size()).stream().allMatch(k -> k.endsWith("/")),
                    "every file before the first folder key: " + deleted);
            assertTrue(deleted.indexOf("a/b/c/") < deleted.indexOf("a/b/")
                    && deleted.indexOf("a/b/") < deleted.indexOf("a/"), "inner folders first: " + deleted);
            assertEquals(files.size(), firstFolder, deleted.toString());
        }
    }
}
