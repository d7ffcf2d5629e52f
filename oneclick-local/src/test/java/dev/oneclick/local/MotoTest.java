package dev.oneclick.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionResponse;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.Tag;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * {@link Moto} against the real moto server: its lifecycle, the error when moto is missing, and each of
 * {@link MotoCorrections}' corrections (for each, a test that the deviation is really there on moto's wire, and one
 * that the clients of {@link Moto} see what AWS would send).
 */
class MotoTest {

    private static final String AWS_ARN = "arn:aws:cloudfront::123456789012:distribution/";
    private static Moto moto;

    @BeforeAll
    static void startMoto() {
        moto = Moto.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void resetMoto() {
        moto.reset();
    }

    // ---- lifecycle ----

    @Test
    void close_whenRunning_killsMotoAndFreesPort() throws Exception {
        Moto own = Moto.start();
        int port = own.endpoint().getPort();
        Process process = own.process();
        assertTrue(process.isAlive());
        assertTrue(answers(port));
        assertEquals("127.0.0.1", own.endpoint().getHost());
        assertEquals(Moto.VERSION, own.version());

        own.close();

        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "moto still running after close()");
        assertFalse(answers(port), "port " + port + " still answers after close()");
        assertFalse(own.isRunning());
        own.close(); // idempotent
    }

    @Test
    void start_whenJvmExitsWithoutClose_shutdownHookKillsMoto(@TempDir Path dir) throws Exception {
        assertMotoDiesWithJvm("exit", dir);
    }

    @Test
    void start_whenJvmIsHaltedWithoutHooks_motoNoticesStdinClosedAndExits(@TempDir Path dir) throws Exception {
        assertMotoDiesWithJvm("halt", dir);
    }

