package dev.oneclick;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.site.CacheRule;
import dev.oneclick.site.IndexDocument;
import dev.oneclick.stack.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What to deploy. Immutable and thread-safe; validated by the deployer before anything is written
 * (an invalid GUID, a blank user id or a missing site folder fail with an {@link InvalidInputException}).
 */
public final class DeployRequest {
    /** Deployment kinds. Both kinds' resources live in one record and one {@code destroy}. */
    public enum Kind {
        STATIC_SITE,
        FULL_STACK
    }

    /**
     * How client-side routes are answered (when the site has an index document and {@link #spaFallback()} is on).
     */
    public enum Routing {
        /** Only route-like paths (no file extension in the last segment) get the index document; missing files 404. */
        ROUTES,
        /** Every 403/404 is answered with the index document and 200 (the behaviour before ROUTES). */
        ALL,
        /** No SPA fallback: missing paths are 404 (403 from a private bucket on CloudFront). */
        NONE;

        /**
         * Parses {@code routes}, {@code all} or {@code none} (any case).
         *
         * @throws InvalidInputException (field {@code spaRouting}) for anything else
         */
        public static Routing parse(String value) {
            if (value != null) {
                for (Routing r : values()) {
                    if (r.name().equalsIgnoreCase(value.trim())) {
                        return r;
                    }
                }
            }
            throw new InvalidInputException("spaRouting", "Unknown SPA routing '" + value + "': give 'routes' (the "
                    + "default: client-side routes get the index document, missing files 404), 'all' (every missing "
                    + "path gets the index document) or 'none'.");
        }
    }

    public static final int DEFAULT_MAX_DELETES = 1000;

    private final String guid;
    private final String userId;
    private final String projectName;
    private final Kind kind;
    private final Path siteDir;
    private final Path projectDir;
    private final String buildCommand;
    private final Duration buildTimeout;
    private final boolean planBuild;
    private final List<CacheRule> cacheRules;
    private final boolean prune;
    private final int maxDeletes;
    private final boolean spaFallback;
    private final String indexDocument;
    private final Routing routing;
    private final boolean waitForDeployed;
    private final Duration waitTimeout;
    private final Backend backend;

