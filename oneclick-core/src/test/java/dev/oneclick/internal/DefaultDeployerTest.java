package dev.oneclick.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.Deployer;
import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.engine.internal.ProjectRecords;
import dev.oneclick.fakes.FakeCloudFront;
import dev.oneclick.fakes.FakeS3Control;
import dev.oneclick.resources.AwsResources;
import dev.oneclick.tracking.DeploymentRecord;
import dev.oneclick.tracking.DeploymentStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The builder and the input checks, which run before any AWS or tracker call (no servers needed). */
class DefaultDeployerTest {
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    @TempDir
    Path tmp;

    private final FakeCloudFront cloudFront = new FakeCloudFront();
    private final FakeS3Control s3 = new FakeS3Control(null);
    private final List<String> storeCalls = new ArrayList<>();
    private final List<DefaultDeployer> opened = new ArrayList<>();
    private static S3AsyncClient async;
    private Path site;

    /** A record store that only notes that it was called. */
    private final ProjectRecords records = new ProjectRecords() {
        @Override
        public void ensureReady() {
            storeCalls.add("ensureReady");
        }

        @Override
        public Optional<DeploymentRecord> get(String userId, String projectId) {
            storeCalls.add("get");
            return Optional.empty();
        }

        @Override
        public Optional<DeploymentRecord> findByProjectId(String projectId) {
            storeCalls.add("findByProjectId");
            return Optional.empty();
        }

        @Override
        public DeploymentRecord recordResources(String u, String p, String n, AwsResources r) {
            storeCalls.add("recordResources");
            throw new AssertionError("not expected");
        }

        @Override
        public DeploymentRecord forgetResources(String u, String p, java.util.Collection<String> keys) {
            storeCalls.add("forgetResources");
            throw new AssertionError("not expected");
        }

        @Override
        public dev.oneclick.tracking.DeploymentTracker.LeaseGrant acquireLease(String u, String p, String run,
                String holder, java.time.Duration ttl) {
            storeCalls.add("acquireLease");
            throw new AssertionError("not expected");
        }

        @Override
        public boolean renewLease(String u, String p, String run, java.time.Duration ttl) {
            storeCalls.add("renewLease");
            throw new AssertionError("not expected");
        }

        @Override
        public boolean releaseLease(String u, String p, String run, boolean removeBareItem) {
            storeCalls.add("releaseLease");
            throw new AssertionError("not expected");
        }

        @Override
        public DeploymentRecord updateStatus(String u, String p, String n, DeploymentStatus s, String e) {
            storeCalls.add("updateStatus");
            throw new AssertionError("not expected");
        }
    };

    /** Never called: every test here ends before the sync. Its endpoint is a closed local port. */
    @BeforeAll
    static void client() {
        async = S3AsyncClient.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                .endpointOverride(java.net.URI.create("http://127.0.0.1:9")).build();
    }

    @AfterAll
    static void closeClient() {
        async.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        site = tmp.resolve("dist");
        Files.createDirectories(site);
        Files.writeString(site.resolve("index.html"), "<!doctype html>");
    }

    @AfterEach
    void tearDown() {
        opened.forEach(DefaultDeployer::close);
    }

    private DefaultDeployer deployer() {
        DefaultDeployer d = DefaultDeployer.builder().region("us-east-1").s3Client(s3).s3AsyncClient(async)
                .cloudFrontClient(cloudFront).records(records).build();
        opened.add(d);
        return d;
    }

