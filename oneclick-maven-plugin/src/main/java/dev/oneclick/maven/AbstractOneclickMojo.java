package dev.oneclick.maven;

import dev.oneclick.DeployListener;
import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.maven.internal.CacheRules;
import dev.oneclick.maven.internal.ForkedGoal;
import dev.oneclick.maven.internal.LocalTarget;
import dev.oneclick.maven.internal.MavenLogListener;
import dev.oneclick.maven.internal.Target;
import dev.oneclick.maven.internal.Timings;
import dev.oneclick.maven.internal.UnknownProperties;
import dev.oneclick.maven.internal.UserIds;
import dev.oneclick.local.LocalAwsException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.site.IndexDocument;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentTracker;
import dev.oneclick.notify.NotifySignature;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;

/**
 * The parameters every oneclick goal shares, and the mapping of core errors to failures that name the parameter
 * to fix. Each parameter is settable in the POM and as the property {@code oneclick.<name>}.
 */
public abstract class AbstractOneclickMojo extends AbstractMojo {

    /** The project GUID (a UUID); every AWS name is built from it, e.g. the bucket {@code tmux-builder-{guid}}. */
    @Parameter(property = "oneclick.guid")
    protected String guid;

    /**
     * A file holding the project GUID, used when {@code guid} is not set (relative: to the project folder). When the
     * file is missing a new random GUID is written into it, once, so each checkout (keep the file out of version
     * control) gets a project of its own.
     */
    @Parameter(property = "oneclick.guidFile")
    protected String guidFile;

    /** Where the GUID of this run came from, for the summary; null when it was given as {@code guid}. */
    private String guidSource;

    /** The owner recorded in the deployments table; default: the OS user name (sanitised), else {@code local}. */
    @Parameter(property = "oneclick.userId")
    protected String userId;

    /** A human name for the project; default: the GUID. */
    @Parameter(property = "oneclick.projectName")
    protected String projectName;

    /** The built site folder, relative to the project folder (or the current folder without a POM). */
    @Parameter(property = "oneclick.siteDir")
    protected String siteDir;

    /** A shell command run in the project folder before deploying, e.g. {@code npm ci && npm run build}. */
    @Parameter(property = "oneclick.buildCommand")
    protected String buildCommand;

    /** The AWS region; default: the SDK's region chain (AWS_REGION, the profile), then us-east-1. */
    @Parameter(property = "oneclick.region")
    protected String region;

    /** A profile of ~/.aws/config and ~/.aws/credentials; default: the SDK's default credentials chain. */
    @Parameter(property = "oneclick.profile")
    protected String profile;

    /** An S3 endpoint to use instead of AWS's (e.g. an S3-compatible store). */
    @Parameter(property = "oneclick.s3Endpoint")
    protected String s3Endpoint;

    /** A CloudFront endpoint to use instead of AWS's. */
    @Parameter(property = "oneclick.cloudFrontEndpoint")
    protected String cloudFrontEndpoint;

    /**
     * One endpoint for every AWS service (moto and LocalStack serve them all on one port, e.g.
     * {@code http://127.0.0.1:5000}); {@code s3Endpoint}, {@code cloudFrontEndpoint} and {@code dynamoDbEndpoint}
     * win for their service.
     */
    @Parameter(property = "oneclick.awsEndpoint")
    protected String awsEndpoint;

    /**
     * Full stack: the registry images are pushed to instead of the ECR endpoint AWS returns (a local registry such as
     * {@code http://127.0.0.1:5001}, or a proxy).
     */
    @Parameter(property = "oneclick.registryEndpoint")
    protected String registryEndpoint;

    /** A DynamoDB endpoint to use instead of AWS's. */
    @Parameter(property = "oneclick.dynamoDbEndpoint")
    protected String dynamoDbEndpoint;

    /** S3-compatible mode: path-style addressing and checksums only when required. */
    @Parameter(property = "oneclick.s3Compatible", defaultValue = "false")
    protected boolean s3Compatible;

    /** The DynamoDB deployments table. */
    @Parameter(property = "oneclick.tableName", defaultValue = DeploymentTracker.DEFAULT_TABLE)
    protected String tableName;

