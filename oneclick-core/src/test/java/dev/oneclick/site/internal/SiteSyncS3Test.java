package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployListener;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.Plan.FileChange;
import dev.oneclick.local.LocalAws;
import dev.oneclick.local.junit.LocalAwsExtension;
import dev.oneclick.site.CacheRule;
import dev.oneclick.site.CacheRules;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The sync engine against a real S3 wire (s3proxy on 127.0.0.1, or LocalStack), one bucket per test. */
@ExtendWith(LocalAwsExtension.class)
class SiteSyncS3Test {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @TempDir
    Path tmp;

    private static final TestS3.Counter counter = new TestS3.Counter();
    private static S3AsyncClient s3;
    private String bucket;
    private Path site;
    private final List<String> uploadedKeys = Collections.synchronizedList(new ArrayList<>());
    private final List<String> deletedKeys = Collections.synchronizedList(new ArrayList<>());
    private final DeployListener listener = new DeployListener() {
        @Override
        public void fileUploaded(FileUploaded event) {
            uploadedKeys.add(event.key());
        }

        @Override
        public void fileDeleted(FileDeleted event) {
            deletedKeys.add(event.key());
        }
    };

    @BeforeAll
    static void client(LocalAws aws) {
        s3 = TestS3.client(aws, counter);
    }

    @AfterAll
    static void closeClient() {
        s3.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        bucket = "sync-test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket)).join();
        counter.reset();
        site = Files.createDirectory(tmp.resolve("site"));
        write("index.html", "<!doctype html><title>home</title><script src=assets/app.3f9a1c2b.js></script>");
        write("about/index.html", "<!doctype html><title>about</title>");
        write("assets/app.3f9a1c2b.js", "console.log('app');");
        write("assets/index-BwX8Kz1q.css", "body{margin:0}");
        write("favicon.ico", "icon");
        write("robots.txt", "User-agent: *");
    }

