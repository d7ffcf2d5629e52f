package dev.oneclick.stack.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.Step;
import dev.oneclick.internal.aws.ApiOrigins;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.site.internal.SiteClients;
import dev.oneclick.site.internal.StaticSite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The full-stack deploy kind as a list of steps, in DESIGN.md's order: the kind marker, image repository and image,
 * log group, network, load balancer, database, execution role (it reads the database's secret), cluster, task
 * definition, service, rollout, then the
 * static site's steps for the frontend, and {@code apiUrl}. Without a frontend (no site folder, no build command, no
 * dist/ or build/ in the project) and with the CDN on, the static site is a generated placeholder page
 * ({@link PlaceholderSite}): the load balancer answers only CloudFront, so the stack always gets the bucket and the
 * distribution, whose {@code /api/*} goes to the load balancer. Destroy runs the steps in reverse. One instance serves
 * one run; {@link #close()} deletes the placeholder's temporary folder.
 */
public final class FullStack implements AutoCloseable {
    /** The record key that tells destroy which kind's steps to run. */
    public static final String DEPLOY_KIND_KEY = "deployKind";
    /** {@link #DEPLOY_KIND_KEY}'s value for this kind. */
    public static final String DEPLOY_KIND = "fullStack";

    /** Deletes of security groups and target groups still in use: tried this often, this far apart (5 minutes). */
    static final int DELETE_ATTEMPTS = 20;
    static final Duration DELETE_DELAY = Duration.ofSeconds(15);
    /** How long a deploy waits for a new database, and a destroy for its deletion. */
    static final Duration DB_AVAILABLE_TIMEOUT = Duration.ofMinutes(40);
    static final Duration DB_DELETE_TIMEOUT = Duration.ofMinutes(30);

    private final StackState s;
    private final StaticSite frontend;
    private final PlaceholderSite placeholder;
    private final List<Step> steps = new ArrayList<>();

    private FullStack(StackClients clients, StaticSite frontend, PlaceholderSite placeholder, ProjectGuid guid,
            DeployRequest request) {
        clients.names().checkFullStack(guid);
        this.s = new StackState(clients, request, guid);
        this.frontend = frontend;
        this.placeholder = placeholder;
        steps.add(new DeployKindStep());
        steps.addAll(imageSteps(s));
        steps.add(new LogGroupStep(s));
        steps.addAll(networkSteps(s));
        steps.addAll(loadBalancerSteps(s));
        steps.addAll(databaseSteps(s));
        steps.addAll(computeSteps(s));
        if (frontend != null) {
            frontend.apiOrigin(() -> apiOrigin(s));
            steps.addAll(frontend.steps());
            steps.add(new ApiUrlStep());
        }
    }

    /**
     * The load balancer as the distribution's {@code /api/*} origin; while the load balancer or its rule is still to
     * be made (a plan), a placeholder that differs from any distribution's config, so the plan says the
     * distribution changes.
     */
    private static ApiOrigins.Api apiOrigin(StackState s) {
        return new ApiOrigins.Api(s.albDnsName != null ? s.albDnsName : "load-balancer.invalid",
                s.originSecret != null ? s.originSecret : "(made when the listener rule is created)");
    }

    /**
     * The kind for a plan or deploy of {@code request} (a full-stack request: its backend is set). Without a frontend
     * and with the CDN on, writes the placeholder page into a temporary folder ({@link #close()} deletes it).
     */
    public static FullStack forDeploy(StackClients clients, SiteClients site, ProjectGuid guid, DeployRequest request,
            DeployListener listener) {
        if (PlaceholderSite.hasFrontend(request)) {
            return new FullStack(clients, StaticSite.forDeploy(site, guid, request, listener), null, guid, request);
        }
        if (!site.cdnEnabled()) {
            return new FullStack(clients, null, null, guid, request);
        }
        PlaceholderSite placeholder = PlaceholderSite.write(request);
        try {
            StaticSite page = StaticSite.forDeploy(site, guid, placeholder.siteRequest(request), listener);
            return new FullStack(clients, page, placeholder, guid, request);
        } catch (RuntimeException e) {
            placeholder.close();
            throw e;
        }
    }

    /** The kind for a destroy: everything is found by record, name and tags, the frontend's resources too. */
    public static FullStack forDestroy(StackClients clients, SiteClients site, ProjectGuid guid,
            boolean skipFinalSnapshot, DeployListener listener) {
        DeployRequest none = DeployRequest.builder().guid(guid.value()).userId("destroy").build();
        FullStack stack = new FullStack(clients, StaticSite.forDestroy(site, guid, listener), null, guid,
                none);
        stack.s.skipFinalSnapshot = skipFinalSnapshot;
        return stack;
    }

    /** Whether a record written by a deploy of this kind says so. */
    public static boolean recordedIn(AwsResources own) {
        return own.getString(DEPLOY_KIND_KEY).filter(DEPLOY_KIND::equals).isPresent();
    }

    /** Repository and image. */
    private static List<Step> imageSteps(StackState s) {
        return List.of(new RepositoryStep(s), new ImageStep(s));
    }

    /** Network: the default VPC's public subnets (or the given ones) and the three security groups (stack-b). */
    private static List<Step> networkSteps(StackState s) {
        return List.of(new NetworkStep(s, new Ec2Calls(s.clients.ec2(), s.clients.call(), DELETE_ATTEMPTS,
                DELETE_DELAY)));
    }

    /** Load balancer, target group and listener, reachable only from CloudFront (stack-b). */
    private static List<Step> loadBalancerSteps(StackState s) {
        return List.of(new LoadBalancerStep(s, new ElbCalls(s.clients.elb(), s.clients.call(), DELETE_ATTEMPTS,
                DELETE_DELAY)));
    }

    /** The database and its secret, when the backend asks for one (stack-b). */
    private static List<Step> databaseSteps(StackState s) {
        if (s.backend != null && s.backend.database() == null) {
            return List.of();
        }
        return List.of(new DatabaseStep(s, new RdsCalls(s.clients.rds(), s.clients.call(), s.clients.pollInterval()),
                DB_AVAILABLE_TIMEOUT, DB_DELETE_TIMEOUT));
    }

    /**
     * Execution role (after the database: it may read the database's secret), cluster, task definition, service and
     * the rollout check.
     */
    private static List<Step> computeSteps(StackState s) {
        return List.of(new ExecutionRoleStep(s), new ClusterStep(s), new TaskDefinitionStep(s), new ServiceStep(s),
                new RolloutStep(s));
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /**
     * Checks the image source (and, with a frontend, runs its build when {@code build} and hashes it) before anything
     * is written.
     */
    public void prepare(DeployListener listener, boolean build) {
        ImageBuild.check(s.backend.image());
        if (placeholder != null) {
            listener.progress(new DeployListener.Progress(s.guid, "No frontend (no site folder, no build command, no "
                    + "dist/ or build/): the distribution serves a generated placeholder page at / (written to "
                    + placeholder.dir() + ") and sends /api/* to the load balancer."));
        }
        if (frontend != null) {
            frontend.prepare(listener, build);
        }
    }

    /** The plan: every resource's change (the image's digest in its detail) and, with a frontend, its file sync. */
    public Plan plan(List<Plan.ResourceChange> changes) {
        if (frontend != null) {
            return frontend.plan(changes);
        }
        return new Plan(s.guid, null, changes, List.of(), List.of(), List.of(), 0, List.of());
    }

    /** What the deploy did; the URL is the frontend's, else the load balancer's. */
    public Deployment deployment(Run run, Plan plan, Duration took) {
        if (frontend != null) {
            return frontend.deployment(run, plan, took);
        }
        AwsResources shown = run.startRecord().map(r -> r.awsResources()).orElse(AwsResources.empty())
                .merge(run.own());
        String url = s.albDnsName != null ? "http://" + s.albDnsName : null;
        return new Deployment(s.guid, shown, plan, run.created(), run.reused(), 0, 0, 0, 0, 0, null, List.of(), url,
                took);
    }

    /** Whether the destroy found nothing at all of the project. */
    public boolean foundNothing() {
        return !s.foundAny && (frontend == null || frontend.foundNothing());
    }

    /** Ends the frontend's background reads and deletes the placeholder page's temporary folder, if any. */
    @Override
    public void close() {
        if (frontend != null) {
            frontend.close();
        }
        if (placeholder != null) {
            placeholder.close();
        }
    }
}