    private DeployRequest(Builder b) {
        this.guid = b.guid;
        this.userId = b.userId;
        this.projectName = b.projectName;
        this.kind = b.kind;
        this.siteDir = b.siteDir;
        this.projectDir = b.projectDir;
        this.buildCommand = b.buildCommand;
        this.buildTimeout = b.buildTimeout;
        this.planBuild = b.planBuild;
        this.cacheRules = b.cacheRules == null ? null : List.copyOf(b.cacheRules);
        this.prune = b.prune;
        this.maxDeletes = b.maxDeletes;
        this.spaFallback = b.spaFallback;
        this.indexDocument = b.indexDocument;
        this.routing = b.routing;
        this.waitForDeployed = b.waitForDeployed;
        this.waitTimeout = b.waitTimeout;
        this.backend = b.backend;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static DeployRequest of(Consumer<Builder> spec) {
        Builder b = builder();
        spec.accept(b);
        return b.build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The project GUID as given (validated and lowercased by the deployer). */
    public String guid() {
        return guid;
    }

    public String userId() {
        return userId;
    }

    /** Defaults to the GUID when not given. */
    public String projectName() {
        return projectName == null ? guid : projectName;
    }

    public Kind kind() {
        return kind;
    }

    /** The built site; may be null when {@link #projectDir()} is given, in which {@code dist/} or {@code build/} is looked for. */
    public Path siteDir() {
        return siteDir;
    }

    public Path projectDir() {
        return projectDir;
    }

    /** A shell command run in the project folder before deploying, such as {@code npm ci && npm run build}; may be null. */
    public String buildCommand() {
        return buildCommand;
    }

    public Duration buildTimeout() {
        return buildTimeout;
    }

    /**
     * Whether {@code plan} runs the {@link #buildCommand()} too (default false: a plan plans the site folder as it is,
     * and runs nothing; {@code deploy} always runs the build command).
     */
    public boolean planBuild() {
        return planBuild;
    }

    /** Cache rules, tried in order; null means the defaults. */
    public List<CacheRule> cacheRules() {
        return cacheRules;
    }

    public boolean prune() {
        return prune;
    }

    /** The most keys one run may delete; a larger prune fails until this is raised. */
    public int maxDeletes() {
        return maxDeletes;
    }

    /**
     * Whether the site has some SPA fallback: {@link #routing()} is not NONE (the fallback was not turned off, and the
     * site has an index document).
     */
    public boolean spaFallback() {
        return routing() != Routing.NONE;
    }

    /**
     * The site's entry page, served for {@code /} and as the SPA fallback: {@code index.html} by default, null when
     * the site has none ({@code indexDocument("none")}).
     */
    public String indexDocument() {
        return indexDocument;
    }

    /** How client-side routes are answered: NONE when the fallback is off or there is no index document. */
    public Routing routing() {
        return !spaFallback || indexDocument == null ? Routing.NONE : routing;
    }

    public boolean waitForDeployed() {
        return waitForDeployed;
    }

    public Duration waitTimeout() {
        return waitTimeout;
    }

    /**
     * The backend of a {@link Kind#FULL_STACK} deploy (required there, ignored otherwise); its static frontend, if
     * any, is {@link #siteDir()}.
     */
    public Backend backend() {
        return backend;
    }

    @Override
    public String toString() {
        return "DeployRequest[guid=" + guid + ", userId=" + userId + ", projectName=" + projectName + ", kind=" + kind
                + ", siteDir=" + siteDir + ", projectDir=" + projectDir + ", buildCommand=" + buildCommand
                + (planBuild ? ", planBuild=true" : "")
                + ", prune=" + prune + ", maxDeletes=" + maxDeletes + ", spaFallback=" + spaFallback
                + ", indexDocument=" + indexDocument + ", routing=" + routing + ", waitForDeployed=" + waitForDeployed
                + (backend == null ? "" : ", backend=" + backend) + "]";
    }

    /** Builds a {@link DeployRequest}. Not thread-safe. */
    public static final class Builder {
        private String guid;
        private String userId;
        private String projectName;
        private Kind kind = Kind.STATIC_SITE;
        private Path siteDir;
        private Path projectDir;
        private String buildCommand;
        private Duration buildTimeout = Duration.ofMinutes(15);
        private boolean planBuild;
        private List<CacheRule> cacheRules;
        private boolean prune = true;
        private int maxDeletes = DEFAULT_MAX_DELETES;
        private boolean spaFallback = true;
        private String indexDocument = IndexDocument.DEFAULT;
        private Routing routing = Routing.ROUTES;
        private boolean waitForDeployed;
        private Duration waitTimeout = Duration.ofMinutes(20);
        private Backend backend;

        private Builder() {
        }

        private Builder(DeployRequest r) {
            guid = r.guid;
            userId = r.userId;
            projectName = r.projectName;
            kind = r.kind;
            siteDir = r.siteDir;
            projectDir = r.projectDir;
            buildCommand = r.buildCommand;
            buildTimeout = r.buildTimeout;
            planBuild = r.planBuild;
            cacheRules = r.cacheRules;
            prune = r.prune;
            maxDeletes = r.maxDeletes;
            spaFallback = r.spaFallback;
            indexDocument = r.indexDocument;
            routing = r.routing;
            waitForDeployed = r.waitForDeployed;
            waitTimeout = r.waitTimeout;
            backend = r.backend;
        }

        public Builder guid(String v) {
            guid = v;
            return this;
        }

        public Builder userId(String v) {
            userId = v;
            return this;
        }

        public Builder projectName(String v) {
            projectName = v;
            return this;
        }

        public Builder kind(Kind v) {
            kind = Objects.requireNonNull(v, "kind");
            return this;
        }

        public Builder siteDir(Path v) {
            siteDir = v;
            return this;
        }

        public Builder projectDir(Path v) {
            projectDir = v;
            return this;
        }

        public Builder buildCommand(String v) {
            buildCommand = v;
            return this;
        }

        public Builder buildTimeout(Duration v) {
            buildTimeout = Objects.requireNonNull(v, "buildTimeout");
            return this;
        }

        /** Whether {@code plan} runs the build command as {@code deploy} does; default false. */
        public Builder planBuild(boolean v) {
            planBuild = v;
            return this;
        }

        public Builder cacheRules(List<CacheRule> v) {
            cacheRules = v;
            return this;
        }

        public Builder prune(boolean v) {
            prune = v;
            return this;
        }

        public Builder maxDeletes(int v) {
            maxDeletes = v;
            return this;
        }

        public Builder spaFallback(boolean v) {
            spaFallback = v;
            return this;
        }

        /**
         * The site's entry page (default {@code index.html}), a path inside the site folder; {@code "none"} (or null)
         * for a tree without one, which also turns the SPA fallback off.
         *
         * @throws InvalidInputException (field {@code indexDocument}) when it is not a path inside the site folder
         */
        public Builder indexDocument(String v) {
            indexDocument = IndexDocument.check(v);
            return this;
        }

        /** How client-side routes are answered; default {@link Routing#ROUTES}. */
        public Builder routing(Routing v) {
            routing = Objects.requireNonNull(v, "routing");
            return this;
        }

        public Builder waitForDeployed(boolean v) {
            waitForDeployed = v;
            return this;
        }

        public Builder waitTimeout(Duration v) {
            waitTimeout = Objects.requireNonNull(v, "waitTimeout");
            return this;
        }

        /** The backend of a full-stack deploy; also sets the kind to {@link Kind#FULL_STACK} (null: none). */
        public Builder backend(Backend v) {
            backend = v;
            if (v != null) {
                kind = Kind.FULL_STACK;
            }
            return this;
        }

        public Builder backend(Consumer<Backend.Builder> v) {
            return backend(Backend.of(v));
        }

        public DeployRequest build() {
            return new DeployRequest(this);
        }
    }
}