    private void write(String rel, String content) throws IOException {
        Path p = site.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private SyncResult deploy(List<CacheRule> rules, boolean prune, int maxDeletes) {
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SiteSnapshot snap = sync.scan(site, rules);
        SyncPlan plan = sync.plan(bucket, snap, prune, maxDeletes, true);
        return sync.apply(bucket, plan);
    }

    private SyncResult deploy() {
        return deploy(null, true, 1000);
    }

    private Set<String> remoteKeys() {
        Set<String> keys = new TreeSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().subscribe(o -> keys.add(o.key())).join();
        keys.remove(SiteSync.MANIFEST_KEY);
        return keys;
    }

    /** PutObject requests for site keys (the manifest left out). */
    private List<String> sitePuts() {
        return counter.putKeys().stream().filter(k -> !k.equals(SiteSync.MANIFEST_KEY)).toList();
    }

    /** s3proxy's store gives back {@code text/html;charset=utf-8} for {@code text/html; charset=utf-8}. */
    private static void assertContentType(String expected, String actual) {
        assertTrue(SiteSync.sameContentType(expected, actual), "expected " + expected + " but was " + actual);
        assertEquals(expected.replace("; ", ";"), actual.replace("; ", ";"));
    }

    private HeadObjectResponse head(String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key)).join();
    }

    private String get(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key),
                software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes()).join().asUtf8String();
    }

    @Test
    void apply_whenBucketIsEmpty_uploadsEveryFile() {
        SyncResult r = deploy();
        assertEquals(6, r.filesUploaded());
        assertEquals(Set.of("index.html", "about/index.html", "assets/app.3f9a1c2b.js", "assets/index-BwX8Kz1q.css",
                "favicon.ico", "robots.txt"), remoteKeys());
        assertEquals(6, uploadedKeys.size());
        assertEquals("console.log('app');", get("assets/app.3f9a1c2b.js"));
        assertEquals(6, sitePuts().size());
        assertTrue(r.manifestWritten());
    }

    @Test
    void plan_whenBucketDoesNotExistYet_marksEveryFileNewWithoutReading() {
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SyncPlan plan = sync.plan("bucket-not-created-yet", sync.scan(site, null), true, 0, false);
        assertEquals(6, plan.uploads().size());
        assertTrue(plan.uploads().stream().allMatch(u -> u.reason() == FileChange.Reason.NEW));
        assertEquals(0, counter.get("ListObjectsV2") + counter.get("GetObject") + counter.get("HeadObject"));
        assertEquals(List.of(), plan.invalidationPaths());
    }

    @Test
    void apply_whenRerunWithoutChanges_uploadsNothingAndDeletesNothing() {
        deploy();
        counter.reset();
        uploadedKeys.clear();
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site, null), true, 1000, true);
        assertTrue(plan.isEmpty(), plan.toString());
        assertEquals(6, plan.unchanged());
        SyncResult r = sync.apply(bucket, plan);
        assertEquals(new SyncResult(0, 0, 0, 0, false), r);
        assertEquals(0, counter.get("PutObject") + counter.get("CopyObject") + counter.get("DeleteObjects")
                + counter.get("HeadObject") + counter.get("UploadPart"), counter.toString());
        assertEquals(1, counter.get("GetObject"));
        assertEquals(List.of(), plan.invalidationPaths());
    }

    @Test
    void plan_afterPrefetch_usesTheReadsStartedBeforeScanning() throws IOException {
        deploy();
        write("robots.txt", "changed");
        counter.reset();
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        sync.prefetch(bucket);
        SiteSnapshot snap = sync.scan(site, null);
        SyncPlan plan = sync.plan(bucket, snap, true, 1000, true);
        assertEquals(List.of("robots.txt"), plan.uploads().stream().map(FileChange::key).toList());
        assertEquals(1, counter.get("ListObjectsV2"));
        assertEquals(1, counter.get("GetObject"));
        // the next plan reads afresh
        sync.plan(bucket, snap, true, 1000, true);
        assertEquals(2, counter.get("ListObjectsV2"));
    }

    @Test
    void apply_whenOneByteChanged_uploadsExactlyThatFile() throws IOException {
        for (int i = 0; i < 100; i++) {
            write("docs/p" + i + ".txt", "page " + i);
        }
        deploy();
        write("robots.txt", "User-agent: *!");
        counter.reset();
        uploadedKeys.clear();
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site, null), true, 1000, true);
        assertEquals(List.of(new FileChange("robots.txt", 14, FileChange.Reason.CHANGED)), plan.uploads());
        assertEquals(List.of("/robots.txt"), plan.invalidationPaths());
        SyncResult r = sync.apply(bucket, plan);
        assertEquals(1, r.filesUploaded());
        assertFalse(r.manifestWritten());
        assertEquals(1, counter.get("PutObject"), counter.toString());
        assertEquals(List.of("robots.txt"), uploadedKeys);
        assertEquals("User-agent: *!", get("robots.txt"));

        // The 106-entry manifest was not rewritten for one file: the next plan checks that key once, finds it current.
        counter.reset();
        SyncPlan again = sync.plan(bucket, sync.scan(site, null), true, 1000, true);
        assertTrue(again.isEmpty(), again.toString());
        assertEquals(1, counter.get("HeadObject"));
    }

    @Test
    void apply_whenSmallSiteChanges_rewritesManifest() throws IOException {
        deploy();
        write("robots.txt", "User-agent: *!");
        counter.reset();
        SyncResult r = deploy();
        assertEquals(1, r.filesUploaded());
        assertTrue(r.manifestWritten());
        assertEquals(2, counter.get("PutObject"));
        counter.reset();
        assertEquals(0, deploy().filesUploaded());
        assertEquals(0, counter.get("HeadObject"));
    }

    @Test
    void apply_whenSameSizeContentChanges_detectsItByHash() throws IOException {
        deploy();
        write("favicon.ico", "ICON");
        SyncResult r = deploy();
        assertEquals(1, r.filesUploaded());
        assertEquals("ICON", get("favicon.ico"));
    }

    @Test
    void apply_whenFileRemoved_deletesItsKey() throws IOException {
        deploy();
        Files.delete(site.resolve("robots.txt"));
        counter.reset();
        SyncResult r = deploy();
        assertEquals(1, r.deleted());
        assertEquals(0, r.filesUploaded());
        assertFalse(remoteKeys().contains("robots.txt"));
        assertEquals(List.of("robots.txt"), deletedKeys);
    }

    @Test
    void plan_whenBucketHasFolderPlaceholders_leavesThemAlone() {
        deploy();
        s3.putObject(b -> b.bucket(bucket).key("assets/"),
                software.amazon.awssdk.core.async.AsyncRequestBody.fromBytes(new byte[0])).join();
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site, null), true, 0, true);
        assertTrue(plan.isEmpty(), plan.toString());
    }

    @Test
    void apply_whenBucketIsMissing_throwsAwsRequestExceptionNamingOperationCodeKeyAndBucket() {
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        String missing = bucket + "-missing";
        SyncPlan plan = sync.plan(missing, sync.scan(site, null), true, 0, false);
        dev.oneclick.errors.AwsRequestException e = assertThrows(dev.oneclick.errors.AwsRequestException.class,
                () -> sync.apply(missing, plan));
        assertEquals("S3", e.service());
        assertEquals("PutObject", e.operation());
        assertEquals("NoSuchBucket", e.errorCode());
        assertTrue(e.getMessage().contains("in bucket " + missing + " failed with NoSuchBucket"), e.getMessage());
        assertEquals(List.of(), uploadedKeys);
    }

    @Test
    void apply_whenPruneIsOff_keepsRemovedFile() throws IOException {
        deploy();
        Files.delete(site.resolve("robots.txt"));
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site, null), false, 0, true);
        assertEquals(List.of(), plan.deletes());
        SyncResult r = sync.apply(bucket, plan);
        assertEquals(0, r.deleted());
        assertTrue(remoteKeys().contains("robots.txt"));
    }

    @Test
    void plan_whenDeletesExceedMaxDeletes_refusesBeforeDeletingAnything() throws IOException {
        deploy();
        Files.delete(site.resolve("robots.txt"));
        Files.delete(site.resolve("favicon.ico"));
        Files.delete(site.resolve("about/index.html"));
        counter.reset();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> deploy(null, true, 2));
        assertEquals("maxDeletes", e.field());
        assertTrue(e.getMessage().contains("delete 3 objects"), e.getMessage());
        assertTrue(e.getMessage().contains("raise maxDeletes to at least 3"), e.getMessage());
        assertEquals(0, counter.get("DeleteObjects") + counter.get("DeleteObject") + counter.get("PutObject"));
        assertEquals(6, remoteKeys().size());
    }

    @Test
    void apply_whenKeyDeletedByHand_uploadsItAgain() {
        deploy();
        s3.deleteObject(b -> b.bucket(bucket).key("favicon.ico")).join();
        SyncResult r = deploy();
        assertEquals(1, r.filesUploaded());
        assertTrue(remoteKeys().contains("favicon.ico"));
    }

    @Test
    void apply_whenKeyOverwrittenByHand_uploadsItAgain() {
        deploy();
        s3.putObject(b -> b.bucket(bucket).key("robots.txt"),
                software.amazon.awssdk.core.async.AsyncRequestBody.fromString("tampered")).join();
        SyncResult r = deploy();
        assertEquals(1, r.filesUploaded());
        assertEquals("User-agent: *", get("robots.txt"));
    }

    @Test
    void apply_whenManifestIsLost_findsObjectsByTheirMetadataHash() {
        deploy();
        s3.deleteObject(b -> b.bucket(bucket).key(SiteSync.MANIFEST_KEY)).join();
        counter.reset();
        SyncResult r = deploy();
        assertEquals(0, r.filesUploaded());
        assertEquals(6, counter.get("HeadObject"));
    }

    @Test
    void apply_setsContentTypeAndCacheControl() {
        deploy();
        HeadObjectResponse html = head("index.html");
        assertContentType("text/html; charset=utf-8", html.contentType());
        assertEquals(CacheRules.NO_CACHE, html.cacheControl());
        HeadObjectResponse js = head("assets/app.3f9a1c2b.js");
        assertContentType("text/javascript; charset=utf-8", js.contentType());
        assertEquals(CacheRules.IMMUTABLE, js.cacheControl());
        HeadObjectResponse css = head("assets/index-BwX8Kz1q.css");
        assertContentType("text/css; charset=utf-8", css.contentType());
        assertEquals(CacheRules.IMMUTABLE, css.cacheControl());
        HeadObjectResponse ico = head("favicon.ico");
        assertEquals("image/vnd.microsoft.icon", ico.contentType());
        assertEquals(CacheRules.NO_CACHE, ico.cacheControl());
        assertEquals(64, js.metadata().get(SiteSync.SHA256_METADATA).length());
    }

    @Test
    void apply_whenOnlyCacheRulesChange_reappliesHeadersWithoutUploadingBytes() {
        deploy();
        counter.reset();
        uploadedKeys.clear();
        List<CacheRule> rules = List.of(new CacheRule("*.txt", "public, max-age=60"),
                new CacheRule("assets/**", "public, max-age=600"));
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site, rules), true, 1000, true);
        assertEquals(List.of(), plan.uploads());
        assertEquals(3, plan.headerUpdates().size(), plan.toString());
        SyncResult r = sync.apply(bucket, plan);
        assertEquals(0, r.filesUploaded());
        assertEquals(3, r.headersUpdated());
        assertEquals(List.of(), sitePuts(), counter.toString());
        assertEquals(0, counter.get("UploadPart"), counter.toString());
        assertEquals(3, counter.get("CopyObject"));
        assertEquals("public, max-age=60", head("robots.txt").cacheControl());
        assertContentType("text/plain; charset=utf-8", head("robots.txt").contentType());
        assertEquals("public, max-age=600", head("assets/app.3f9a1c2b.js").cacheControl());
        assertEquals("console.log('app');", get("assets/app.3f9a1c2b.js"));
        // and the rerun with the same rules is a no-op
        counter.reset();
        SyncPlan again = sync.plan(bucket, sync.scan(site, rules), true, 1000, true);
        assertTrue(again.isEmpty(), again.toString());
    }

    @Test
    void apply_whenFileIsLarge_usesMultipartAndDoesNotReuploadOnRerun() throws IOException {
        Path big = site.resolve("media/video.mp4");
        Files.createDirectories(big.getParent());
        byte[] chunk = new byte[1024 * 1024];
        new Random(42).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 20; i++) {
                chunk[0] = (byte) i;
                out.write(chunk);
            }
        }
        SyncResult r = deploy();
        assertEquals(7, r.filesUploaded());
        assertEquals(1, counter.get("CreateMultipartUpload"));
        assertEquals(3, counter.get("UploadPart"));
        assertEquals(1, counter.get("CompleteMultipartUpload"));
        HeadObjectResponse h = head("media/video.mp4");
        assertEquals(20L * 1024 * 1024, h.contentLength());
        assertEquals("video/mp4", h.contentType());

        counter.reset();
        SyncResult again = deploy();
        assertEquals(0, again.filesUploaded());
        assertEquals(0, counter.get("UploadPart") + counter.get("PutObject") + counter.get("HeadObject"),
                counter.toString());
    }

    @Test
    void apply_whenNamesHaveSpacesAndUnicode_usesThemAsKeys() throws IOException {
        write("my page.html", "spaces");
        write("fotos/Ünïcödé ñame.txt", "unicode");
        write("日本語/ページ.html", "cjk");
        // the same name in decomposed form (NFD) becomes the composed (NFC) key
        write("cafe\u0301.txt", "nfd");
        deploy();
        Set<String> keys = remoteKeys();
        assertTrue(keys.contains("my page.html"), keys.toString());
        assertTrue(keys.contains("fotos/Ünïcödé ñame.txt"), keys.toString());
        assertTrue(keys.contains("日本語/ページ.html"), keys.toString());
        assertTrue(keys.contains("caf\u00e9.txt"), keys.toString());
        assertEquals("unicode", get("fotos/Ünïcödé ñame.txt"));
        assertEquals(0, deploy().filesUploaded());
    }

    @Test
    void plan_whenHtmlChangesAndAssetsAreDeleted_invalidatesOnlyWhatClientsCouldHoldStale() throws IOException {
        deploy();
        write("index.html", "<!doctype html><title>home v2</title>");
        Files.delete(site.resolve("assets/app.3f9a1c2b.js"));
        write("assets/app.77aa88bb.js", "console.log('v2');");
        Files.delete(site.resolve("robots.txt"));
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site, null), true, 1000, true);
        assertEquals(List.of("/", "/index.html", "/robots.txt"), plan.invalidationPaths());
        assertEquals(List.of("assets/app.3f9a1c2b.js", "robots.txt"), plan.deletes());
        // assets first, HTML last
        assertEquals(List.of("assets/app.77aa88bb.js", "index.html"),
                plan.uploads().stream().map(FileChange::key).toList());
    }

    @Test
    void plan_whenManyPagesChange_foldsInvalidationIntoWildcard() throws IOException {
        deploy();
        for (int i = 0; i < 20; i++) {
            write("page" + i + ".html", "p" + i);
        }
        deploy();
        for (int i = 0; i < 20; i++) {
            write("page" + i + ".html", "changed " + i);
        }
        SiteSync sync = new SiteSync(s3, 8, listener, "guid");
        SyncPlan plan = sync.plan(bucket, sync.scan(site, null), true, 1000, true);
        assertEquals(20, plan.uploads().size());
        assertEquals(List.of("/*"), plan.invalidationPaths());
    }

    @Test
    void apply_whenManySmallFiles_uploadsAllWithBoundedConcurrency() throws IOException {
        for (int i = 0; i < 300; i++) {
            write("docs/p" + i + ".html", "page " + i);
        }
        SyncResult r = deploy();
        assertEquals(306, r.filesUploaded());
        assertTrue(r.manifestWritten());
        assertEquals(306, remoteKeys().size());
        counter.reset();
        assertEquals(0, deploy().filesUploaded());
        assertEquals(0, counter.get("HeadObject"));
    }

    @Test
    void apply_whenSiteHasManyKeysToDelete_batchesDeletes() throws IOException {
        for (int i = 0; i < 1200; i++) {
            write("old/f" + i + ".txt", "x" + i);
        }
        deploy();
        for (int i = 0; i < 1200; i++) {
            Files.delete(site.resolve("old/f" + i + ".txt"));
        }
        counter.reset();
        SyncResult r = deploy(null, true, 1200);
        assertEquals(1200, r.deleted());
        assertEquals(1200, deletedKeys.size());
        // two batches of at most 1,000, or one key at a time on a store without multi-object delete (s3proxy)
        assertTrue(counter.get("DeleteObjects") == 2 || counter.get("DeleteObject") == 1200, counter.toString());
        assertEquals(6, remoteKeys().size());
    }

    @Test
    void apply_whenRerun_keepsTheManifestOutOfPrune() {
        deploy();
        deploy();
        List<String> all = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().subscribe(o -> all.add(o.key())).join();
        assertTrue(all.contains(SiteSync.MANIFEST_KEY), all.toString());
        String manifest = get(SiteSync.MANIFEST_KEY);
        assertTrue(manifest.contains("\"index.html\""), manifest);
        assertTrue(manifest.startsWith("{\"format\":\"oneclick-manifest/1\""), manifest);
    }
}
