package dev.oneclick.stack.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.ImageBuildException;
import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.internal.aws.AwsCall;
import dev.oneclick.naming.ResourceNames;
import dev.oneclick.stack.ImageSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image source checks, the input fingerprint, the container engine lookup and the registry settings. */
class ImageBuildTest {
    @TempDir
    Path tmp;

    @Test
    void fingerprintTag_whenSameJarBytes_isStable_andChangesWithContentBaseOrPort() throws IOException {
        Path jar = Files.write(tmp.resolve("app.jar"), new byte[] {1, 2, 3});
        String tag = ImageBuild.fingerprintTag(ImageSource.jar(jar), "scratch", 8080);
        assertTrue(tag.matches("in-[0-9a-f]{40}"), tag);
        assertEquals(tag, ImageBuild.fingerprintTag(ImageSource.jar(jar), "scratch", 8080));
        assertNotEquals(tag, ImageBuild.fingerprintTag(ImageSource.jar(jar), "eclipse-temurin:17-jre", 8080));
        assertNotEquals(tag, ImageBuild.fingerprintTag(ImageSource.jar(jar), "scratch", 9090));
        Files.write(jar, new byte[] {1, 2, 4});
        assertNotEquals(tag, ImageBuild.fingerprintTag(ImageSource.jar(jar), "scratch", 8080));
    }

    @Test
    void check_whenJarOrClassesMissing_throwsInvalidInputNamingImage() {
        assertEquals("image", assertThrows(InvalidInputException.class,
                () -> ImageBuild.check(ImageSource.jar(tmp.resolve("none.jar")))).field());
        assertEquals("image", assertThrows(InvalidInputException.class,
                () -> ImageBuild.check(ImageSource.classes(tmp.resolve("classes"), null, "app.Main"))).field());
    }

    @Test
    void engine_whenNoneOnThePath_isEmpty_andAFoundOneIsTheFirstOfDockerPodmanBuildah() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(EngineBuild.find(empty.toString()).isEmpty());
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String name : new String[] {"buildah", "podman"}) {
            Path p = Files.writeString(bin.resolve(name), "#!/bin/sh\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertEquals(bin.resolve("podman"), EngineBuild.find(empty + ":" + bin).orElseThrow());
    }

    @Test
    void engine_whenNoneOnThePath_throwsImageBuildExceptionNamingTheEnginesAndTheJarAlternative() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("nothing"));
        ImageBuildException e = assertThrows(ImageBuildException.class, () -> EngineBuild.engine(empty.toString()));
        assertTrue(e.getMessage().contains("[docker, podman, buildah]") && e.getMessage().contains("jar"),
                e.getMessage());
    }

    @Test
    void resolve_whenRegistryEndpointGiven_usesItsHostAndUserInfoWithoutAskingEcr() {
        StackClients c = new StackClients(null, null, null, null, null, null, null, null, null,
                AwsCall.standard(d -> { }), ResourceNames.defaults(), URI.create("http://bob:s%3Acret@127.0.0.1:5000"),
                Duration.ZERO);
        ImageRegistry r = ImageRegistry.resolve(c, "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo");
        assertEquals(new ImageRegistry("127.0.0.1:5000", "bob", "s:cret", true), r);
        assertEquals("127.0.0.1:5000/repo", r.reference("repo"));
        assertTrue(!r.toString().contains("s:cret"), "the password is not in toString");
    }
}
