package dev.oneclick.site.internal;

import dev.oneclick.errors.InvalidNameException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.errors.ResourceNotOwnedException;
import dev.oneclick.internal.aws.DistributionConfigs;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.site.IndexDocument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DefaultCacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.DescribeFunctionResponse;
import software.amazon.awssdk.services.cloudfront.model.EventType;
import software.amazon.awssdk.services.cloudfront.model.FunctionAssociation;
import software.amazon.awssdk.services.cloudfront.model.FunctionAssociations;
import software.amazon.awssdk.services.cloudfront.model.FunctionConfig;
import software.amazon.awssdk.services.cloudfront.model.FunctionRuntime;
import software.amazon.awssdk.services.cloudfront.model.FunctionStage;
import software.amazon.awssdk.services.cloudfront.model.FunctionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetFunctionResponse;
import software.amazon.awssdk.services.cloudfront.model.NoSuchFunctionExistsException;

/**
 * The SPA fallback on CloudFront for {@code DeployRequest.Routing.ROUTES}: a CloudFront Function on the default cache
 * behaviour's viewer-request event rewrites a route-like path (no file extension in its last segment, such as
 * {@code /dashboard/settings} or {@code /docs/}) to the index document, so a client-side route gets the page while a
 * missing file ({@code /assets/nope.js}) reaches the bucket and is answered with an error instead of HTML with 200.
 * With ROUTES the distribution has no 403/404 custom error responses to the index document (those are
 * {@code DeployRequest.Routing.ALL}).
 *
 * <p>The function is named after the project ({@code {prefix}-{guid}-spa}) and its comment carries the GUID, by which
 * ownership is checked before it is changed or deleted. CloudFront keeps a DEVELOPMENT and a LIVE stage: create and
 * update change DEVELOPMENT (each write returns a new ETag, updates and deletes need it as {@code If-Match}), publish
 * copies DEVELOPMENT to LIVE, and a distribution can only use the LIVE function's ARN. This class builds the SDK
 * objects and makes these calls; the deploy engine decides when (see {@link #ensurePublished}, {@link #delete}).
 * Stateless and thread-safe.
 */
public final class SpaRouting {
    /** CloudFront Function names: 1-64 of letters, digits, hyphens and underscores. */
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** The comment of the function: the GUID, by which it is known to be this project's. */
    static final String COMMENT_PREFIX = "oneclick SPA routing of project ";

    private SpaRouting() {
    }

    /** The function's name for {@code guid}: {@code {prefix}-{guid}-spa}, checked against CloudFront's rule. */
    public static String functionName(ResourceNames names, ProjectGuid guid) {
        String name = names.prefix() + "-" + guid.value() + "-spa";
        if (!FUNCTION_NAME.matcher(name).matches()) {
            throw new InvalidNameException("prefix", "CloudFront function", name,
                    "1-64 characters, letters, digits, hyphens and underscores");
        }
        return name;
    }

    /** The function's comment, naming the project (CloudFront: at most 128 characters). */
    public static String comment(ProjectGuid guid) {
        return COMMENT_PREFIX + guid.value();
    }

    /**
     * Whether a path is route-like, so ROUTES rewrites it to the index document: its last segment (after the last
     * {@code /}) has no {@code .}. {@code /}, {@code /about}, {@code /docs/} are; {@code /assets/app.js},
     * {@code /favicon.ico}, {@code /.well-known} are not. The JavaScript of {@link #code} applies the same rule.
     */
    public static boolean isRouteLike(String uri) {
        if (uri == null) {
            return false;
        }
        return uri.substring(uri.lastIndexOf('/') + 1).indexOf('.') < 0;
    }

    /**
     * The function's JavaScript (runtime cloudfront-js-2.0): a route-like URI becomes {@code /{indexDocument}}, every
     * other request passes unchanged (query strings are kept: they are not part of {@code request.uri}).
     */
    public static String code(String indexDocument) {
        String index = IndexDocument.check(Objects.requireNonNull(indexDocument, "indexDocument"));
        if (index == null) {
            throw new IllegalArgumentException("A site without an index document has no SPA routing");
        }
        return "// oneclick SPA routing: client-side routes get the index document, missing files stay errors.\n"
                + "function handler(event) {\n"
                + "    var request = event.request;\n"
                + "    var uri = request.uri;\n"
                + "    var last = uri.substring(uri.lastIndexOf('/') + 1);\n"
                + "    if (last.indexOf('.') === -1) {\n"
                + "        request.uri = '/" + jsString(index) + "';\n"
                + "    }\n"
                + "    return request;\n"
                + "}\n";
    }

