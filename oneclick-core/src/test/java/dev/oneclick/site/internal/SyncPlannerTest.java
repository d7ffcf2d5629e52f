package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.Plan.FileChange;
import dev.oneclick.Plan.FileChange.Reason;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.site.CacheRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sync's decisions from a site snapshot and a bucket's state, without S3. */
class SyncPlannerTest {
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String BUCKET = "bucket";

    private static SiteFile file(String key, String sha, String contentType, String cacheControl) {
        return new SiteFile(key, Path.of("/site", key), 10, sha, contentType, cacheControl);
    }

    private static SiteFile page(String key, String sha) {
        return file(key, sha, HTML, CacheRules.NO_CACHE);
    }

    private static SiteSnapshot site(SiteFile... files) {
        List<SiteFile> sorted = new ArrayList<>(List.of(files));
        sorted.sort((a, b) -> a.key().compareTo(b.key()));
        return new SiteSnapshot(Path.of("/site"), sorted);
    }

    /** A bucket holding {@code files} as uploaded by oneclick: listed, with matching manifest entries. */
    private static RemoteState holding(SiteFile... files) {
        Map<String, RemoteState.Listed> listing = new HashMap<>();
        Map<String, Manifest.Entry> manifest = new HashMap<>();
        for (SiteFile f : files) {
            listing.put(f.key(), new RemoteState.Listed("etag-" + f.key(), f.size()));
            manifest.put(f.key(), new Manifest.Entry(f.sha256(), f.size(), "\"etag-" + f.key() + "\"",
                    f.contentType(), f.cacheControl()));
        }
        return new RemoteState(listing, manifest);
    }

    private static SyncPlan plan(SiteSnapshot site, RemoteState held, boolean prune, int maxDeletes) {
        return SyncPlanner.plan(BUCKET, site, prune, maxDeletes, held, Map.of());
    }

    @Test
    void plan_whenBucketEmpty_uploadsEveryFileAsNewAssetsFirstAndInvalidatesNothing() {
        SiteSnapshot site = site(page("index.html", "a"), file("assets/app.3f9a1c2b.js", "b", JS, CacheRules.IMMUTABLE));

        SyncPlan plan = plan(site, RemoteState.EMPTY, true, 0);

        assertEquals(List.of(new FileChange("assets/app.3f9a1c2b.js", 10, Reason.NEW),
                new FileChange("index.html", 10, Reason.NEW)), plan.uploads());
        assertEquals(List.of(), plan.headerUpdates());
        assertEquals(List.of(), plan.deletes());
        assertEquals(0, plan.unchanged());
        assertEquals(List.of(), plan.invalidationPaths());
    }

    @Test
    void plan_whenOnlyHashChanged_uploadsItAsChangedAndInvalidatesPageAndRoot() {
        SiteFile about = page("about.html", "same");
        RemoteState held = holding(page("index.html", "old"), about);

        SyncPlan plan = plan(site(page("index.html", "new"), about), held, true, 0);

        assertEquals(List.of(new FileChange("index.html", 10, Reason.CHANGED)), plan.uploads());
        assertEquals(1, plan.unchanged());
        assertEquals(List.of("/", "/index.html"), plan.invalidationPaths());
        assertTrue(plan.unchangedFiles().contains(about));
        assertEquals("etag-about.html", plan.listedEtags.get("about.html"));
    }

    @Test
    void plan_whenImmutableAssetChanged_uploadsItWithoutInvalidation() {
        RemoteState held = holding(page("index.html", "a"), file("app.3f9a1c2b.js", "old", JS, CacheRules.IMMUTABLE));

        SyncPlan plan = plan(site(page("index.html", "a"), file("app.3f9a1c2b.js", "new", JS, CacheRules.IMMUTABLE)),
                held, true, 0);

        assertEquals(List.of(new FileChange("app.3f9a1c2b.js", 10, Reason.CHANGED)), plan.uploads());
        assertEquals(List.of(), plan.invalidationPaths());
    }

    @Test
    void plan_whenOnlyCacheControlChanged_updatesHeadersWithoutUpload() {
        RemoteState held = holding(page("index.html", "a"), file("data.json", "d", "application/json", "no-cache"));

        SyncPlan plan = plan(site(page("index.html", "a"), file("data.json", "d", "application/json", "max-age=60")),
                held, true, 0);

        assertEquals(List.of(), plan.uploads());
        assertEquals(List.of(new FileChange("data.json", 10, Reason.HEADERS)), plan.headerUpdates());
        assertEquals(1, plan.unchanged());
        assertEquals(List.of("/data.json"), plan.invalidationPaths());
    }