    /**
     * The region of the deployments table, apart from {@code region}: one backend's table serves projects deployed
     * in many regions. Default us-east-1, where the original plan's client reads it.
     */
    @Parameter(property = "oneclick.tableRegion")
    protected String tableRegion;

    /**
     * How long deploy and destroy wait for another run of the same project (CI and an agent at once) to finish:
     * an ISO-8601 duration such as {@code PT10M}, or seconds. Default 0: fail at once, naming the other run.
     */
    @Parameter(property = "oneclick.lockWait", defaultValue = "0")
    protected String lockWait;

    /** Whether keys in the bucket that are no longer in the site are deleted. */
    @Parameter(property = "oneclick.prune", defaultValue = "true")
    protected boolean prune;

    /** The most keys one run may delete; a larger prune fails until this is raised. */
    @Parameter(property = "oneclick.maxDeletes", defaultValue = "1000")
    protected int maxDeletes;

    /**
     * Cache-Control rules, {@code glob=cache-control}, tried in order, separated by semicolons or new lines
     * (Cache-Control values contain commas), e.g.
     * {@code assets/**=public, max-age=31536000, immutable; **=no-cache}. Default: the core's rules.
     */
    @Parameter(property = "oneclick.cacheRules")
    protected String cacheRules;

    /**
     * Globs of site paths not to upload, separated by commas or new lines, on top of the defaults (dot-files and
     * dot-folders except {@code .well-known/}, {@code notify.sh}, {@code SYSTEM_PROMPT.md}, {@code node_modules/},
     * {@code target/}, {@code *.pem}, {@code *.key}, {@code id_rsa*}), e.g. {@code *.map, drafts/}. A glob without
     * '/' matches a name at any depth, one with '/' the path from the site's top, one ending in '/' folders only.
     */
    @Parameter(property = "oneclick.excludes")
    protected String excludes;

    /** Globs of paths the default excludes leave out that are uploaded after all, e.g. {@code .htaccess}. */
    @Parameter(property = "oneclick.includes")
    protected String includes;

    /** Whether client-side routes are answered with the index document (how: {@code spaRouting}). */
    @Parameter(property = "oneclick.spaFallback", defaultValue = "true")
    protected boolean spaFallback;

    /**
     * How the SPA fallback answers a path without a file: {@code routes} (only route-like paths, with no file
     * extension in the last segment, get the index document; a missing asset such as {@code /assets/nope.js} is
     * 404), {@code all} (every missing path gets the index document with 200), or {@code none}.
     */
    @Parameter(property = "oneclick.spaRouting", defaultValue = "routes")
    protected String spaRouting;

    /**
     * The site's entry page, which must be at the site folder's top (or a path inside it): served for {@code /} and
     * for client-side routes. {@code none} deploys a tree without an entry page and turns the SPA fallback off.
     */
    @Parameter(property = "oneclick.indexDocument", defaultValue = IndexDocument.DEFAULT)
    protected String indexDocument;

    /** Whether deploy waits until the CloudFront distribution is Deployed. */
    @Parameter(property = "oneclick.waitForDeployed", defaultValue = "false")
    protected boolean waitForDeployed;

    /**
     * With target=aws: whether the site is served through a CloudFront distribution (default). {@code false} keeps
     * only the private bucket and its content (no distribution, origin access control, bucket policy or
     * invalidation), as with an S3-compatible store that has no CDN in front.
     */
    @Parameter(property = "oneclick.cdn", defaultValue = "true")
    protected boolean cdn = true;

    /** Skips the goal. */
    @Parameter(property = "oneclick.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * Whether deploy and destroy to AWS run in a child JVM tuned for a short job of many requests (C1 compiler only,
     * serial collector, a class-data archive in {@code ~/.cache/oneclick/cds}): a 5,000-file upload from a new
     * Maven process took 6.3 s instead of 9.5 s. {@code false} runs them in Maven's JVM. The local target always
     * runs in Maven's JVM.
     */
    @Parameter(property = "oneclick.fork", defaultValue = "true")
    protected boolean fork;

