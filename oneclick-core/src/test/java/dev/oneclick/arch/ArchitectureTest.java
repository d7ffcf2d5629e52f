package dev.oneclick.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.oneclick.Deployer;
import java.nio.file.Path;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of oneclick-core: no package cycles (every package of the module is a slice), the exception
 * leaf depends on no other oneclick package, and nothing in the core imports the Maven plugin, Maven itself or
 * oneclick-local.
 */
class ArchitectureTest {
    private static JavaClasses core;

    /** The classes of oneclick-core's own output folder (not of oneclick-local, also on the test class path). */
    @BeforeAll
    static void importCore() throws Exception {
        Path classes = Path.of(Deployer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(classes);
    }

    static ArchRule noCycles() {
        return slices().matching("dev.oneclick.(**)").namingSlices("$1").should().beFreeOfCycles()
                .allowEmptyShould(false);
    }

    @Test
    void packages_haveNoCycles() {
        noCycles().check(core);
    }

    @Test
    void noCyclesRule_whenTwoPackagesUseEachOther_fails() {
        JavaClasses cyclic = new ClassFileImporter().importClasses(dev.oneclick.arch.cycle.a.A.class,
                dev.oneclick.arch.cycle.b.B.class);
        assertThrows(AssertionError.class, () -> slices().matching("dev.oneclick.arch.cycle.(**)").should()
                .beFreeOfCycles().check(cyclic));
    }

    @Test
    void errors_dependOnNoOtherOneclickPackage() {
        noClasses().that().resideInAPackage("dev.oneclick.errors").should().dependOnClassesThat()
                .resideInAnyPackage("dev.oneclick", "dev.oneclick.internal..", "dev.oneclick.engine..",
                        "dev.oneclick.site..", "dev.oneclick.tracking..", "dev.oneclick.naming..",
                        "dev.oneclick.resources..", "dev.oneclick.notify..", "dev.oneclick.skills..")
                .check(core);
    }

    @Test
    void core_importsNeitherThePluginNorMavenNorOneclickLocal() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.oneclick.maven..", "org.apache.maven..",
                "dev.oneclick.local..").check(core);
    }

    @Test
    void engine_knowsNoResourceKind() {
        noClasses().that().resideInAPackage("dev.oneclick.engine..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.oneclick.site..", "dev.oneclick.internal..",
                        "software.amazon.awssdk.services.s3..", "software.amazon.awssdk.services.cloudfront..")
                .check(core);
    }
}
