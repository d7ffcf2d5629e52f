package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.Moto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.EncodingType;

/**
 * File names that are odd as S3 keys, against s3proxy and moto (both started through oneclick-local). Both stores
 * keep and return {@code +}, {@code %}, {@code #}, {@code ?}, a trailing space and control characters; what a browser
 * sends for a link decides (see {@link KeyNames}): {@code +} is served, the rest is refused before anything is
 * written. A plain listing of a bucket holding a control character no longer parses on either store, so the plan
 * lists with {@code encoding-type=url}.
 */
class OddKeyNamesTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static LocalAws local;
    private static Moto moto;
    private static S3AsyncClient s3proxy;
    private static S3AsyncClient motoS3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        local = LocalAws.builder().dynamoDb(false).start();
        moto = Moto.start();
        s3proxy = local.s3AsyncClient();
        motoS3 = moto.s3AsyncClient();
    }

    @AfterAll
    static void stop() {
        moto.close();
        local.close();
    }

    static Stream<String> stores() {
        return Stream.of("s3proxy", "moto");
    }

    private static S3AsyncClient client(String store) {
        return store.equals("moto") ? motoS3 : s3proxy;
    }

    private String bucket(S3AsyncClient s3, String store) {
        String b = "odd-keys-" + store + "-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        s3.createBucket(r -> r.bucket(b)).join();
        return b;
    }

    private Path site(String... extra) throws IOException {
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<a href=\"c++/a+b.html\">notes</a>");
        Files.createDirectories(site.resolve("c++"));
        Files.writeString(site.resolve("c++/a+b.html"), "plus");
        for (String name : extra) {
            Files.writeString(site.resolve(name), "odd");
        }
        return site;
    }

    private static SyncResult deploy(S3AsyncClient s3, String bucket, Path site) {
        SiteSync sync = new SiteSync(s3, 4, DeployListener.NONE, "guid");
        SiteSnapshot snap = sync.scan(site, null);
        return sync.apply(bucket, sync.plan(bucket, snap, true, 1000, true));
    }

    private static Set<String> keys(S3AsyncClient s3, String bucket) {
        Set<String> keys = new TreeSet<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).encodingType(EncodingType.URL)).contents()
                .subscribe(o -> keys.add(o.key())).join();
        keys.remove(SiteSync.MANIFEST_KEY);
        return keys;
    }

    @ParameterizedTest
    @MethodSource("stores")
    void deploy_whenNameHasPlus_servesItUnderTheSameKeyAndRedeployIsANoOp(String store) throws IOException {
        S3AsyncClient s3 = client(store);
        String bucket = bucket(s3, store);
        Path site = site();

        deploy(s3, bucket, site);
        SyncResult again = deploy(s3, bucket, site);

        assertEquals(Set.of("c++/a+b.html", "index.html"), keys(s3, bucket));
        assertEquals("plus", s3.getObject(r -> r.bucket(bucket).key("c++/a+b.html"),
                AsyncResponseTransformer.toBytes()).join().asUtf8String());
        assertEquals(0, again.filesUploaded());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void scan_whenNameCannotBeServedAsTyped_refusesBeforeAnythingIsWritten(String store) throws IOException {
        S3AsyncClient s3 = client(store);
        for (String name : List.of("100%.html", "a#b.html", "a?b.html", "trailing ", "ctl\u0001.html")) {
            String bucket = bucket(s3, store);
            Path site = site(name);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> deploy(s3, bucket, site),
                    name);
            assertTrue(e.getMessage().contains("'" + KeyNames.printable(name) + "'"), e.getMessage());
            assertEquals(Set.of(), keys(s3, bucket), store + " " + name);
            Files.delete(site.resolve(name));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void plan_whenBucketAlreadyHoldsOddKeys_listsThemDecodedAndPrunesThem(String store) throws IOException {
        S3AsyncClient s3 = client(store);
        String bucket = bucket(s3, store);
        List<String> odd = List.of("old 100%.html", "a%20b.html", "x#y.html", "q?x=1", "trailing ", "ctl\u0001.html",
                "tab\t.txt");
        for (String k : odd) {
            s3.putObject(r -> r.bucket(bucket).key(k), AsyncRequestBody.fromString("junk")).join();
        }
        CompletionException plain = assertThrows(CompletionException.class,
                () -> s3.listObjectsV2(r -> r.bucket(bucket)).join(),
                "a plain listing of a control character no longer parses; if it does, this test shows nothing");
        assertTrue(plain.getCause() instanceof SdkClientException && plain.getCause().getMessage().contains("XML"),
                plain.toString());

        SiteSync sync = new SiteSync(s3, 4, DeployListener.NONE, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site(), null), true, 1000, true);
        assertEquals(new TreeSet<>(odd), new TreeSet<>(plan.deletes()));
        sync.apply(bucket, plan);
        assertEquals(Set.of("c++/a+b.html", "index.html"), keys(s3, bucket));
    }
}