    /**
     * JVM options of the forked JVM, separated by spaces, added after its own
     * ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms32m -Xss1m -XX:-UsePerfData -Dfile.encoding=UTF-8}): a later
     * option wins, and a collector named here ({@code -XX:+UseG1GC}) replaces the serial one. For example
     * {@code -Xmx2g} for a site of hundreds of thousands of files.
     */
    @Parameter(property = "oneclick.forkJvmOptions")
    protected String forkJvmOptions;

    /**
     * Target aws: the most S3 requests in flight at once while uploading and deleting files (1-1024). A deploy starts
     * at 8 and grows up to it while throughput keeps up, and halves when S3 answers 503 SlowDown or 429.
     */
    @Parameter(property = "oneclick.concurrency", defaultValue = "32")
    protected int concurrency;

    /** Set in a forked goal's JVM: the parent's build folder (the child has no Maven project). */
    File forkedBuildDirectory;

    /**
     * Where to deploy: {@code aws}, or {@code local} (local AWS emulators and a local preview server; the state is
     * kept in {@code oneclick.local.dir} and outlives the Maven run).
     */
    @Parameter(property = "oneclick.target", defaultValue = "aws")
    protected String target;

    /**
     * The backend's base URL for notify events ({@code {notifyUrl}/notify}): install-skills renders it into
     * notify.sh, and deploy posts the signed {@code resources} event there when a secret is given.
     */
    @Parameter(property = "oneclick.notifyUrl")
    protected String notifyUrl;

    /**
     * A file whose first line is the project's notify secret (hex, as the backend hands it out), optionally followed
     * by a line {@code kid=<n>} naming its key id (default: {@code ONECLICK_NOTIFY_KEY_ID}, else 1). Else the secret is
     * read from the environment variable {@value #NOTIFY_SECRET_ENV}. The secret itself is never a parameter, so it
     * appears neither on a command line ({@code ps}) nor in Maven's {@code -X} configuration dump, and it is never
     * logged. The backend's master key is not accepted at all: it could sign events of every project.
     */
    @Parameter(property = "oneclick.notifySecretFile")
    protected File notifySecretFile;

    /** The environment variable holding the project's notify secret when no {@code notifySecretFile} is given. */
    public static final String NOTIFY_SECRET_ENV = "ONECLICK_NOTIFY_SECRET";

    /** Reads environment variables; replaced in tests. */
    java.util.function.Function<String, String> environment = System::getenv;

    /**
     * With target=local: the folder keeping the local state between Maven runs (S3 objects under {@code s3/},
     * DynamoDB tables under {@code dynamodb/}); default {@code ${user.home}/.oneclick/local}. A relative path is
     * resolved against the project folder. One Maven run at a time may use a folder.
     */
    @Parameter(property = "oneclick.local.dir")
    protected String localDir;

    /** With target=local: wipes the local state folder before the first goal of the run uses it. */
    @Parameter(property = "oneclick.local.reset", defaultValue = "false")
    protected boolean localReset;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    protected MavenProject project;

    /** This goal's execution: its descriptor lists the parameters, to report mistyped oneclick.* properties. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    protected MojoExecution mojoExecution;

    /** The goal name, for log lines. */
    protected abstract String goal();

    /** Whether this goal runs in a child JVM when {@link #fork} is set and the target is AWS. */
    protected boolean forkable() {
        return false;
    }

