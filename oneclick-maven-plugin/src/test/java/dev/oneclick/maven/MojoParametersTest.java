package dev.oneclick.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.site.CacheRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Mojos' own checks, which run before the core or any local server is touched. */
class MojoParametersTest {
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    @TempDir
    Path dir;

    /** Captures info lines. */
    static final class CapturingLog extends SystemStreamLog {
        final List<String> infos = new ArrayList<>();

        @Override
        public void info(CharSequence content) {
            infos.add(content.toString());
        }
    }

    private DeployMojo deployMojo() {
        DeployMojo m = new DeployMojo();
        m.guid = GUID;
        m.userId = "alice";
        m.siteDir = dir.toString();
        m.target = "aws";
        m.tableName = "tmux-deployments";
        m.prune = true;
        m.maxDeletes = 1000;
        m.spaFallback = true;
        return m;
    }

    @Test
    void execute_whenGuidInvalid_failsNamingOneclickGuid() {
        DeployMojo m = deployMojo();
        m.guid = "not-a-guid";
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.guid:"), e.getMessage());
        assertTrue(e.getMessage().contains("not-a-guid"), e.getMessage());
    }

    @Test
    void execute_whenGuidMissing_failsNamingOneclickGuidOnEveryGoal() {
        for (AbstractOneclickMojo m : List.of(deployMojo(), new PlanMojo(), new StatusMojo(), new DestroyMojo())) {
            m.guid = null;
            m.userId = "alice";
            m.siteDir = dir.toString();
            m.target = "aws";
            MojoFailureException e = assertThrows(MojoFailureException.class, m::execute, m.goal());
            assertTrue(e.getMessage().startsWith("Invalid oneclick.guid:"), m.goal() + ": " + e.getMessage());
        }
    }

    @Test
    void execute_whenSiteDirMissing_failsNamingOneclickSiteDir() {
        DeployMojo m = deployMojo();
        m.siteDir = dir.resolve("dist").toString();
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.siteDir:"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("dist").toString()), e.getMessage());
    }