    private void assertRefusedBeforeAnything(String field, UnaryOperator<DeployRequest.Builder> change) {
        DeployRequest request = change.apply(DeployRequest.builder().guid(GUID).userId("u1").siteDir(site)).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> deployer().deploy(request));
        assertEquals(field, e.field(), e.getMessage());
        InvalidInputException p = assertThrows(InvalidInputException.class, () -> deployer().plan(request));
        assertEquals(field, p.field());
        assertTrue(cloudFront.calls().isEmpty(), cloudFront.calls().toString());
        assertTrue(s3.calls().isEmpty(), s3.calls().toString());
        assertTrue(storeCalls.isEmpty(), storeCalls.toString());
    }

    @Test
    void deploy_whenGuidNotAUuid_throwsInvalidGuidBeforeAnyCall() {
        assertRefusedBeforeAnything("guid", b -> b.guid("tmux-builder-123"));
        assertInstanceOf(InvalidGuidException.class, assertThrows(InvalidInputException.class,
                () -> deployer().deploy(r -> r.guid(null).userId("u1").siteDir(site))));
    }

    @Test
    void deploy_whenUserIdHasForbiddenCharacters_throwsInvalidInputNamingUserId() {
        assertRefusedBeforeAnything("userId", b -> b.userId("a b\n"));
    }

    @Test
    void deploy_whenNoSiteOrProjectFolder_throwsInvalidInputNamingSiteDir() {
        assertRefusedBeforeAnything("siteDir", b -> b.siteDir(null));
    }

    @Test
    void deploy_whenSiteFolderMissing_throwsInvalidInputNamingSiteDir() {
        assertRefusedBeforeAnything("siteDir", b -> b.siteDir(tmp.resolve("missing")));
    }

    @Test
    void deploy_whenSiteFolderEmpty_throwsInvalidInputNamingSiteDir() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertRefusedBeforeAnything("siteDir", b -> b.siteDir(empty));
    }

    @Test
    void deploy_whenFullStackWithoutBackend_throwsInvalidInputNamingBackend() {
        assertRefusedBeforeAnything("backend", b -> b.kind(DeployRequest.Kind.FULL_STACK));
    }

    @Test
    void deploy_whenFullStackJarMissing_throwsInvalidInputNamingImage() {
        assertRefusedBeforeAnything("image", b -> b.siteDir(null).backend(k -> k.image(
                dev.oneclick.stack.ImageSource.jar(tmp.resolve("missing.jar")))));
    }

    @Test
    void deploy_whenMaxDeletesNegative_throwsInvalidInputNamingMaxDeletes() {
        assertRefusedBeforeAnything("maxDeletes", b -> b.maxDeletes(-1));
    }

    @Test
    void deploy_whenBuildCommandWithoutProjectFolder_throwsInvalidInputNamingProjectDir() {
        assertRefusedBeforeAnything("projectDir", b -> b.buildCommand("npm run build"));
    }

    @Test
    void deploy_whenSiteHasASymlinkLeadingOutside_throwsInvalidInputNamingSiteDir() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "password");
        Files.createSymbolicLink(site.resolve("leak.txt"), secret);
        assertRefusedBeforeAnything("siteDir", b -> b);
    }

    @Test
    void deploy_whenWaitTimeoutNegative_throwsInvalidInputNamingWaitTimeout() {
        assertRefusedBeforeAnything("waitTimeout", b -> b.waitForDeployed(true)
                .waitTimeout(java.time.Duration.ofSeconds(-1)));
    }

    @Test
    void deploy_whenBuildTimeoutNotPositive_throwsInvalidInputNamingBuildTimeout() {
        assertRefusedBeforeAnything("buildTimeout", b -> b.projectDir(tmp).buildCommand("touch built")
                .buildTimeout(java.time.Duration.ZERO));
        assertTrue(Files.notExists(tmp.resolve("built")), "the build must not run");
    }

    @Test
    void destroy_whenGuidInvalid_throwsInvalidGuidBeforeAnyCall() {
        assertThrows(InvalidGuidException.class, () -> deployer().destroy("not-a-guid", "u1"));
        assertThrows(InvalidGuidException.class, () -> deployer().status("not-a-guid", "u1"));
        assertTrue(cloudFront.calls().isEmpty());
        assertTrue(s3.calls().isEmpty());
        assertTrue(storeCalls.isEmpty());
    }

    @Test
    void builder_whenCreatedThroughTheInterface_isTheDefaultDeployersBuilder() {
        assertInstanceOf(DeployerBuilder.class, Deployer.builder());
    }

    @Test
    void builder_whenConcurrencyOutOfRange_throwsInvalidInputNamingConcurrency() {
        assertEquals("concurrency", assertThrows(InvalidInputException.class,
                () -> DefaultDeployer.builder().concurrency(0)).field());
        assertEquals("concurrency", assertThrows(InvalidInputException.class,
                () -> DefaultDeployer.builder().concurrency(5000)).field());
    }

    @Test
    void builder_whenRegionOrTableBlank_throwsInvalidInputNamingIt() {
        assertEquals("region", assertThrows(InvalidInputException.class,
                () -> DefaultDeployer.builder().region(" ")).field());
        assertEquals("tableName", assertThrows(InvalidInputException.class,
                () -> DefaultDeployer.builder().tableName("")).field());
    }

    @Test
    void builder_whenRegionGiven_usesIt() {
        DefaultDeployer d = DefaultDeployer.builder().region("eu-central-1").s3Client(s3).s3AsyncClient(async)
                .cloudFrontClient(cloudFront).records(records).build();
        opened.add(d);
        assertEquals("eu-central-1", d.region());
    }

    @Test
    void builder_whenNoRegionGiven_takesItFromTheSdkRegionChain() {
        String before = System.getProperty("aws.region");
        System.setProperty("aws.region", "ap-southeast-2");
        try {
            DefaultDeployer d = DefaultDeployer.builder().s3Client(s3).s3AsyncClient(async)
                    .cloudFrontClient(cloudFront).records(records).build();
            opened.add(d);
            assertEquals("ap-southeast-2", d.region());
        } finally {
            if (before == null) {
                System.clearProperty("aws.region");
            } else {
                System.setProperty("aws.region", before);
            }
        }
    }
}