    /** Runs the goal once skip and target are checked. */
    protected abstract void run(Target target) throws MojoExecutionException, MojoFailureException;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        Timings.mark(getLog(), "oneclick:" + goal() + " started");
        warnUnknownProperties();
        if (skip) {
            getLog().info("Skipping oneclick:" + goal() + " (oneclick.skip=true)");
            return;
        }
        Target parsed = Target.parse(target);
        if (parsed == null) {
            throw new MojoFailureException("Unknown oneclick.target '" + target
                    + "': set oneclick.target to 'aws' (the default) or 'local' (local emulators and preview).");
        }
        try {
            if (fork && parsed == Target.AWS && forkable()) {
                guid = checkedGuid(); // a GUID generated into guidFile is generated once, here
                ForkedGoal.run(this, baseDir(), buildDirectory(), session == null ? null
                        : session.getUserProperties(), getLog(), forkJvmOptions);
            } else {
                run(parsed);
            }
            Timings.mark(getLog(), "oneclick:" + goal() + " ended");
        } catch (InvalidInputException e) {
            throw new MojoFailureException(failureMessage(e), e);
        } catch (OneclickException e) {
            throw new MojoFailureException("oneclick:" + goal() + " failed: " + e.getMessage() + hint(e), e);
        } catch (SdkException e) {
            throw new MojoExecutionException("oneclick:" + goal() + " failed talking to AWS: " + e.getMessage()
                    + hint(e), e);
        } catch (LocalAwsException e) {
            throw new MojoExecutionException("oneclick:" + goal() + " failed starting the local target: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Warns, once per Maven run, about each {@code oneclick.*} user property ({@code -D}) that names no parameter of
     * this goal (nor of another oneclick goal), with the nearest known name.
     */
    private void warnUnknownProperties() {
        if (session == null || mojoExecution == null || mojoExecution.getMojoDescriptor() == null) {
            return;
        }
        MojoDescriptor mojo = mojoExecution.getMojoDescriptor();
        List<String> goalProperties = propertiesOf(mojo);
        List<String> pluginProperties = new ArrayList<>();
        PluginDescriptor plugin = mojo.getPluginDescriptor();
        if (plugin != null && plugin.getMojos() != null) {
            for (MojoDescriptor other : plugin.getMojos()) {
                pluginProperties.addAll(propertiesOf(other));
            }
        }
        Properties user = session.getUserProperties();
        if (user == null || user.isEmpty()) {
            return;
        }
        for (String w : UnknownProperties.newWarnings(session, goal(), user.stringPropertyNames(), goalProperties,
                pluginProperties)) {
            getLog().warn(w);
        }
    }

    private static List<String> propertiesOf(MojoDescriptor mojo) {
        List<String> out = new ArrayList<>();
        if (mojo.getParameters() != null) {
            for (org.apache.maven.plugin.descriptor.Parameter p : mojo.getParameters()) {
                String property = UnknownProperties.propertyOf(p.getExpression());
                if (property != null) {
                    out.add(property);
                }
            }
        }
        return out;
    }

    /** Core input names that the plugin spells differently. */
    private static final Map<String, String> PARAMETER_OF_FIELD = Map.of(
            "serverUrl", "notifyUrl",
            "secret", "notifySecretFile",
            "dir", "projectDir",
            "containerPort", "port",
            "healthCheckPath", "healthPath",
            "environment", "env");

    /** The failure message for refused input: names the parameter ({@code oneclick.<field>}) to fix. */
    static String failureMessage(InvalidInputException e) {
        String field = e.field() == null ? null : PARAMETER_OF_FIELD.getOrDefault(e.field(), e.field());
        if (field == null || field.isBlank()) {
            return "Invalid input: " + e.getMessage();
        }
        return "Invalid oneclick." + field + ": " + e.getMessage() + " (set the parameter '" + field
                + "' in the plugin configuration or -Doneclick." + field + "=...)";
    }

    /** A hint naming the parameter to fix for the common AWS set-up errors, or "". */
    static String hint(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null && all.length() < 10_000; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        String text = all.toString();
        if (text.contains("Unable to load credentials")) {
            return " (give credentials through the usual AWS chain: environment, oneclick.profile, SSO, "
                    + "web identity or an instance role)";
        }
        if (text.contains("Unable to load region")) {
            return " (set oneclick.region or AWS_REGION)";
        }
        if (text.contains("AccessDenied") || text.contains("not authorized to perform")) {
            return " (the credentials lack a permission the deployer needs: see docs/iam-policy.json)";
        }
        return "";
    }

    // ---- shared helpers ------------------------------------------------------------------------------------

    /**
     * The project's notify secret: the first line of {@code notifySecretFile}, else the environment variable
     * {@value #NOTIFY_SECRET_ENV}; null when neither is set and {@code required} is false. The properties
     * {@code oneclick.notifySecret} and {@code oneclick.notifyMasterKey} of earlier versions are refused.
     */
    protected String notifySecretFor(String checkedGuid, boolean required) {
        for (String removed : new String[] {"oneclick.notifySecret", "oneclick.notifyMasterKey"}) {
            if (System.getProperty(removed) != null) {
                throw new InvalidInputException("notifySecretFile", removed + " is no longer accepted (a secret on "
                        + "the command line is visible to every local user, and the backend's master key can sign "
                        + "events of every project); put the project's secret in a file named by "
                        + "oneclick.notifySecretFile, or in the environment variable " + NOTIFY_SECRET_ENV + ".");
            }
        }
        String secret = null;
        if (notifySecretFile != null) {
            try {
                secret = Files.readAllLines(notifySecretFile.toPath(), StandardCharsets.UTF_8).stream().findFirst()
                        .orElse("").strip();
            } catch (java.io.IOException e) {
                throw new InvalidInputException("notifySecretFile", "Cannot read the notify secret file "
                        + notifySecretFile + ": " + e.getClass().getSimpleName() + ".");
            }
        } else {
            String env = environment.apply(NOTIFY_SECRET_ENV);
            secret = env == null || env.isBlank() ? null : env.strip();
        }
        if (secret == null) {
            if (required) {
                throw new InvalidInputException("notifySecretFile", "oneclick.notifyUrl is set but no secret: "
                        + "set oneclick.notifySecretFile (a file holding the project's secret) or the environment "
                        + "variable " + NOTIFY_SECRET_ENV + ".");
            }
            return null;
        }
        try {
            return NotifySignature.checkSecret(secret);
        } catch (InvalidInputException e) {
            // the message of checkSecret never repeats the value
            throw new InvalidInputException("notifySecretFile", "The notify secret (from "
                    + (notifySecretFile != null ? notifySecretFile.toString() : NOTIFY_SECRET_ENV) + ") is not a "
                    + "project secret: " + e.getMessage());
        }
    }

    /**
     * The key id of the project's notify secret ({@link dev.oneclick.maven.internal.NotifyKeyId}): a line
     * {@code kid=<n>} of {@code notifySecretFile}, else the environment variable {@code ONECLICK_NOTIFY_KEY_ID},
     * else 1.
     */
    protected int notifyKeyId() {
        List<String> lines = null;
        if (notifySecretFile != null) {
            try {
                lines = Files.readAllLines(notifySecretFile.toPath(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new InvalidInputException("notifySecretFile", "Cannot read the notify secret file "
                        + notifySecretFile + ": " + e.getClass().getSimpleName() + ".");
            }
        }
        return dev.oneclick.maven.internal.NotifyKeyId.of(lines, String.valueOf(notifySecretFile),
                environment.apply(dev.oneclick.maven.internal.NotifyKeyId.ENV));
    }

    /** The GUID ({@code guid}, else read from or generated into {@code guidFile}), checked before anything starts. */
    protected String checkedGuid() {
        if ((guid == null || guid.isBlank()) && guidFile != null && !guidFile.isBlank()) {
            Path file = resolve(guidFile.trim());
            try {
                if (Files.isRegularFile(file)) {
                    String text = Files.readString(file, StandardCharsets.UTF_8).trim();
                    try {
                        String value = ProjectGuid.parse(text).value();
                        guidSource = "from " + file;
                        return value;
                    } catch (OneclickException e) {
                        throw new InvalidInputException("guidFile", "The GUID file " + file + " does not hold a GUID: "
                                + e.getMessage() + " Delete the file to have a new GUID generated into it.");
                    }
                }
                String fresh = java.util.UUID.randomUUID().toString();
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
                getLog().info("Generated the project GUID " + fresh + " into " + file + " (this checkout's own "
                        + "project; keep the file out of version control, delete it to start a new project)");
                guidSource = "generated into " + file;
                return fresh;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return checkedGuid(); // another goal of this run wrote it first
            } catch (java.io.IOException e) {
                throw new InvalidInputException("guidFile", "Cannot read or write the GUID file " + file + ": " + e
                        + ". Set oneclick.guid, or oneclick.guidFile to a writable file.");
            }
        }
        guidSource = null;
        return ProjectGuid.parse(guid).value();
    }

    /** Where the checked GUID came from ({@code from <file>}, {@code generated into <file>}), or null. */
    protected String guidSource() {
        return guidSource;
    }

    /** Checks {@code userId} when it is set, before anything starts (its default needs the deployments table). */
    protected void checkUserIdIfSet() {
        if (userId != null && !userId.isBlank()) {
            ResourceNames.checkUserId(userId);
        }
    }

    /**
     * The user id: {@code userId} when set; else the owner of the project's record when the GUID has exactly one
     * (a project a backend created deploys under its owner without {@code -Doneclick.userId}); else the OS user name
     * (sanitised, {@code local} if none).
     *
     * @param holders the user ids holding a record of the GUID, the owner (created first) first
     */
    protected String effectiveUserId(String checkedGuid, java.util.function.Supplier<List<String>> holders) {
        if (userId != null && !userId.isBlank()) {
            return ResourceNames.checkUserId(userId);
        }
        String os = ResourceNames.checkUserId(UserIds.fromUserName(System.getProperty("user.name")));
        List<String> found = holders.get();
        if (found.size() == 1) {
            if (!found.get(0).equals(os)) {
                getLog().info("oneclick.userId not set: using '" + found.get(0) + "', the owner of project "
                        + checkedGuid + "'s record");
            }
            return found.get(0);
        }
        if (found.size() > 1) {
            getLog().warn("Project " + checkedGuid + " has records of " + found.size() + " users " + found
                    + "; its owner (the record created first) is '" + found.get(0) + "'. oneclick.userId is not set, "
                    + "so the OS user '" + os + "' is used: set -Doneclick.userId to choose.");
        }
        return os;
    }

    /** {@link #effectiveUserId(String, java.util.function.Supplier)} with the deployer's view of the records. */
    protected String effectiveUserId(String checkedGuid, Deployer deployer) {
        return effectiveUserId(checkedGuid, () -> deployer.recordedUserIds(checkedGuid));
    }

    /** The folder relative paths are resolved against: the project folder, or the current folder without a POM. */
    protected Path baseDir() {
        if (project != null && project.getBasedir() != null) {
            return project.getBasedir().toPath();
        }
        if (session != null && session.getRequest() != null && session.getRequest().getBaseDirectory() != null) {
            return Path.of(session.getRequest().getBaseDirectory());
        }
        return Path.of("").toAbsolutePath();
    }

    protected Path resolve(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p.normalize() : baseDir().resolve(p).normalize();
    }

    /** The site folder, checked to exist unless a build command will produce it. */
    protected Path checkedSiteDir() {
        if (siteDir == null || siteDir.isBlank()) {
            if (buildCommand != null && !buildCommand.isBlank()) {
                return null; // the core looks for dist/ or build/ in the project folder after the build
            }
            Path dist = baseDir().resolve("dist");
            Path build = baseDir().resolve("build");
            if (Files.isDirectory(dist)) {
                return dist;
            }
            if (Files.isDirectory(build)) {
                return build;
            }
            throw new InvalidInputException("siteDir", "No site folder given and neither dist/ nor build/ exists in "
                    + baseDir() + "; point it at the built site, e.g. -Doneclick.siteDir=dist.");
        }
        Path dir = resolve(siteDir);
        if ((buildCommand == null || buildCommand.isBlank()) && !Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                throw new InvalidInputException("siteDir", "The site folder " + dir + " is a file, not a folder; "
                        + "point it at the folder that holds the built site (e.g. -Doneclick.siteDir=dist).");
            }
            throw new InvalidInputException("siteDir", "The site folder " + dir + " does not exist; build the site "
                    + "first or point it at the built site (e.g. -Doneclick.siteDir=dist).");
        }
        return dir;
    }

    /** The site folder of the request: {@link #checkedSiteDir()}. */
    protected Path requestSiteDir() {
        return checkedSiteDir();
    }

    /** The core request for deploy and plan ({@code checkedUser} may be null, to be set once it is known). */
    protected DeployRequest request(String checkedGuid, String checkedUser) {
        Path dir = requestSiteDir();
        String index = IndexDocument.check(indexDocument == null ? IndexDocument.DEFAULT : indexDocument);
        DeployRequest.Routing routing = DeployRequest.Routing.parse(spaRouting == null ? "routes" : spaRouting);
        return DeployRequest.builder()
                .guid(checkedGuid)
                .userId(checkedUser)
                .projectName(projectName)
                .siteDir(dir)
                .projectDir(baseDir())
                .buildCommand(buildCommand == null || buildCommand.isBlank() ? null : buildCommand)
                .cacheRules(CacheRules.parse(cacheRules))
                .prune(prune)
                .maxDeletes(checkedMaxDeletes())
                .spaFallback(spaFallback)
                .indexDocument(index == null ? IndexDocument.NONE : index)
                .routing(routing)
                .waitForDeployed(waitForDeployed)
                .excludes(globs(excludes))
                .includes(globs(includes))
                .build();
    }

    /** Globs separated by commas (outside {@code {a,b}} groups) or new lines. */
    static List<String> globs(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int braces = 0;
        for (char c : (text + ",").toCharArray()) {
            braces += c == '{' ? 1 : c == '}' && braces > 0 ? -1 : 0;
            if ((c == ',' && braces == 0) || c == '\n' || c == '\r') {
                if (!cur.toString().isBlank()) {
                    out.add(cur.toString().trim());
                }
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        return out;
    }

    /**
     * Checks, before anything starts, that the built site holds its index document (failing with a message naming
     * {@code oneclick.indexDocument}); with a build command the site does not exist yet and the core checks it. An
     * empty folder is left to the core, which says it is empty.
     */
    protected void checkIndexDocument(DeployRequest request) {
        Path dir = request.siteDir();
        if (dir == null || request.buildCommand() != null || !Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        } catch (java.io.IOException e) {
            return;
        }
        IndexDocument.checkSite(dir, request.indexDocument());
    }

    private int checkedMaxDeletes() {
        if (maxDeletes < 0) {
            throw new InvalidInputException("maxDeletes", "maxDeletes must be 0 or more, not " + maxDeletes + ".");
        }
        return maxDeletes;
    }

    /** The local target of this Maven run, started on first use with its state in {@code oneclick.local.dir}. */
    protected LocalTarget localTarget() {
        Path dir = localDir == null || localDir.isBlank()
                ? Path.of(System.getProperty("user.home"), ".oneclick", "local")
                : resolve(localDir.trim());
        return LocalTarget.get(getLog(), session, dir, localReset);
    }

    /** With target=local: warns when nothing of {@code guid} is in the local state yet. */
    protected void warnIfNotDeployedLocally(LocalTarget local, String checkedGuid, String checkedUser) {
        if (!local.wasDeployed(checkedGuid, tableName, checkedUser)) {
            getLog().warn("oneclick.target=local: no deploy of " + checkedGuid + " is in the local state"
                    + (local.stateDir() == null ? " of this Maven run" : " in " + local.stateDir())
                    + ". Deploy it first: mvn oneclick:deploy -Doneclick.target=local");
        }
    }

    /** A deployer for AWS (or the endpoints given), or for the local emulators. */
    protected Deployer deployer(Target t, DeployListener listener) {
        if (t == Target.LOCAL) {
            return localTarget().deployer(tableName, listener, lockWait());
        }
        Deployer.Builder b = Deployer.builder().listener(listener).s3Compatible(s3Compatible).lockWait(lockWait())
                .cdnEnabled(cdn);
        if (concurrency != 0) { // 0: not injected (a test's goal); the core's default
            b.concurrency(concurrency);
        }
        String effectiveRegion = region;
        if (profile != null && !profile.isBlank()) {
            b.credentialsProvider(ProfileCredentialsProvider.builder().profileName(profile).build());
            if (effectiveRegion == null || effectiveRegion.isBlank()) {
                effectiveRegion = profileRegion(profile);
            }
        }
        if (effectiveRegion != null && !effectiveRegion.isBlank()) {
            b.region(effectiveRegion);
        }
        if (awsEndpoint != null && !awsEndpoint.isBlank()) {
            b.awsEndpoint(checkedEndpoint("awsEndpoint", awsEndpoint));
        }
        if (registryEndpoint != null && !registryEndpoint.isBlank()) {
            b.registryEndpoint(checkedEndpoint("registryEndpoint", registryEndpoint));
        }
        endpoint(b, Deployer.Service.S3, "s3Endpoint", s3Endpoint);
        endpoint(b, Deployer.Service.CLOUDFRONT, "cloudFrontEndpoint", cloudFrontEndpoint);
        endpoint(b, Deployer.Service.DYNAMODB, "dynamoDbEndpoint", dynamoDbEndpoint);
        if (tableName != null && !tableName.isBlank()) {
            b.tableName(tableName);
        }
        if (tableRegion != null && !tableRegion.isBlank()) {
            b.tableRegion(tableRegion);
        }
        return b.build();
    }

    /** {@link #lockWait} as a duration: ISO-8601 ({@code PT10M}) or whole seconds. */
    java.time.Duration lockWait() {
        String text = lockWait == null ? "" : lockWait.trim();
        try {
            java.time.Duration d = text.isEmpty() ? java.time.Duration.ZERO : text.matches("\\d+")
                    ? java.time.Duration.ofSeconds(Long.parseLong(text)) : java.time.Duration.parse(text);
            if (!d.isNegative()) {
                return d;
            }
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("lockWait", "oneclick.lockWait is '" + lockWait + "'; give seconds (600) or "
                + "an ISO-8601 duration (PT10M), zero or more.");
    }

    private static String profileRegion(String profile) {
        try {
            return new AwsProfileRegionProvider(null, profile).getRegion().id();
        } catch (RuntimeException e) {
            return null; // the profile names no region: the deployer's own chain decides
        }
    }

    private static void endpoint(Deployer.Builder b, Deployer.Service service, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        b.endpointOverride(service, checkedEndpoint(field, value));
    }

    /** {@code value} as an http(s) URL with a host, else an error naming {@code oneclick.<field>}. */
    static URI checkedEndpoint(String field, String value) {
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(value, "an http(s) URL with a host is needed");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "The endpoint '" + value + "' is not an http(s) URL such as "
                    + "http://127.0.0.1:9000: " + e.getReason() + ".");
        }
    }

    protected MavenLogListener listener() {
        return new MavenLogListener(getLog());
    }

    /** The default output folder: {@code ${project.build.directory}}, or {@code ./target} without a project. */
    protected File buildDirectory() {
        if (forkedBuildDirectory != null) {
            return forkedBuildDirectory;
        }
        // Maven's stub project (a run without pom.xml) leaves ${project.basedir} in its build directory unresolved.
        if (project != null && project.getFile() != null && project.getBuild() != null
                && project.getBuild().getDirectory() != null && !project.getBuild().getDirectory().contains("${")) {
            return new File(project.getBuild().getDirectory());
        }
        return baseDir().resolve("target").toFile();
    }

    /** Where deploy notes what it changed, for status: next to the default resources JSON. */
    protected Path lastDeployFile() {
        return buildDirectory().toPath().resolve("oneclick").resolve("last-deploy.properties");
    }

    /** Logs a tracked record, one attribute a line. */
    protected void logRecord(DeploymentRecord r) {
        getLog().info("Tracked record (table " + tableName + "):");
        getLog().info("  projectId:   " + r.projectId());
        getLog().info("  userId:      " + r.userId());
        getLog().info("  projectName: " + r.projectName());
        getLog().info("  status:      " + r.status().map(Enum::name).orElse("(none)"));
        getLog().info("  version:     " + r.version());
        getLog().info("  createdAt:   " + r.createdAt());
        getLog().info("  updatedAt:   " + r.updatedAt());
        r.lastError().ifPresent(e -> getLog().info("  lastError:   " + e));
        getLog().info("  awsResources:");
        for (String line : r.awsResources().toPrettyJson().split("\\R")) {
            getLog().info("    " + line);
        }
    }
}