    @Test
    void execute_whenSiteDirIsAFile_failsNamingOneclickSiteDir() throws Exception {
        DeployMojo m = deployMojo();
        Path file = Files.writeString(dir.resolve("index.html"), "x");
        m.siteDir = file.toString();
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().contains("oneclick.siteDir") && e.getMessage().contains("is a file, not a folder"),
                e.getMessage());
    }

    @Test
    void execute_whenTargetUnknown_failsNamingOneclickTarget() {
        DeployMojo m = deployMojo();
        m.target = "moon";
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().contains("Unknown oneclick.target 'moon'"), e.getMessage());
    }

    @Test
    void execute_whenUserIdInvalid_failsNamingOneclickUserId() {
        StatusMojo m = new StatusMojo();
        m.guid = GUID;
        m.userId = "bad user";
        m.target = "aws";
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.userId:"), e.getMessage());
    }

    @Test
    void execute_whenCacheRuleMalformed_failsNamingOneclickCacheRules() {
        PlanMojo m = new PlanMojo();
        m.guid = GUID;
        m.userId = "alice";
        m.siteDir = dir.toString();
        m.target = "aws";
        m.cacheRules = "assets/**";
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.cacheRules:"), e.getMessage());
    }

    @Test
    void execute_whenSkipped_logsAndChecksNothing() throws Exception {
        for (AbstractOneclickMojo m : List.of(new DeployMojo(), new PlanMojo(), new StatusMojo(), new DestroyMojo())) {
            CapturingLog log = new CapturingLog();
            m.setLog(log);
            m.skip = true;
            m.guid = "not-a-guid";
            m.target = "moon";
            m.execute();
            assertEquals(List.of("Skipping oneclick:" + m.goal() + " (oneclick.skip=true)"), log.infos);
        }
    }

    @Test
    void request_whenParametersGiven_mapsThemToTheCoreRequest() {
        DeployMojo m = deployMojo();
        m.projectName = "Shop";
        m.prune = false;
        m.maxDeletes = 7;
        m.spaFallback = false;
        m.waitForDeployed = true;
        m.cacheRules = "assets/**=public, max-age=60";
        DeployRequest r = m.request(GUID, "alice");
        assertEquals(GUID, r.guid());
        assertEquals("alice", r.userId());
        assertEquals("Shop", r.projectName());
        assertEquals(dir, r.siteDir());
        assertEquals(false, r.prune());
        assertEquals(7, r.maxDeletes());
        assertEquals(false, r.spaFallback());
        assertEquals(true, r.waitForDeployed());
        assertEquals(List.of(new CacheRule("assets/**", "public, max-age=60")), r.cacheRules());
    }

    @Test
    void request_whenBuildCommandAndNoSiteDir_runsTheCommandInTheProjectFolder() {
        DeployMojo m = deployMojo();
        m.project = projectIn(dir);
        m.siteDir = null;
        m.buildCommand = "npm ci && npm run build";
        DeployRequest r = m.request(GUID, "alice");
        assertEquals("npm ci && npm run build", r.buildCommand());
        assertEquals(dir, r.projectDir());
        assertEquals(null, r.siteDir(), "the core looks for dist/ or build/ after the build");
    }

    @Test
    void request_whenSiteDirRelative_resolvesAgainstTheProjectFolder() throws Exception {
        Files.createDirectories(dir.resolve("web/dist"));
        DeployMojo m = deployMojo();
        m.project = projectIn(dir);
        m.siteDir = "web/dist";
        assertEquals(dir.resolve("web/dist"), m.request(GUID, "alice").siteDir());
    }

    @Test
    void request_whenSiteDirUnsetAndDistExists_deploysDist() throws Exception {
        Files.createDirectories(dir.resolve("dist"));
        DeployMojo m = deployMojo();
        m.project = projectIn(dir);
        m.siteDir = null;
        assertEquals(dir.resolve("dist"), m.request(GUID, "alice").siteDir());
    }

    @Test
    void execute_whenEndpointNotAUrl_failsNamingTheEndpointParameter() {
        for (String field : List.of("s3Endpoint", "cloudFrontEndpoint", "dynamoDbEndpoint")) {
            DeployMojo m = deployMojo();
            switch (field) {
                case "s3Endpoint" -> m.s3Endpoint = "localhost:9000";
                case "cloudFrontEndpoint" -> m.cloudFrontEndpoint = "localhost:9000";
                default -> m.dynamoDbEndpoint = "localhost:9000";
            }
            MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
            assertTrue(e.getMessage().startsWith("Invalid oneclick." + field + ":"), e.getMessage());
        }
    }

    private static org.apache.maven.project.MavenProject projectIn(Path folder) {
        org.apache.maven.project.MavenProject p = new org.apache.maven.project.MavenProject();
        p.setFile(folder.resolve("pom.xml").toFile());
        return p;
    }

    @Test
    void request_whenMaxDeletesNegative_throwsNamingMaxDeletes() {
        DeployMojo m = deployMojo();
        m.maxDeletes = -1;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> m.request(GUID, "alice"));
        assertEquals("maxDeletes", e.field());
    }

    @Test
    void lockWait_whenSecondsOrIsoDuration_mapsToADurationAndOtherwiseNamesOneclickLockWait() {
        DeployMojo m = deployMojo();
        m.lockWait = "600";
        assertEquals(java.time.Duration.ofMinutes(10), m.lockWait());
        m.lockWait = "PT2M";
        assertEquals(java.time.Duration.ofMinutes(2), m.lockWait());
        m.lockWait = "0";
        assertEquals(java.time.Duration.ZERO, m.lockWait());
        m.lockWait = "ten minutes";
        InvalidInputException e = assertThrows(InvalidInputException.class, m::lockWait);
        assertEquals("lockWait", e.field());
        assertTrue(e.getMessage().contains("PT10M"), e.getMessage());
    }

    @Test
    void failureMessage_whenFieldGiven_namesThePropertyToSet() {
        String msg = AbstractOneclickMojo.failureMessage(new InvalidInputException("siteDir", "No such folder."));
        assertEquals("Invalid oneclick.siteDir: No such folder. (set the parameter 'siteDir' in the plugin "
                + "configuration or -Doneclick.siteDir=...)", msg);
    }

    @Test
    void hint_whenCredentialsMissingDeepInCauses_namesTheCredentialChain() {
        var e = new dev.oneclick.errors.OneclickException("Could not reach DynamoDB",
                new RuntimeException("Unable to load credentials from any of the providers in the chain"));
        assertTrue(AbstractOneclickMojo.hint(e).contains("oneclick.profile"), AbstractOneclickMojo.hint(e));
    }

    @Test
    void hint_whenAccessDenied_pointsAtThePolicy() {
        var e = new dev.oneclick.errors.OneclickException("User: arn:aws:iam::1:user/x is not authorized to perform: "
                + "cloudfront:CreateDistribution");
        assertTrue(AbstractOneclickMojo.hint(e).contains("docs/iam-policy.json"));
    }

    @Test
    void hint_whenOtherError_addsNothing() {
        assertEquals("", AbstractOneclickMojo.hint(new dev.oneclick.errors.OneclickException("bucket name taken")));
    }

    @Test
    void globs_whenCommasNewLinesAndBraceGroups_splitsOutsideTheGroupsOnly() {
        assertEquals(java.util.List.of("*.map", "drafts/", "*.{pem,key}", "/robots.txt"),
                AbstractOneclickMojo.globs(" *.map, drafts/\n*.{pem,key},, /robots.txt "));
        assertEquals(java.util.List.of(), AbstractOneclickMojo.globs("  "));
        assertEquals(java.util.List.of(), AbstractOneclickMojo.globs(null));
    }

    @Test
    void execute_whenFullStackPortIsNotANumber_failsNamingOneclickPort() throws Exception {
        DeployMojo m = deployMojo();
        m.kind = "fullstack";
        m.jar = Files.writeString(dir.resolve("app.jar"), "jar").toString();
        m.port = "http";
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.port:"), e.getMessage());
    }

    @Test
    void execute_whenStaticSiteGetsABackendJar_failsNamingOneclickJarAndKind() {
        PlanMojo m = new PlanMojo();
        m.guid = GUID;
        m.siteDir = dir.toString();
        m.target = "aws";
        m.jar = "target/app.jar";
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.jar:"), e.getMessage());
        assertTrue(e.getMessage().contains("oneclick.kind"), e.getMessage());
    }

    @Test
    void request_whenFullStackWithoutSiteFolder_hasTheBackendAndNoFrontend() throws Exception {
        DeployMojo m = deployMojo();
        m.siteDir = null;
        m.kind = "fullstack";
        m.jar = Files.writeString(dir.resolve("app.jar"), "jar").toString();
        m.database = "postgres";
        DeployRequest r = m.request(GUID, "alice");
        assertEquals(DeployRequest.Kind.FULL_STACK, r.kind());
        assertEquals(null, r.siteDir());
        assertEquals(dev.oneclick.stack.ImageSource.jar(dir.resolve("app.jar")), r.backend().image());
        assertEquals("app", r.backend().database().name());
    }

    @Test
    void request_whenFullStackWithSiteFolder_keepsItAsTheFrontend() throws Exception {
        DeployMojo m = deployMojo();
        m.kind = "fullstack";
        m.jar = Files.writeString(dir.resolve("app.jar"), "jar").toString();
        assertEquals(dir, m.request(GUID, "alice").siteDir());
    }

    @Test
    void execute_whenAwsEndpointIsNotAUrl_failsNamingOneclickAwsEndpoint() {
        DeployMojo m = deployMojo();
        m.awsEndpoint = "127.0.0.1:5000";
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.awsEndpoint:"), e.getMessage());
    }

    @Test
    void execute_whenLocalFullStackFromAnImage_failsSayingLocalRunsJars() {
        DeployMojo m = deployMojo();
        m.target = "local";
        m.kind = "fullstack";
        m.image = "registry.example.com/app:1";
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.image:"), e.getMessage());
        assertTrue(e.getMessage().contains("oneclick.target=local"), e.getMessage());
    }

    @Test
    void execute_whenLocalFullStackWithMysql_failsSayingLocalRunsPostgres() throws Exception {
        DeployMojo m = deployMojo();
        m.target = "local";
        m.kind = "fullstack";
        m.jar = Files.writeString(dir.resolve("app.jar"), "jar").toString();
        m.database = "mysql";
        Files.writeString(dir.resolve("index.html"), "<p>app</p>");
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().startsWith("Invalid oneclick.database:"), e.getMessage());
    }
}
