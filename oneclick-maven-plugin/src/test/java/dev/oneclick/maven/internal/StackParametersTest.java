package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.DeployRequest;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.stack.Backend;
import dev.oneclick.stack.Database;
import dev.oneclick.stack.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's full-stack parameters mapped to the core's Backend, ImageSource and Database, and their errors. */
class StackParametersTest {
    @TempDir
    Path dir;

    private Path jar;
    private final Map<String, String> values = new HashMap<>();

    @BeforeEach
    void jar() throws Exception {
        jar = Files.writeString(dir.resolve("app.jar"), "jar");
    }

    private StackParameters params(Path defaultJar) {
        return new StackParameters(values, p -> dir.resolve(p).normalize(), defaultJar);
    }

    private Backend fullStack(String... pairs) {
        values.put("kind", "fullstack");
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return params(jar).backend();
    }

    /** The error of a full stack with {@code pairs}; asserts it names {@code field}. */
    private InvalidInputException refused(String field, String... pairs) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> fullStack(pairs));
        assertEquals(field, e.field(), e.getMessage());
        return e;
    }

    @Test
    void kind_whenUnset_isStaticAndHasNoBackend() {
        assertEquals(DeployRequest.Kind.STATIC_SITE, params(jar).kind());
        assertNull(params(jar).backend());
    }

    @Test
    void kind_whenSpelledInAnyCommonWay_isParsed() {
        for (String v : List.of("fullstack", "FullStack", "full-stack", "full_stack")) {
            values.put("kind", v);
            assertEquals(DeployRequest.Kind.FULL_STACK, params(jar).kind(), v);
        }
        values.put("kind", "static");
        assertEquals(DeployRequest.Kind.STATIC_SITE, params(jar).kind());
    }

    @Test
    void kind_whenUnknown_isRefusedNamingKind() {
        values.put("kind", "serverless");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> params(jar).kind());
        assertEquals("kind", e.field());
        assertTrue(e.getMessage().contains("'fullstack'"), e.getMessage());
    }

    @Test
    void backend_whenStaticWithAFullStackParameter_isRefusedNamingIt() {
        values.put("port", "8080");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> params(jar).backend());
        assertEquals("port", e.field());
        assertTrue(e.getMessage().contains("-Doneclick.kind=fullstack"), e.getMessage());
    }

    @Test
    void backend_whenOnlyKindGiven_usesTheProjectJarAndTheCoreDefaults() {
        Backend b = fullStack();
        assertEquals(ImageSource.jar(jar), b.image());
        assertEquals(Backend.DEFAULT_PORT, b.containerPort());
        assertEquals(Backend.DEFAULT_HEALTH_CHECK_PATH, b.healthCheckPath());
        assertEquals(Backend.DEFAULT_CPU, b.cpu());
        assertEquals(Backend.DEFAULT_MEMORY, b.memory());
        assertEquals(1, b.desiredCount());
        assertNull(b.database());
        assertEquals(List.of(), b.subnetIds());
    }

    @Test
    void backend_whenEverySettingGiven_mapsEachOne() {
        Backend b = fullStack("jar", "app.jar", "baseImage", "eclipse-temurin:21-jre", "port", "9000",
                "healthPath", "/healthz", "env", "LOG_LEVEL=info; GREETING=a,b=c\nEMPTY=", "cpu", "512",
                "memory", "2048", "desiredCount", "3", "rolloutTimeout", "PT5M", "database", "postgres",
                "dbInstanceClass", "db.t4g.small", "dbStorage", "50", "dbName", "shop",
                "executionRoleArn", "arn:aws:iam::123456789012:role/exec",
                "subnets", "subnet-0123456789abcdef0, subnet-89abcdef");
        assertEquals("eclipse-temurin:21-jre", b.baseImage());
        assertEquals(9000, b.containerPort());
        assertEquals("/healthz", b.healthCheckPath());
        assertEquals(Map.of("LOG_LEVEL", "info", "GREETING", "a,b=c", "EMPTY", ""), b.environment());
        assertEquals(512, b.cpu());
        assertEquals(2048, b.memory());
        assertEquals(3, b.desiredCount());
        assertEquals(Duration.ofMinutes(5), b.rolloutTimeout());
        assertEquals(Database.of(d -> d.engine(Database.Engine.POSTGRES).instanceClass("db.t4g.small")
                .storageGiB(50).name("shop")), b.database());
        assertEquals("arn:aws:iam::123456789012:role/exec", b.executionRoleArn());
        assertEquals(List.of("subnet-0123456789abcdef0", "subnet-89abcdef"), b.subnetIds());
    }

    @Test
    void imageSource_whenClassesDockerfileOrImage_mapsToThatSource() throws Exception {
        Files.createDirectories(dir.resolve("classes"));
        Files.createDirectories(dir.resolve("deps"));
        assertEquals(ImageSource.classes(dir.resolve("classes"), dir.resolve("deps"), "com.example.App"),
                fullStack("classesDir", "classes", "dependenciesDir", "deps", "mainClass", "com.example.App").image());
        values.clear();
        Files.createDirectories(dir.resolve("docker"));
        Files.writeString(dir.resolve("docker/Dockerfile"), "FROM scratch");
        assertEquals(ImageSource.dockerfile(dir.resolve("docker")), fullStack("dockerfile", "docker").image());
        values.clear();
        assertEquals(ImageSource.dockerfile(dir.resolve("docker")),
                fullStack("dockerfile", "docker/Dockerfile").image(), "the Dockerfile's folder is the context");
        values.clear();
        assertEquals(ImageSource.image("registry.example.com/app:1.2"),
                fullStack("image", "registry.example.com/app:1.2").image());
    }

    @Test
    void imageSource_whenTwoGiven_isRefused() {
        InvalidInputException e = refused("image", "jar", "app.jar", "image", "app:1");
        assertTrue(e.getMessage().contains("oneclick.jar and oneclick.image"), e.getMessage());
    }

    @Test
    void imageSource_whenNoneGivenAndNoProjectJar_namesEverySource() {
        values.put("kind", "fullstack");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> params(null).backend());
        assertEquals("jar", e.field());
        assertTrue(e.getMessage().contains("oneclick.classesDir"), e.getMessage());
    }

    @Test
    void imageSource_whenTheJarIsMissing_saysToBuildIt() {
        assertTrue(refused("jar", "jar", "target/missing.jar").getMessage().contains("mvn package"));
    }

    @Test
    void imageSource_whenClassesIncomplete_namesTheMissingPart() throws Exception {
        Files.createDirectories(dir.resolve("classes"));
        refused("mainClass", "classesDir", "classes");
        values.clear();
        refused("mainClass", "mainClass", "com.example.App");
        values.clear();
        refused("classesDir", "classesDir", "nope", "mainClass", "com.example.App");
        values.clear();
        refused("dependenciesDir", "classesDir", "classes", "mainClass", "A", "dependenciesDir", "nope");
        values.clear();
        refused("dependenciesDir", "dependenciesDir", "deps");
    }

    @Test
    void imageSource_whenNoDockerfileThere_isRefused() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        refused("dockerfile", "dockerfile", "empty");
    }

    @Test
    void numbers_whenNotWholeNumbers_areRefusedNamingTheParameter() {
        for (String name : List.of("port", "cpu", "memory", "desiredCount")) {
            values.clear();
            InvalidInputException e = refused(name, name, "lots");
            assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
        }
        values.clear();
        refused("dbStorage", "database", "postgres", "dbStorage", "20GB");
    }

    @Test
    void coreChecks_whenRefused_nameThePluginParameter() {
        refused("port", "port", "70000");
        values.clear();
        refused("healthPath", "healthPath", "health");
        values.clear();
        assertTrue(refused("env", "env", "PORT=1").getMessage().contains("reserved"));
        values.clear();
        refused("cpu", "cpu", "256", "memory", "4096");
        values.clear();
        refused("desiredCount", "desiredCount", "0");
        values.clear();
        refused("subnets", "subnets", "sn-1");
        values.clear();
        refused("executionRoleArn", "executionRoleArn", "exec-role");
        values.clear();
        refused("baseImage", "baseImage", "has space");
        values.clear();
        refused("dbInstanceClass", "database", "mysql", "dbInstanceClass", "t3.micro");
        values.clear();
        refused("dbStorage", "database", "postgres", "dbStorage", "10");
        values.clear();
        refused("dbName", "database", "postgres", "dbName", "1st");
    }

    @Test
    void env_whenAnEntryHasNoNameOrRepeats_isRefused() {
        refused("env", "env", "JUSTANAME");
        values.clear();
        refused("env", "env", "=value");
        values.clear();
        assertTrue(refused("env", "env", "A=1;A=2").getMessage().contains("twice"));
    }

    @Test
    void env_whenBlankEntries_skipsThem() {
        assertEquals(Map.of("A", "1", "B", "2"), StackParameters.environment(";A=1;;\n\n B = 2 ;"));
    }

    @Test
    void rolloutTimeout_acceptsSecondsOrIsoAndRefusesTheRest() {
        assertEquals(Duration.ofSeconds(900), fullStack("rolloutTimeout", "900").rolloutTimeout());
        for (String bad : List.of("0", "-PT1M", "soon", "PT0S")) {
            values.clear();
            refused("rolloutTimeout", "rolloutTimeout", bad);
        }
    }

    @Test
    void database_whenMysqlOrNone_mapsIt() {
        assertEquals(Database.Engine.MYSQL, fullStack("database", "MySQL").database().engine());
        values.clear();
        assertNull(fullStack("database", "none").database());
    }

    @Test
    void database_whenUnknownEngineOrSettingsWithoutDatabase_isRefused() {
        refused("database", "database", "oracle");
        values.clear();
        assertTrue(refused("dbName", "dbName", "shop").getMessage().contains("-Doneclick.database=postgres"));
        values.clear();
        refused("dbInstanceClass", "database", "none", "dbInstanceClass", "db.t4g.micro");
    }

    @Test
    void blankValues_countAsUnset() {
        Backend b = fullStack("port", " ", "env", "", "image", "  ");
        assertEquals(ImageSource.jar(jar), b.image());
        assertEquals(Backend.DEFAULT_PORT, b.containerPort());
    }
}
