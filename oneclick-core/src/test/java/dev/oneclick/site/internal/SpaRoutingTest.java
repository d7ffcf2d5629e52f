package dev.oneclick.site.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oneclick.errors.InvalidNameException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.fakes.FakeCloudFront;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.EventType;
import software.amazon.awssdk.services.cloudfront.model.FunctionAssociation;
import software.amazon.awssdk.services.cloudfront.model.FunctionAssociations;
import software.amazon.awssdk.services.cloudfront.model.FunctionInUseException;
import software.amazon.awssdk.services.cloudfront.model.FunctionRuntime;
import software.amazon.awssdk.services.cloudfront.model.FunctionStage;
import software.amazon.awssdk.services.cloudfront.model.InvalidFunctionAssociationException;
import software.amazon.awssdk.services.cloudfront.model.ViewerProtocolPolicy;

/** The CloudFront Function path of the SPA fallback (routing ROUTES), against the fake and, for its code, node. */
class SpaRoutingTest {
    private static final ProjectGuid GUID = ProjectGuid.parse("3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab");
    private static final ResourceNames NAMES = ResourceNames.defaults();
    private static final String NAME = "tmux-builder-3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab-spa";

    private final FakeCloudFront cf = new FakeCloudFront();

    @TempDir
    Path tmp;

    @Test
    void functionName_whenDefaults_isPrefixGuidSpaWithinCloudFrontsRule() {
        assertEquals(NAME, SpaRouting.functionName(NAMES, GUID));
        assertTrue(NAME.length() <= 64);
        assertThrows(InvalidNameException.class, () -> SpaRouting.functionName(
                ResourceNames.withPrefixes("a-very-long-prefix-for-names", "tmux"), GUID));
        assertEquals("oneclick SPA routing of project " + GUID.value(), SpaRouting.comment(GUID));
    }

    @Test
    void isRouteLike_whenNoExtensionInLastSegment() {
        for (String route : List.of("/", "/about", "/dashboard/settings", "/docs/", "/v1.2/users")) {
            assertTrue(SpaRouting.isRouteLike(route), route);
        }
        for (String file : List.of("/assets/nope.js", "/favicon.ico", "/robots.txt", "/.well-known", "/a/b.c.d")) {
            assertFalse(SpaRouting.isRouteLike(file), file);
        }
    }

    /** Runs the function's JavaScript with node (which the test suite needs anyway, for dynalite). */
    @Test
    void code_whenRunOnViewerRequests_rewritesExactlyTheRouteLikeUris() throws Exception {
        List<String> uris = List.of("/", "/about", "/dashboard/settings", "/docs/", "/v1.2/users", "/assets/nope.js",
                "/assets/app.1a2b3c4d.js", "/favicon.ico", "/.well-known", "/index.html");
        // a viewer-request event as CloudFront passes it; the handler returns the (possibly rewritten) request
        String script = SpaRouting.code("index.html") + "\nvar uris = " + new ObjectMapper().writeValueAsString(uris)
                + ";\nvar out = uris.map(function (u) { return handler({version: '1.0', request: {uri: u, "
                + "method: 'GET', querystring: {v: {value: '1'}}, headers: {}, cookies: {}}}).uri; });\n"
                + "console.log(JSON.stringify(out));\n";
        Path file = tmp.resolve("fn.js");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(node(), file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "node ran");
        assertEquals(0, p.exitValue(), output);
        List<?> rewritten = new ObjectMapper().readValue(output, List.class);
        List<String> expected = new ArrayList<>();
        for (String u : uris) {
            expected.add(SpaRouting.isRouteLike(u) ? "/index.html" : u);
        }
        assertEquals(expected, rewritten);
        assertTrue(SpaRouting.code("app/main.html").contains("request.uri = '/app/main.html';"));
        assertTrue(SpaRouting.code("index.html").getBytes(StandardCharsets.UTF_8).length < 10 * 1024);
    }

