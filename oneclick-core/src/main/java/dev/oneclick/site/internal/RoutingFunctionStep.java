package dev.oneclick.site.internal;

import static dev.oneclick.Plan.ResourceChange.Action.CREATE;
import static dev.oneclick.Plan.ResourceChange.Action.KEEP;
import static dev.oneclick.Plan.ResourceChange.Action.REPAIR;

import dev.oneclick.DeployRequest;
import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudfront.model.DescribeFunctionResponse;
import software.amazon.awssdk.services.cloudfront.model.FunctionStage;

/**
 * The CloudFront Function of SPA routing {@code ROUTES} ({@link SpaRouting}): route-like paths get the index document,
 * missing files stay errors. Made and published before the distribution, which then associates its LIVE ARN on
 * viewer request; deleted after the distribution on destroy. Its name is derived from the GUID and its comment names
 * the GUID, which is how it is known to be this project's. With routing ALL or NONE nothing is called unless the
 * record says a function exists (so its association is removed).
 */
final class RoutingFunctionStep implements Step {
    static final String TYPE = "CloudFront function";
    static final String RECORD_KEY = "spaFunctionArn";
    private final SiteState s;
    private final ProjectGuid guid;
    private boolean exists;

    RoutingFunctionStep(SiteState s) {
        this.s = s;
        this.guid = ProjectGuid.parse(s.guid);
    }

    @Override
    public Set<String> recordKeys() {
        return Set.of(RECORD_KEY);
    }

    private String name() {
        return SpaRouting.functionName(s.clients.names(), guid);
    }

    private boolean routes() {
        return s.request.routing() == DeployRequest.Routing.ROUTES;
    }

    @Override
    public List<Plan.ResourceChange> plan(Run run) {
        Optional<String> recorded = run.own().getString(RECORD_KEY);
        if (!routes()) {
            s.ownFunctionArn = recorded.orElse(null);
            return List.of();
        }
        SpaRouting.Change change = SpaRouting.plannedChange(s.clients.cloudFront(), s.clients.names(), guid,
                s.request.indexDocument());
        s.functionPending = change != SpaRouting.Change.UNCHANGED;
        if (!s.functionPending) {
            s.functionArn = live().orElse(null);
        }
        return List.of(new Plan.ResourceChange(TYPE, name(), change == SpaRouting.Change.CREATED ? CREATE
                : s.functionPending ? REPAIR : KEEP, "viewer request: route-like paths get /"
                + s.request.indexDocument() + ", missing files stay errors"));
    }

    private Optional<String> live() {
        return SpaRouting.describe(s.clients.cloudFront(), name(), FunctionStage.LIVE)
                .map(d -> d.functionSummary().functionMetadata().functionARN());
    }

    @Override
    public void apply(Run run) {
        if (!routes()) {
            return;
        }
        SpaRouting.Published p = SpaRouting.ensurePublished(s.clients.cloudFront(), s.clients.names(), guid,
                s.request.indexDocument());
        s.functionArn = p.functionArn();
        run.record("CloudFront", "PublishFunction", AwsResources.builder().put(RECORD_KEY, p.functionArn()).build());
        run.noted(TYPE, p.name(), p.change() == SpaRouting.Change.CREATED);
    }

    /** Looks for the function by name (a lost record still finds it); a lookup CloudFront refuses is reported. */
    @Override
    public void planDestroy(Run run) {
        try {
            Optional<DescribeFunctionResponse> dev = SpaRouting.describe(s.clients.cloudFront(), name(),
                    FunctionStage.DEVELOPMENT);
            exists = dev.isPresent();
        } catch (AwsServiceException e) {
            if (run.own().getString(RECORD_KEY).isPresent()) {
                throw e;
            }
            run.progress("Could not look for CloudFront function " + name() + " (" + e.awsErrorDetails().errorCode()
                    + "); if it exists, delete it by hand");
            exists = false;
        }
    }

    @Override
    public void destroy(Run run) {
        if (run.incompleteReason().isPresent()) {
            return;
        }
        if (exists && SpaRouting.delete(s.clients.cloudFront(), s.clients.names(), guid)) {
            run.progress("Deleted CloudFront function " + name());
        }
        run.forget(RECORD_KEY);
    }
}