    /** The function's configuration: its comment (the GUID) and the runtime. */
    public static FunctionConfig functionConfig(ProjectGuid guid) {
        return FunctionConfig.builder().comment(comment(guid)).runtime(FunctionRuntime.CLOUDFRONT_JS_2_0).build();
    }

    /** The default cache behaviour's function associations: only this function, on viewer request. */
    public static FunctionAssociations functionAssociations(String functionArn) {
        return FunctionAssociations.builder().quantity(1).items(FunctionAssociation.builder()
                .eventType(EventType.VIEWER_REQUEST).functionARN(functionArn).build()).build();
    }

    /**
     * {@code current}'s associations with this project's function on viewer request ({@code functionArn}), or
     * without it when {@code functionArn} is null (routing ALL or NONE); associations on other events are kept, and a
     * viewer-request association to another function is replaced (a behaviour has one per event).
     *
     * @param ownArn this project's function ARN, to remove when {@code functionArn} is null (may be null)
     */
    public static FunctionAssociations merge(FunctionAssociations current, String functionArn, String ownArn) {
        return DistributionConfigs.mergeFunctions(current, functionArn, ownArn);
    }

    /** {@code current} with {@link #merge}d function associations. */
    public static DefaultCacheBehavior withRouting(DefaultCacheBehavior current, String functionArn, String ownArn) {
        return DistributionConfigs.withRouting(current, functionArn, ownArn);
    }

    /** What {@link #ensurePublished} did. */
    public enum Change {
        CREATED,
        UPDATED,
        PUBLISHED,
        UNCHANGED
    }

    /** The LIVE function's ARN, and what was done to get there. */
    public record Published(String name, String functionArn, Change change) {
    }

    /**
     * Makes this project's function exist with the code for {@code indexDocument} and be published, changing
     * nothing when DEVELOPMENT and LIVE already hold that code: DescribeFunction (DEVELOPMENT), then CreateFunction
     * when missing, or GetFunction and UpdateFunction (If-Match) when its code or configuration differ, then
     * PublishFunction (If-Match) when LIVE is missing or differs.
     *
     * @throws OneclickException when a function of that name exists whose comment names another project (it is left
     *     untouched)
     */
    public static Published ensurePublished(CloudFrontClient cf, ResourceNames names, ProjectGuid guid,
            String indexDocument) {
        String name = functionName(names, guid);
        SdkBytes code = SdkBytes.fromString(code(indexDocument), StandardCharsets.UTF_8);
        FunctionConfig config = functionConfig(guid);
        Optional<DescribeFunctionResponse> dev = describe(cf, name, FunctionStage.DEVELOPMENT);
        Change change;
        String etag;
        if (dev.isEmpty()) {
            etag = cf.createFunction(r -> r.name(name).functionConfig(config).functionCode(code)).eTag();
            change = Change.CREATED;
        } else {
            checkOwned(dev.get().functionSummary(), guid);
            GetFunctionResponse current = cf.getFunction(r -> r.name(name).stage(FunctionStage.DEVELOPMENT));
            etag = current.eTag();
            if (!same(current.functionCode(), code) || !sameConfig(dev.get().functionSummary().functionConfig(),
                    config)) {
                String ifMatch = etag;
                etag = cf.updateFunction(r -> r.name(name).ifMatch(ifMatch).functionConfig(config)
                        .functionCode(code)).eTag();
                change = Change.UPDATED;
            } else {
                change = Change.UNCHANGED;
            }
        }
        Optional<DescribeFunctionResponse> live = change == Change.UNCHANGED
                ? describe(cf, name, FunctionStage.LIVE) : Optional.empty();
        boolean liveCurrent = live.isPresent()
                && same(cf.getFunction(r -> r.name(name).stage(FunctionStage.LIVE)).functionCode(), code);
        if (!liveCurrent) {
            String ifMatch = etag;
            FunctionSummary published = cf.publishFunction(r -> r.name(name).ifMatch(ifMatch)).functionSummary();
            return new Published(name, published.functionMetadata().functionARN(),
                    change == Change.UNCHANGED ? Change.PUBLISHED : change);
        }
        return new Published(name, live.get().functionSummary().functionMetadata().functionARN(), change);
    }