    @Test
    void start_whenMotoMissing_failsNamingWhatToInstall(@TempDir Path emptyPath) {
        MotoNotFoundException e = assertThrows(MotoNotFoundException.class,
                () -> Moto.builder().searchPath(emptyPath.toString()).start());

        assertTrue(e.getMessage().contains("pip install 'moto[server]==" + Moto.VERSION + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(Moto.PYTHON_PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains(emptyPath.toString()), "names the PATH searched: " + e.getMessage());
    }

    @Test
    void start_whenPythonLacksMoto_failsNamingInterpreterAndWhatToInstall(@TempDir Path bin) throws Exception {
        Path python = bin.resolve("python3");
        Files.writeString(python, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'moto'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));

        MotoNotFoundException e = assertThrows(MotoNotFoundException.class,
                () -> Moto.builder().searchPath(bin.toString()).start());

        assertTrue(e.getMessage().contains(python + ": ModuleNotFoundError: No module named 'moto'"), e.getMessage());
        assertTrue(e.getMessage().contains("moto[server]==" + Moto.VERSION), e.getMessage());
    }

    @Test
    void start_whenEnvironmentGiven_motoRunsWithIt() {
        try (Moto own = Moto.builder().environment(Map.of("MOTO_ACCOUNT_ID", "111122223333")).start()) {
            Distribution d = own.cloudFrontClient().createDistribution(b -> b.distributionConfig(
                    config("env", null, "env"))).distribution();
            assertEquals("arn:aws:cloudfront::111122223333:distribution/" + d.id(), d.arn());
        }
    }

    @Test
    void reset_whenResourcesExist_emptiesMotoAndForgetsRememberedIds() {
        String oac = createOac("reset");
        moto.cloudFrontClient().createDistribution(b -> b.distributionConfig(config("reset", oac, "reset")));
        moto.s3Client().createBucket(b -> b.bucket("reset-bucket"));
        assertEquals(1, moto.corrections().rememberedDistributions());

        moto.reset();

        assertEquals(0, moto.cloudFrontClient().listDistributions(b -> { }).distributionList().quantity());
        assertEquals(0, moto.cloudFrontClient().listOriginAccessControls(b -> { }).originAccessControlList()
                .quantity());
        assertTrue(moto.s3Client().listBuckets().buckets().isEmpty());
        assertEquals(0, moto.corrections().rememberedDistributions());
    }

    @Test
    void configure_whenCalledTwice_addsEachCorrectionOnceAndServesAnyService() {
        DynamoDbClientBuilder builder = moto.configure(moto.configure(DynamoDbClient.builder()))
                .httpClientBuilder(ApacheHttpClient.builder());
        List<ExecutionInterceptor> added = builder.overrideConfiguration().executionInterceptors();
        assertEquals(moto.corrections().interceptors(), added);
        try (DynamoDbClient dynamoDb = builder.build()) {
            assertTrue(dynamoDb.listTables().tableNames().isEmpty(), "moto serves DynamoDB on the same endpoint");
        }
    }

    // ---- the distribution ARN ----

    @Test
    void distributionArn_onMotoWire_lacksRegionField() {
        try (CloudFrontClient raw = rawCloudFront()) {
            Distribution d = raw.createDistribution(b -> b.distributionConfig(config("raw-arn", null, "c")))
                    .distribution();
            assertEquals("arn:aws:cloudfront:123456789012:distribution/" + d.id(), d.arn());
        }
    }

    @Test
    void distributionArn_throughMotoClients_hasEmptyRegionFieldInEveryAnswer() {
        CloudFrontClient cf = moto.cloudFrontClient();
        CreateDistributionResponse created = cf.createDistribution(b -> b.distributionConfig(config("arn", null, "c")));
        String id = created.distribution().id();
        String arn = AWS_ARN + id;

        assertEquals(arn, created.distribution().arn());
        assertEquals(arn, cf.getDistribution(b -> b.id(id)).distribution().arn());
        assertEquals(arn, cf.updateDistribution(b -> b.id(id).ifMatch(created.eTag())
                .distributionConfig(config("arn", null, "changed"))).distribution().arn());
        assertEquals(List.of(arn), cf.listDistributions(b -> { }).distributionList().items().stream()
                .map(DistributionSummary::arn).toList());
        String withTags = cf.createDistributionWithTags(b -> b.distributionConfigWithTags(w -> w
                .distributionConfig(config("arn-tags", null, "t")).tags(t -> t.items(tag("k", "v")))))
                .distribution().arn();
        assertTrue(withTags.startsWith(AWS_ARN), withTags);
    }

    @Test
    void tags_byAwsFormArn_meetTagsGivenAtCreationAndAddedLater() {
        CloudFrontClient cf = moto.cloudFrontClient();
        String arn = cf.createDistributionWithTags(b -> b.distributionConfigWithTags(w -> w
                .distributionConfig(config("tags", null, "t")).tags(t -> t.items(tag("oneclick:project-guid", "g")))))
                .distribution().arn();

        cf.tagResource(b -> b.resource(arn).tags(t -> t.items(tag("oneclick:user-id", "u"))));
        assertEquals(Map.of("oneclick:project-guid", "g", "oneclick:user-id", "u"), tags(cf, arn));

        cf.untagResource(b -> b.resource(arn).tagKeys(k -> k.items("oneclick:user-id")));
        assertEquals(Map.of("oneclick:project-guid", "g"), tags(cf, arn));
        try (CloudFrontClient raw = rawCloudFront()) {
            assertEquals(Map.of(), tags(raw, arn), "moto keys tags by its own form of the ARN");
        }
    }

    // ---- the origin access control id ----

    @Test
    void originAccessControlId_onMotoWire_isDropped() {
        String oac = createOac("raw-oac");
        try (CloudFrontClient raw = rawCloudFront()) {
            Distribution d = raw.createDistribution(b -> b.distributionConfig(config("raw-oac", oac, "c")))
                    .distribution();
            assertNull(d.distributionConfig().origins().items().get(0).originAccessControlId());
            assertNull(raw.getDistributionConfig(b -> b.id(d.id())).distributionConfig().origins().items().get(0)
                    .originAccessControlId());
        }
    }

    @Test
    void originAccessControlId_throughMotoClients_isReturnedByEveryReadAndUpdate() {
        String oac = createOac("oac");
        String other = createOac("oac-2");
        CloudFrontClient cf = moto.cloudFrontClient();
        CreateDistributionResponse created = cf.createDistribution(b -> b.distributionConfig(
                config("oac", oac, "c")));
        String id = created.distribution().id();
        assertEquals(oac, originOac(created.distribution().distributionConfig()));
        assertEquals(oac, originOac(cf.getDistribution(b -> b.id(id)).distribution().distributionConfig()));
        assertEquals(oac, originOac(cf.getDistributionConfig(b -> b.id(id)).distributionConfig()));

        Distribution updated = cf.updateDistribution(b -> b.id(id).ifMatch(created.eTag())
                .distributionConfig(config("oac", other, "c"))).distribution();
        assertEquals(other, originOac(updated.distributionConfig()));

        // another client of the same moto (the engine's own) sees what this one sent
        try (CloudFrontClient second = moto.configure(CloudFrontClient.builder())
                .httpClientBuilder(ApacheHttpClient.builder()).build()) {
            assertEquals(other, originOac(second.getDistributionConfig(b -> b.id(id)).distributionConfig()));
        }
        String plain = cf.createDistribution(b -> b.distributionConfig(config("no-oac", null, "c"))).distribution()
                .id();
        assertNull(originOac(cf.getDistributionConfig(b -> b.id(plain)).distributionConfig()),
                "an origin without origin access control gets none");
    }

    // ---- ListDistributions summaries ----

    @Test
    void listDistributions_onMotoWire_summariesLackCommentAndOrigins() {
        try (CloudFrontClient raw = rawCloudFront()) {
            raw.createDistribution(b -> b.distributionConfig(config("raw-list", null, "tmux-builder-raw")));
            DistributionSummary s = raw.listDistributions(b -> { }).distributionList().items().get(0);
            assertNull(s.comment());
            assertNull(s.origins());
            assertNull(s.enabled());
        }
    }

    @Test
    void listDistributions_throughMotoClients_summariesHoldCommentOriginsAndSettings() {
        String oac = createOac("list");
        CloudFrontClient cf = moto.cloudFrontClient();
        String id = cf.createDistribution(b -> b.distributionConfig(config("list", oac, "tmux-builder-guid")))
                .distribution().id();

        DistributionSummary s = cf.listDistributions(b -> { }).distributionList().items().get(0);

        assertEquals(id, s.id());
        assertEquals("tmux-builder-guid", s.comment());
        assertEquals(Boolean.TRUE, s.enabled());
        assertEquals("bucket-1.s3.us-east-1.amazonaws.com", s.origins().items().get(0).domainName());
        assertEquals(oac, s.origins().items().get(0).originAccessControlId());
        assertEquals("s3", s.defaultCacheBehavior().targetOriginId());
        assertEquals(AWS_ARN + id, s.arn());
    }

    // ---- Expect: 100-continue ----

    @Test
    void expectContinue_onMotoWire_isAnsweredTwice() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", moto.endpoint().getPort()), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /moto-api/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String before = readFor(socket.getInputStream(), 1000);
            assertEquals(2, count(before, "HTTP/1.1 100 Continue"), "before the body was sent: " + before);
        }
    }

    @Test
    void putObject_async2MbAnd20Mb_uploadsAndReadsBack() throws Exception {
        S3AsyncClient s3 = moto.s3AsyncClient();
        s3.createBucket(b -> b.bucket("async-bucket")).join();
        for (int size : new int[] {2 << 20, 20 << 20, 2 << 20}) {
            byte[] body = bytes(size);
            String key = "k" + size;
            s3.putObject(b -> b.bucket("async-bucket").key(key), AsyncRequestBody.fromBytes(body)).join();
            byte[] back = s3.getObject(b -> b.bucket("async-bucket").key(key), AsyncResponseTransformer.toBytes())
                    .join().asByteArray();
            assertArrayEquals(sha256(body), sha256(back), key);
        }
    }

    @Test
    void putObject_sync2MbAnd20Mb_uploadsAndReadsBack() throws Exception {
        S3Client s3 = moto.s3Client();
        s3.createBucket(b -> b.bucket("sync-bucket"));
        for (int size : new int[] {2 << 20, 20 << 20}) {
            byte[] body = bytes(size);
            String key = "k" + size;
            s3.putObject(b -> b.bucket("sync-bucket").key(key), RequestBody.fromBytes(body));
            assertArrayEquals(sha256(body), sha256(s3.getObjectAsBytes(b -> b.bucket("sync-bucket").key(key))
                    .asByteArray()), key);
        }
    }

    @Test
    void multipartUpload_syncPartsAndAsyncMultipartClient_assembleTheObject() throws Exception {
        S3Client s3 = moto.s3Client();
        s3.createBucket(b -> b.bucket("multipart-bucket"));
        byte[] body = bytes(11 << 20);
        int partSize = 5 << 20;
        String upload = s3.createMultipartUpload(b -> b.bucket("multipart-bucket").key("sync")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int part = 1, offset = 0; offset < body.length; part++, offset += partSize) {
            int n = part;
            int length = Math.min(partSize, body.length - offset);
            String etag = s3.uploadPart(b -> b.bucket("multipart-bucket").key("sync").uploadId(upload).partNumber(n),
                    RequestBody.fromBytes(Arrays.copyOfRange(body, offset, offset + length))).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket("multipart-bucket").key("sync").uploadId(upload)
                .multipartUpload(m -> m.parts(parts)));
        assertArrayEquals(sha256(body), sha256(s3.getObjectAsBytes(b -> b.bucket("multipart-bucket").key("sync"))
                .asByteArray()));

        try (S3AsyncClient multipart = moto.configure(S3AsyncClient.builder()).multipartEnabled(true)
                .multipartConfiguration(c -> c.thresholdInBytes(8L << 20).minimumPartSizeInBytes(5L << 20)).build()) {
            multipart.putObject(b -> b.bucket("multipart-bucket").key("async"), AsyncRequestBody.fromBytes(body))
                    .join();
        }
        assertArrayEquals(sha256(body), sha256(s3.getObjectAsBytes(b -> b.bucket("multipart-bucket").key("async"))
                .asByteArray()));
        assertTrue(s3.headObject(b -> b.bucket("multipart-bucket").key("async")).eTag().contains("-"),
                "uploaded in parts");
    }

    // ---- helpers ----

    /** A CloudFront client on moto without the corrections: what moto really sends. */
    private static CloudFrontClient rawCloudFront() {
        return CloudFrontClient.builder().endpointOverride(moto.endpoint()).region(moto.region())
                .credentialsProvider(moto.credentialsProvider()).httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    private static String createOac(String name) {
        return moto.cloudFrontClient().createOriginAccessControl(b -> b.originAccessControlConfig(c -> c.name(name)
                .signingBehavior("always").signingProtocol("sigv4").originAccessControlOriginType("s3")))
                .originAccessControl().id();
    }

    /** A static site's distribution: one S3 origin (with origin access control {@code oac} unless null). */
    static DistributionConfig config(String callerReference, String oac, String comment) {
        return DistributionConfig.builder().callerReference(callerReference).comment(comment).enabled(true)
                .origins(o -> o.quantity(1).items(Origin.builder().id("s3")
                        .domainName("bucket-1.s3.us-east-1.amazonaws.com").originAccessControlId(oac)
                        .s3OriginConfig(s -> s.originAccessIdentity("")).build()))
                .defaultCacheBehavior(d -> d.targetOriginId("s3").viewerProtocolPolicy("redirect-to-https")
                        .cachePolicyId("658327ea-f89d-4fab-a63d-7e88639e58f6"))
                .defaultRootObject("index.html")
                .build();
    }

    private static String originOac(DistributionConfig config) {
        return config.origins().items().get(0).originAccessControlId();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static Map<String, String> tags(CloudFrontClient cf, String arn) {
        Map<String, String> tags = new java.util.TreeMap<>();
        cf.listTagsForResource(b -> b.resource(arn)).tags().items().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /** What arrives on {@code in} within {@code millis} (or until the peer closes). */
    private static String readFor(InputStream in, long millis) throws IOException {
        StringBuilder text = new StringBuilder();
        long deadline = System.currentTimeMillis() + millis;
        byte[] buffer = new byte[4096];
        while (System.currentTimeMillis() < deadline) {
            if (in.available() == 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                continue;
            }
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    /** Runs {@link OrphanProbe} with moto in a child JVM and checks that moto ends with it. */
    private static void assertMotoDiesWithJvm(String how, Path dir) throws Exception {
        Path info = dir.resolve("probe.txt");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                OrphanProbe.class.getName(), how, info.toString(), "moto")
                .redirectErrorStream(true).redirectOutput(dir.resolve("jvm.log").toFile()).start();
        assertTrue(jvm.waitFor(90, TimeUnit.SECONDS), "probe JVM did not end");
        assertTrue(Files.isRegularFile(info), "probe did not start moto: " + Files.readString(dir.resolve("jvm.log")));
        String[] portAndPid = Files.readString(info).split(" ");
        int port = Integer.parseInt(portAndPid[0]);
        long pid = Long.parseLong(portAndPid[1]);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "moto " + pid + " outlived its JVM (" + how + ")");
        assertFalse(answers(port), "port " + port + " still answers");
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