    @Test
    void plan_whenContentTypeDiffersOnlyInSpacingAndCase_leavesFileUnchanged() {
        RemoteState held = holding(file("index.html", "a", "text/html;charset=UTF-8", CacheRules.NO_CACHE));

        SyncPlan plan = plan(site(page("index.html", "a")), held, true, 0);

        assertTrue(plan.isEmpty());
        assertEquals(1, plan.unchanged());
    }

    @Test
    void plan_whenManifestEntryNotConfirmedByListing_usesHeadResult() {
        SiteFile index = page("index.html", "a");
        RemoteState held = holding(index);
        // Overwritten by hand: the listing shows another ETag than the manifest recorded.
        held.listing().put("index.html", new RemoteState.Listed("other", 10));
        assertEquals(List.of(index), SyncPlanner.unconfirmed(site(index), held));

        SyncPlan fromHead = SyncPlanner.plan(BUCKET, site(index), true, 0, held, Map.of("index.html",
                new Manifest.Entry("a", 10, "other", HTML, CacheRules.NO_CACHE)));
        SyncPlan withoutHead = SyncPlanner.plan(BUCKET, site(index), true, 0, held, Map.of());

        assertTrue(fromHead.isEmpty());
        assertEquals(List.of(new FileChange("index.html", 10, Reason.CHANGED)), withoutHead.uploads());
        assertEquals(List.of("/", "/index.html"), withoutHead.invalidationPaths());
    }

    @Test
    void plan_whenPruneWouldDeleteMoreThanMaxDeletes_throwsSayingHowMany() {
        SiteFile index = page("index.html", "a");
        RemoteState held = holding(index, page("old1.html", "x"), page("old2.html", "y"), page("old3.html", "z"));
        held.listing().put(Manifest.KEY, new RemoteState.Listed("m", 5));
        held.listing().put("folder/", new RemoteState.Listed("f", 0));

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> plan(site(index), held, true, 2));

        assertEquals("maxDeletes", e.field());
        assertTrue(e.getMessage().contains("Pruning would delete 3 objects"), e.getMessage());
        assertTrue(e.getMessage().contains("raise maxDeletes to at least 3"), e.getMessage());
        SyncPlan atLimit = plan(site(index), held, true, 3);
        assertEquals(List.of("old1.html", "old2.html", "old3.html"), atLimit.deletes());
        assertEquals(List.of("/old1.html", "/old2.html", "/old3.html"), atLimit.invalidationPaths());
    }

    @Test
    void plan_whenPruneOff_keepsConfirmedEntriesOfExtraKeys() {
        SiteFile index = page("index.html", "a");
        RemoteState held = holding(index, page("old.html", "x"));

        SyncPlan plan = plan(site(index), held, false, 0);

        assertEquals(List.of(), plan.deletes());
        assertEquals(held.manifest().get("old.html"), plan.keptEntries.get("old.html"));
    }

    @Test
    void plan_whenMaxDeletesNegative_throws() {
        assertEquals("maxDeletes", assertThrows(InvalidInputException.class,
                () -> plan(site(page("index.html", "a")), RemoteState.EMPTY, true, -1)).field());
    }

    @Test
    void plan_whenMoreThan15PathsToInvalidate_foldsThemIntoWildcard() {
        List<SiteFile> before = new ArrayList<>();
        List<SiteFile> after15 = new ArrayList<>();
        List<SiteFile> after16 = new ArrayList<>();
        before.add(page("index.html", "a"));
        after15.add(page("index.html", "a"));
        after16.add(page("index.html", "a"));
        for (int i = 1; i <= 16; i++) {
            String key = "p" + (i < 10 ? "0" : "") + i + ".html";
            before.add(page(key, "old"));
            after15.add(page(key, i <= 15 ? "new" : "old"));
            after16.add(page(key, "new"));
        }
        RemoteState held = holding(before.toArray(SiteFile[]::new));

        SyncPlan fifteen = plan(site(after15.toArray(SiteFile[]::new)), held, true, 0);
        SyncPlan sixteen = plan(site(after16.toArray(SiteFile[]::new)), held, true, 0);

        assertEquals(SyncPlanner.MAX_INVALIDATION_PATHS, fifteen.invalidationPaths().size());
        assertEquals("/p01.html", fifteen.invalidationPaths().get(0));
        assertEquals(16, sixteen.uploads().size());
        assertEquals(List.of("/*"), sixteen.invalidationPaths());
    }

    @Test
    void plan_whenKeyHasSpaceOrUnicode_invalidatesTheEncodedPath() {
        RemoteState held = holding(page("index.html", "a"), page("my page/\u00fc.html", "old"));

        SyncPlan plan = plan(site(page("index.html", "a"), page("my page/\u00fc.html", "new")), held, true, 0);

        assertEquals(List.of("/my%20page/%C3%BC.html"), plan.invalidationPaths());
    }
}