    /**
     * What {@link #ensurePublished} would do, changing nothing (for the plan): CREATED when the function is missing,
     * UPDATED when its DEVELOPMENT code or configuration differ, PUBLISHED when only LIVE is missing or differs,
     * UNCHANGED otherwise.
     *
     * @throws OneclickException when the function of that name belongs to another project
     */
    public static Change plannedChange(CloudFrontClient cf, ResourceNames names, ProjectGuid guid,
            String indexDocument) {
        String name = functionName(names, guid);
        SdkBytes code = SdkBytes.fromString(code(indexDocument), StandardCharsets.UTF_8);
        Optional<DescribeFunctionResponse> dev = describe(cf, name, FunctionStage.DEVELOPMENT);
        if (dev.isEmpty()) {
            return Change.CREATED;
        }
        checkOwned(dev.get().functionSummary(), guid);
        if (!same(cf.getFunction(r -> r.name(name).stage(FunctionStage.DEVELOPMENT)).functionCode(), code)
                || !sameConfig(dev.get().functionSummary().functionConfig(), functionConfig(guid))) {
            return Change.UPDATED;
        }
        if (describe(cf, name, FunctionStage.LIVE).isEmpty()
                || !same(cf.getFunction(r -> r.name(name).stage(FunctionStage.LIVE)).functionCode(), code)) {
            return Change.PUBLISHED;
        }
        return Change.UNCHANGED;
    }

    /**
     * Deletes this project's function, if it exists (after no distribution uses it any more: CloudFront refuses
     * with FunctionInUse while one does).
     *
     * @return whether a function was deleted
     * @throws OneclickException when the function of that name belongs to another project (left untouched)
     */
    public static boolean delete(CloudFrontClient cf, ResourceNames names, ProjectGuid guid) {
        String name = functionName(names, guid);
        Optional<DescribeFunctionResponse> dev = describe(cf, name, FunctionStage.DEVELOPMENT);
        if (dev.isEmpty()) {
            return false;
        }
        checkOwned(dev.get().functionSummary(), guid);
        cf.deleteFunction(r -> r.name(name).ifMatch(dev.get().eTag()));
        return true;
    }

    /** The function's description at {@code stage}, empty when CloudFront has none (NoSuchFunctionExists). */
    public static Optional<DescribeFunctionResponse> describe(CloudFrontClient cf, String name, FunctionStage stage) {
        try {
            return Optional.of(cf.describeFunction(r -> r.name(name).stage(stage)));
        } catch (NoSuchFunctionExistsException e) {
            return Optional.empty();
        }
    }

    private static void checkOwned(FunctionSummary summary, ProjectGuid guid) {
        String comment = summary.functionConfig() == null ? null : summary.functionConfig().comment();
        if (!comment(guid).equals(comment)) {
            throw new ResourceNotOwnedException("CloudFront function", summary.name(), null, "CloudFront function "
                    + summary.name() + " has the comment '" + comment + "', not '" + comment(guid) + "', so it is not "
                    + "project " + guid.value() + "'s. oneclick changed and deleted nothing on it. Delete or rename it "
                    + "if it is a leftover, or use another resource name prefix.");
        }
    }

    private static boolean same(SdkBytes a, SdkBytes b) {
        return a != null && b != null && a.asByteBuffer().equals(b.asByteBuffer());
    }

    private static boolean sameConfig(FunctionConfig current, FunctionConfig wanted) {
        return current != null && Objects.equals(current.comment(), wanted.comment())
                && Objects.equals(current.runtime(), wanted.runtime());
    }

    /** Escapes a value for a single-quoted JavaScript string. */
    private static String jsString(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\'' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
