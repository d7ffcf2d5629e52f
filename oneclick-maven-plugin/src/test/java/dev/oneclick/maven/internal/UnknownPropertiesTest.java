package dev.oneclick.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownPropertiesTest {
    private static final List<String> DEPLOY = List.of("oneclick.guid", "oneclick.siteDir", "oneclick.target",
            "oneclick.local.keepRunning", "oneclick.local.dir", "oneclick.indexDocument");
    private static final List<String> PLUGIN = List.of("oneclick.projectDir", "oneclick.skills.force");

    @Test
    void warnings_whenCaseDiffers_suggestsTheParameterAndSaysNamesAreCaseSensitive() {
        List<String> w = UnknownProperties.warnings("deploy", List.of("oneclick.sitedir"), DEPLOY, PLUGIN);
        assertEquals(List.of("Unknown property oneclick.sitedir is ignored: it names no parameter of "
                + "oneclick:deploy: did you mean oneclick.siteDir? (property names are case-sensitive)"), w);
    }

    @Test
    void warnings_whenTypo_suggestsTheNearest() {
        List<String> w = UnknownProperties.warnings("deploy", List.of("oneclick.trget", "oneclick.local.keepRuning"),
                DEPLOY, PLUGIN);
        assertEquals(2, w.size());
        assertTrue(w.get(0).contains("oneclick.local.keepRuning is ignored") && w.get(0).endsWith(
                "did you mean oneclick.local.keepRunning?"), w.get(0));
        assertTrue(w.get(1).endsWith("did you mean oneclick.target?"), w.get(1));
    }

    @Test
    void warnings_whenNothingNear_listsTheGoalsParameters() {
        List<String> w = UnknownProperties.warnings("deploy", List.of("oneclick.zzzzzzzzzzzzzz"), DEPLOY, PLUGIN);
        assertEquals(1, w.size());
        assertTrue(w.get(0).contains("(oneclick:deploy takes oneclick.guid, "), w.get(0));
    }

    @Test
    void warnings_whenKnownOtherGoalSystemOrForeignProperty_saysNothing() {
        assertEquals(List.of(), UnknownProperties.warnings("deploy", List.of("oneclick.guid", "oneclick.projectDir",
                "oneclick.local.backend", "maven.repo.local", "skipTests"), DEPLOY, PLUGIN));
    }

    @Test
    void newWarnings_whenSameSessionAgain_reportsEachNameOnce() {
        Object session = new Object();
        assertEquals(1, UnknownProperties.newWarnings(session, "deploy", List.of("oneclick.sitedir"), DEPLOY, PLUGIN)
                .size());
        assertEquals(List.of(), UnknownProperties.newWarnings(session, "status", List.of("oneclick.sitedir"), DEPLOY,
                PLUGIN));
        assertEquals(1, UnknownProperties.newWarnings(new Object(), "deploy", List.of("oneclick.sitedir"), DEPLOY,
                PLUGIN).size());
    }

    @Test
    void nearest_andLevenshtein() {
        assertEquals(3, UnknownProperties.levenshtein("kitten", "sitting"));
        assertEquals(0, UnknownProperties.levenshtein("", ""));
        assertEquals("oneclick.guid", UnknownProperties.nearest("oneclick.GUID", DEPLOY));
        assertEquals("oneclick.guid", UnknownProperties.nearest("oneclick.gid", DEPLOY));
        assertNull(UnknownProperties.nearest("oneclick.completely-else", DEPLOY));
    }

    @Test
    void propertyOf_whenExpressions() {
        assertEquals("oneclick.guid", UnknownProperties.propertyOf("${oneclick.guid}"));
        assertNull(UnknownProperties.propertyOf("${session}"));
        assertNull(UnknownProperties.propertyOf(null));
    }
}
