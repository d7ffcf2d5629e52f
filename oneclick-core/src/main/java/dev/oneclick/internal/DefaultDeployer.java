package dev.oneclick.internal;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.Deployment;
import dev.oneclick.Plan;
import dev.oneclick.engine.internal.ProjectRecords;
import dev.oneclick.engine.internal.Run;
import dev.oneclick.engine.internal.SafeListener;
import dev.oneclick.engine.internal.StepEngine;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.errors.ProjectNotFoundException;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.site.internal.SiteClients;
import dev.oneclick.site.internal.StaticSite;
import dev.oneclick.stack.internal.FullStack;
import dev.oneclick.stack.internal.StackClients;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The {@link Deployer} facade: validates a request, then hands its kind's steps (the static site's, or the full
 * stack's: {@link DeployKind}) to the
 * {@link StepEngine}, which holds the project's lease, records every resource as soon as it exists, and (with the
 * steps) refuses to change anything that is not the project's. Plans take no lease and write nothing.
 *
 * <p>Thread-safe: one instance serves any number of deploys (of different projects) at once. Obtain one through
 * {@link Deployer#builder()}, or through {@link #builder()} for the extra hooks of {@link DeployerBuilder} (injected SDK
 * clients, as the Maven plugin's local target uses).
 */
public final class DefaultDeployer implements Deployer {
    private final String region;
    private final ResourceNames names;
    private final DeployListener listener;
    private final boolean cdnEnabled;
    private final SiteClients site;
    private final StackClients stack;
    private final ProjectRecords records;
    private final StepEngine engine;
    private final List<AutoCloseable> owned;

    DefaultDeployer(DeployerBuilder b, String region, SiteClients site, StackClients stack, ProjectRecords records,
            List<AutoCloseable> owned) {
        this.region = region;
        this.names = b.names;
        this.listener = new SafeListener(b.listener);
        this.cdnEnabled = b.cdnEnabled;
        this.site = site;
        this.stack = stack;
        this.records = records;
        this.engine = new StepEngine(records, b.leaseDuration, b.lockWait);
        this.owned = owned;
    }

    /** A builder with the public settings of {@link Deployer.Builder} and the internal hooks. */
    public static DeployerBuilder builder() {
        return new DeployerBuilder();
    }

    /** The region resources are created in. */
    public String region() {
        return region;
    }

    // ================================================================ plan / deploy

    @Override
    public Plan plan(DeployRequest request) {
        Ctx c = validate(request);
        site.prestart().run();
        try (DeployKind kind = prepared(c, c.request.planBuild())) {
            checkOwner(c.guid, c.userId);
            return engine.readOnly(project(c), run -> planned(run, kind).plan);
        }
    }

    /**
     * The request's kind with its inputs checked (the build run when {@code build}, the site folder hashed, the image
     * source found): input checks that come before any write.
     */
    private DeployKind prepared(Ctx c, boolean build) {
        DeployKind kind = c.request.kind() == DeployRequest.Kind.FULL_STACK
                ? DeployKind.of(FullStack.forDeploy(stack, site, c.guid, c.request, listener))
                : DeployKind.of(StaticSite.forDeploy(site, c.guid, c.request, listener));
        try {
            kind.prepare(listener, build);
        } catch (RuntimeException e) {
            kind.close();
            throw e;
        }
        return kind;
    }

    /** A kind with its plan made: what both plan and deploy do first. */
    private record Planned(DeployKind kind, Plan plan) {
    }

    private Planned planned(Run run, DeployKind kind) {
        Plan plan = kind.plan(engine.plan(run, kind.steps()));
        listener.planned(new DeployListener.Planned(plan));
        return new Planned(kind, plan);
    }

    @Override
    public Deployment deploy(DeployRequest request) {
        long started = System.nanoTime();
        Ctx c = validate(request);
        site.prestart().run(); // the S3 (and CloudFront) clients are built while the record is read
        Deployment d;
        try (DeployKind kind = prepared(c, true)) {
            checkOwner(c.guid, c.userId);
            d = engine.exclusive(project(c), "deploy", run -> apply(run, kind, started));
        } catch (RuntimeException e) {
            OneclickException typed = typed(e, "deploy");
            listener.finished(new DeployListener.Finished(c.guid.value(), null, typed));
            throw typed;
        }
        listener.finished(new DeployListener.Finished(c.guid.value(), d, null));
        return d;
    }

    /**
     * Plans and applies under the lease. A deploy that changes nothing writes no status (the record keeps its
     * version and {@code updatedAt}); otherwise DEPLOYING comes before the first change and DEPLOYED or FAILED last.
     */
    private Deployment apply(Run run, DeployKind kind, long started) {
        Planned p = planned(run, kind);
        boolean deployed = run.startRecord().flatMap(DeploymentRecord::status)
                .filter(s -> s == DeploymentStatus.DEPLOYED).isPresent();
        boolean changes = !p.plan.isEmpty() || !deployed;
        if (changes) {
            run.status(DeploymentStatus.DEPLOYING, null);
        }
        try {
            engine.apply(run, p.kind.steps());
        } catch (RuntimeException e) {
            OneclickException typed = typed(e, "deploy");
            try {
                run.status(DeploymentStatus.FAILED, typed.getMessage());
            } catch (RuntimeException again) {
                typed.addSuppressed(again);
            }
            throw typed;
        }
        if (changes) {
            run.finalStatus(DeploymentStatus.DEPLOYED); // written as the lease is given back: one write
        }
        return p.kind.deployment(run, p.plan, Duration.ofNanos(System.nanoTime() - started));
    }

    private static OneclickException typed(RuntimeException e, String what) {
        if (e instanceof OneclickException oe) {
            return oe;
        }
        if (e instanceof SdkClientException sce) {
            return AwsCall.wrap("AWS", what, "the project", sce);
        }
        return new OneclickException("The " + what + " failed unexpectedly: " + e, e);
    }

    /** Validated inputs. */
    private record Ctx(ProjectGuid guid, String userId, String projectName, DeployRequest request) {
    }

    private StepEngine.Project project(Ctx c) {
        return new StepEngine.Project(c.guid.value(), c.userId, c.projectName, region, names.tags(c.guid, c.userId),
                listener);
    }

    private Ctx validate(DeployRequest request) {
        Objects.requireNonNull(request, "request");
        ProjectGuid guid = ProjectGuid.parse(request.guid());
        String userId = ResourceNames.checkUserId(request.userId());
        boolean fullStack = request.kind() == DeployRequest.Kind.FULL_STACK;
        if (fullStack && request.backend() == null) {
            throw new InvalidInputException("backend", "A full-stack deploy needs the backend: its image source (a "
                    + "jar, a classes folder, a Dockerfile folder or an image), port and health-check path.");
        }
        if (!fullStack && request.siteDir() == null && request.projectDir() == null) {
            throw new InvalidInputException("siteDir", "No site folder given; give the built site folder (siteDir) "
                    + "or the project folder (projectDir) in which dist/ or build/ is found.");
        }
        if (request.maxDeletes() < 0) {
            throw new InvalidInputException("maxDeletes", "maxDeletes is " + request.maxDeletes()
                    + "; give 0 or more.");
        }
        if (request.waitTimeout().isNegative()) {
            throw new InvalidInputException("waitTimeout", "waitTimeout is " + request.waitTimeout()
                    + "; give zero or more (how long to wait for the CloudFront distribution to be Deployed).");
        }
        if (request.buildCommand() != null && request.buildCommand().isBlank()) {
            throw new InvalidInputException("buildCommand", "The build command is blank; give a command such as "
                    + "'npm ci && npm run build', or none.");
        }
        if (request.buildCommand() != null && (request.buildTimeout().isNegative() || request.buildTimeout().isZero())) {
            throw new InvalidInputException("buildTimeout", "The build timeout is " + request.buildTimeout()
                    + "; give a positive duration (default 15 minutes).");
        }
        if (request.buildCommand() != null && request.projectDir() == null) {
            throw new InvalidInputException("projectDir", "A build command needs the project folder (projectDir) "
                    + "to run in.");
        }
        String projectName = request.projectName() == null || request.projectName().equals(request.guid())
                ? guid.value() : request.projectName();
        return new Ctx(guid, userId, projectName, request);
    }

    /**
     * Refuses to touch a project another user owns: the owner is the user whose record of the GUID was created first
     * (the rule of {@code DeploymentTracker.findByProjectId}), also when {@code userId} holds a later record of its
     * own. Returns the record of {@code userId}, if any.
     */
    private Optional<DeploymentRecord> ownedRecord(ProjectGuid guid, String userId) {
        checkOwner(guid, userId);
        return records.get(userId, guid.value());
    }

    /** The owner check of {@link #ownedRecord}, without reading the record itself (a deploy's lease returns it). */
    private void checkOwner(ProjectGuid guid, String userId) {
        Optional<DeploymentRecord> owner = records.findByProjectId(guid.value());
        if (owner.isPresent() && !owner.get().userId().equals(userId)) {
            throw new InvalidInputException("userId", "Project " + guid.value() + " belongs to another user "
                    + "(its first record is under user id '" + owner.get().userId() + "'), not to '" + userId
                    + "'. Use the owner's user id, or a new GUID for a new project.");
        }
    }

    // ================================================================ destroy / status

    @Override
    public DeploymentRecord destroy(String guidText, String userIdText, boolean skipFinalSnapshot) {
        ProjectGuid guid = ProjectGuid.parse(guidText);
        String userId = ResourceNames.checkUserId(userIdText);
        String g = guid.value();
        site.prestart().run();
        DeploymentRecord result;
        try {
            Optional<DeploymentRecord> rec = ownedRecord(guid, userId);
            Optional<String> recordedCdn = rec.flatMap(r -> r.oneclickResources().cloudFrontId());
            if (!cdnEnabled && recordedCdn.isPresent()) {
                throw new InvalidInputException("cdnEnabled", "Project " + g + " has CloudFront distribution "
                        + recordedCdn.get() + " on record, but this deployer has the CDN switched off; destroy "
                        + "with cdnEnabled(true) so the distribution is removed too.");
            }
            String projectName = rec.map(DeploymentRecord::projectName).orElse(g);
            StepEngine.Project p = new StepEngine.Project(g, userId, projectName, region, names.tags(guid, userId),
                    listener);
            result = engine.exclusive(p, "destroy", run -> destroy(run, guid, skipFinalSnapshot));
        } catch (RuntimeException e) {
            OneclickException typed = typed(e, "destroy");
            listener.finished(new DeployListener.Finished(g, null, typed));
            throw typed;
        }
        listener.finished(new DeployListener.Finished(g, null, null));
        return result;
    }

    private DeploymentRecord destroy(Run run, ProjectGuid guid, boolean skipFinalSnapshot) {
        String g = guid.value();
        DeployKind kind = FullStack.recordedIn(run.own())
                ? DeployKind.of(FullStack.forDestroy(stack, site, guid, skipFinalSnapshot, listener))
                : DeployKind.of(StaticSite.forDestroy(site, guid, listener));
        boolean[] nothing = new boolean[1];
        try {
            engine.destroy(run, kind.steps(), () -> {
                nothing[0] = kind.foundNothing();
                if (nothing[0] && run.startRecord().isEmpty()) {
                    throw new ProjectNotFoundException("Project " + g + " of user " + run.userId() + " has no "
                            + "record and no resources were found by name; nothing to destroy. Check the GUID and "
                            + "the user id.");
                }
                Optional<DeploymentStatus> status = run.startRecord().flatMap(DeploymentRecord::status);
                if (nothing[0] && status.filter(s -> s == DeploymentStatus.DESTROYED).isPresent()) {
                    return false;
                }
                run.status(DeploymentStatus.DESTROYING, null);
                return true;
            });
        } catch (RuntimeException e) {
            OneclickException typed = typed(e, "destroy");
            if (run.wrote()) {
                try {
                    run.status(DeploymentStatus.DESTROYING, "Destroy stopped: " + typed.getMessage()
                            + " Run destroy again to finish.");
                } catch (RuntimeException again) {
                    typed.addSuppressed(again);
                }
            }
            throw typed;
        }
        if (!run.wrote()) {
            run.progress("Project " + g + " is already destroyed; nothing of it was found, nothing to do.");
            return run.startRecord().orElseThrow();
        }
        Optional<String> incomplete = run.incompleteReason();
        if (incomplete.isPresent()) {
            run.progress(incomplete.get());
            run.status(DeploymentStatus.DESTROYING, incomplete.get());
        } else {
            run.forget(AwsResources.REGION, AwsResources.SITE_URL);
            run.status(DeploymentStatus.DESTROYED, null);
        }
        return records.get(run.userId(), g).orElseThrow();
    }

    @Override
    public Optional<DeploymentRecord> status(String guid, String userId) {
        ProjectGuid g = ProjectGuid.parse(guid);
        return records.get(ResourceNames.checkUserId(userId), g.value());
    }

    @Override
    public List<String> recordedUserIds(String guid) {
        ProjectGuid g = ProjectGuid.parse(guid);
        return records.findAllByProjectId(g.value()).stream().map(DeploymentRecord::userId).distinct().toList();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing an AWS client failed", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