    private static String node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "node"))) {
                return Path.of(dir, "node").toString();
            }
        }
        throw new AssertionError("node is not on PATH: the test suite needs Node.js (see README)");
    }

    @Test
    void functionConfigAndAssociations_whenBuilt_useJs2AndViewerRequest() {
        assertEquals(FunctionRuntime.CLOUDFRONT_JS_2_0, SpaRouting.functionConfig(GUID).runtime());
        FunctionAssociations fa = SpaRouting.functionAssociations("arn:fn");
        assertEquals(1, fa.quantity());
        assertEquals(EventType.VIEWER_REQUEST, fa.items().get(0).eventType());
        assertEquals("arn:fn", fa.items().get(0).functionARN());
    }

    @Test
    void merge_whenOtherAssociations_keepsOtherEventsAndReplacesOrRemovesViewerRequest() {
        FunctionAssociation response = FunctionAssociation.builder().eventType(EventType.VIEWER_RESPONSE)
                .functionARN("arn:headers").build();
        FunctionAssociation foreignRequest = FunctionAssociation.builder().eventType(EventType.VIEWER_REQUEST)
                .functionARN("arn:other").build();
        FunctionAssociations current = FunctionAssociations.builder().quantity(2).items(response, foreignRequest)
                .build();
        FunctionAssociations ours = SpaRouting.merge(current, "arn:ours", "arn:ours");
        assertEquals(2, ours.quantity());
        assertEquals(List.of("arn:headers", "arn:ours"), ours.items().stream().map(FunctionAssociation::functionARN)
                .toList());
        FunctionAssociations removed = SpaRouting.merge(ours, null, "arn:ours");
        assertEquals(List.of("arn:headers"), removed.items().stream().map(FunctionAssociation::functionARN).toList());
        assertEquals(0, SpaRouting.merge(null, null, null).quantity());
    }

    @Test
    void ensurePublished_whenNew_createsAndPublishesThenChangesNothingOnRerun() {
        SpaRouting.Published first = SpaRouting.ensurePublished(cf, NAMES, GUID, "index.html");
        assertEquals(SpaRouting.Change.CREATED, first.change());
        assertEquals("arn:aws:cloudfront::" + FakeCloudFront.ACCOUNT + ":function/" + NAME, first.functionArn());
        assertEquals(List.of("DescribeFunction", "CreateFunction", "PublishFunction"), cf.calls());
        assertEquals(SpaRouting.code("index.html"), cf.functionCode(NAME, FunctionStage.LIVE));

        SpaRouting.Published again = SpaRouting.ensurePublished(cf, NAMES, GUID, "index.html");
        assertEquals(SpaRouting.Change.UNCHANGED, again.change());
        assertEquals(first.functionArn(), again.functionArn());
        assertEquals(0, cf.count("UpdateFunction"));
        assertEquals(1, cf.count("PublishFunction"), "a rerun publishes nothing");
    }

    @Test
    void plannedChange_whenStates_predictsEnsurePublishedWithoutWriting() {
        assertEquals(SpaRouting.Change.CREATED, SpaRouting.plannedChange(cf, NAMES, GUID, "index.html"));
        SpaRouting.ensurePublished(cf, NAMES, GUID, "index.html");
        long writes = cf.count("CreateFunction") + cf.count("UpdateFunction") + cf.count("PublishFunction");
        assertEquals(SpaRouting.Change.UNCHANGED, SpaRouting.plannedChange(cf, NAMES, GUID, "index.html"));
        assertEquals(SpaRouting.Change.UPDATED, SpaRouting.plannedChange(cf, NAMES, GUID, "main.html"));
        assertEquals(writes, cf.count("CreateFunction") + cf.count("UpdateFunction") + cf.count("PublishFunction"),
                "planning writes nothing");
    }

    @Test
    void ensurePublished_whenIndexDocumentChanges_updatesWithIfMatchAndPublishes() {
        SpaRouting.ensurePublished(cf, NAMES, GUID, "index.html");
        SpaRouting.Published p = SpaRouting.ensurePublished(cf, NAMES, GUID, "main.html");
        assertEquals(SpaRouting.Change.UPDATED, p.change());
        assertTrue(cf.functionCode(NAME, FunctionStage.LIVE).contains("'/main.html'"));
        assertEquals(2, cf.count("PublishFunction"));
    }

    @Test
    void ensurePublished_whenDevelopmentNewerThanLive_publishesIt() {
        String etag = cf.createFunction(r -> r.name(NAME).functionConfig(SpaRouting.functionConfig(GUID))
                .functionCode(software.amazon.awssdk.core.SdkBytes.fromUtf8String(SpaRouting.code("index.html"))))
                .eTag();
        assertNull(cf.functionCode(NAME, FunctionStage.LIVE));
        assertTrue(etag != null && !etag.isEmpty());
        SpaRouting.Published p = SpaRouting.ensurePublished(cf, NAMES, GUID, "index.html");
        assertEquals(SpaRouting.Change.PUBLISHED, p.change());
        assertEquals(SpaRouting.code("index.html"), cf.functionCode(NAME, FunctionStage.LIVE));
    }

    @Test
    void ensurePublishedAndDelete_whenFunctionOfAnotherProject_refuseAndLeaveItUntouched() {
        cf.addForeignFunction(NAME, "someone else's function", "function handler(e) { return e.request; }");
        OneclickException e = assertThrows(OneclickException.class,
                () -> SpaRouting.ensurePublished(cf, NAMES, GUID, "index.html"));
        assertTrue(e.getMessage().contains("so it is not project"), e.getMessage());
        assertThrows(OneclickException.class, () -> SpaRouting.delete(cf, NAMES, GUID));
        assertEquals(List.of(NAME), cf.functionNames());
        assertEquals(0, cf.count("UpdateFunction") + cf.count("DeleteFunction"));
    }

    @Test
    void distribution_whenAssociatedWithThePublishedFunction_acceptsItAndDeleteWaitsUntilDisassociated() {
        String arn = SpaRouting.ensurePublished(cf, NAMES, GUID, "index.html").functionArn();
        String oac = cf.createOriginAccessControl(r -> r.originAccessControlConfig(c -> c.name("oac")
                .signingProtocol("sigv4").signingBehavior("always").originAccessControlOriginType("s3")))
                .originAccessControl().id();
        DistributionConfig base = config(oac);
        DistributionConfig routed = base.toBuilder().defaultCacheBehavior(SpaRouting.withRouting(
                base.defaultCacheBehavior(), arn, arn)).build();
        String id = cf.createDistribution(r -> r.distributionConfig(routed)).distribution().id();
        assertEquals(arn, cf.config(id).defaultCacheBehavior().functionAssociations().items().get(0).functionARN());

        assertThrows(FunctionInUseException.class, () -> SpaRouting.delete(cf, NAMES, GUID));
        String etag = cf.getDistributionConfig(r -> r.id(id)).eTag();
        DistributionConfig unrouted = routed.toBuilder().defaultCacheBehavior(SpaRouting.withRouting(
                routed.defaultCacheBehavior(), null, arn)).build();
        cf.updateDistribution(r -> r.id(id).ifMatch(etag).distributionConfig(unrouted));
        assertTrue(SpaRouting.delete(cf, NAMES, GUID));
        assertEquals(List.of(), cf.functionNames());
        assertFalse(SpaRouting.delete(cf, NAMES, GUID), "deleting again finds nothing");
    }

    @Test
    void distribution_whenFunctionNotPublished_isRefused() {
        cf.createFunction(r -> r.name(NAME).functionConfig(SpaRouting.functionConfig(GUID))
                .functionCode(software.amazon.awssdk.core.SdkBytes.fromUtf8String(SpaRouting.code("index.html"))));
        String arn = "arn:aws:cloudfront::" + FakeCloudFront.ACCOUNT + ":function/" + NAME;
        String oac = cf.createOriginAccessControl(r -> r.originAccessControlConfig(c -> c.name("oac")
                .signingProtocol("sigv4").signingBehavior("always").originAccessControlOriginType("s3")))
                .originAccessControl().id();
        DistributionConfig base = config(oac);
        DistributionConfig routed = base.toBuilder().defaultCacheBehavior(base.defaultCacheBehavior().toBuilder()
                .functionAssociations(SpaRouting.functionAssociations(arn)).build()).build();
        assertThrows(InvalidFunctionAssociationException.class,
                () -> cf.createDistribution(r -> r.distributionConfig(routed)));
    }

    /** A minimal distribution with one S3 origin (OAC) and the default behaviour, as CloudFront accepts it. */
    private static DistributionConfig config(String oacId) {
        return DistributionConfig.builder().callerReference("ref-spa").comment("tmux-builder-" + GUID.value())
                .enabled(true).defaultRootObject("index.html")
                .origins(o -> o.quantity(1).items(software.amazon.awssdk.services.cloudfront.model.Origin.builder()
                        .id("s3").domainName("bucket.s3.us-east-1.amazonaws.com").originAccessControlId(oacId)
                        .s3OriginConfig(s -> s.originAccessIdentity("")).build()))
                .defaultCacheBehavior(d -> d.targetOriginId("s3")
                        .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS).compress(true)
                        .cachePolicyId("658327ea-f89d-4fab-a63d-7e88639e58f6"))
                .build();
    }
}
