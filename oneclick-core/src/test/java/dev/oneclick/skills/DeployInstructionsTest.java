package dev.oneclick.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.naming.ProjectGuid;
import org.junit.jupiter.api.Test;

class DeployInstructionsTest {
    private static final String GUID = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    @Test
    void forGuid_whenValid_endsWithTheGuidLine() {
        String text = DeployInstructions.forGuid(GUID);
        assertTrue(text.strip().endsWith("The project GUID is: " + GUID), text);
    }

    @Test
    void forGuid_whenValid_namesResourcesCommandsAndReporting() {
        String text = DeployInstructions.forGuid(GUID);
        assertTrue(text.contains("`tmux-builder-" + GUID + "`"));
        assertTrue(text.contains("`tmux-" + GUID + "-backend`"));
        assertTrue(text.contains("`tmux-" + GUID + "-frontend`"));
        assertTrue(text.contains("Static site"));
        assertTrue(text.contains("Full stack"));
        assertTrue(text.contains("mvn -B dev.oneclick:oneclick-maven-plugin:0.1.0-SNAPSHOT:plan -Doneclick.guid=" + GUID
                + " -Doneclick.siteDir=dist"));
        assertTrue(text.contains("mvn -B dev.oneclick:oneclick-maven-plugin:0.1.0-SNAPSHOT:deploy -Doneclick.guid="
                + GUID + " -Doneclick.siteDir=dist"));
        int resources = text.indexOf("./notify.sh resources \"$(cat target/oneclick/resources.json)\"");
        int done = text.indexOf("./notify.sh done");
        assertTrue(resources > 0 && done > resources, "resources must be reported before done");
        assertFalse(text.contains("{guid}"), "no placeholder may be left");
    }

    @Test
    void forGuid_whenUppercase_usesTheLowercaseGuid() {
        String text = DeployInstructions.forGuid(GUID.toUpperCase());
        assertTrue(text.contains("tmux-builder-" + GUID));
        assertFalse(text.contains(GUID.toUpperCase()));
    }

    @Test
    void forGuid_whenSameGuidParsed_givesSameText() {
        assertEquals(DeployInstructions.forGuid(GUID), DeployInstructions.forGuid(ProjectGuid.parse(GUID)));
    }

    @Test
    void forGuid_whenNotAUuid_throwsInvalidGuid() {
        InvalidGuidException e = assertThrows(InvalidGuidException.class,
                () -> DeployInstructions.forGuid("abc; rm -rf /"));
        assertEquals("guid", e.field());
    }

    @Test
    void forGuid_whenNull_throwsInvalidGuid() {
        assertThrows(InvalidGuidException.class, () -> DeployInstructions.forGuid((String) null));
        assertThrows(InvalidGuidException.class, () -> DeployInstructions.forGuid((ProjectGuid) null));
    }

    @Test
    void forProject_whenOwnerKnown_passesTheUserIdOnEveryDeployCommand() {
        String text = DeployInstructions.forProject(ProjectGuid.parse(GUID), "alice@example.com");
        assertTrue(text.contains(":plan -Doneclick.guid=" + GUID + " -Doneclick.userId=alice@example.com -Doneclick.siteDir=dist"),
                text);
        assertTrue(text.contains(":deploy -Doneclick.guid=" + GUID + " -Doneclick.userId=alice@example.com -Doneclick.siteDir=dist"),
                text);
        assertFalse(text.contains("{userArg}"));
        assertFalse(DeployInstructions.forGuid(GUID).contains("oneclick.userId"));
    }

    @Test
    void forProject_whenUserIdCouldBreakTheShellCommand_throwsInvalidInputNamingUserId() {
        for (String bad : new String[] {"", " ", "alice; rm -rf /", "$(id)", "a b"}) {
            dev.oneclick.errors.InvalidInputException e = assertThrows(dev.oneclick.errors.InvalidInputException.class,
                    () -> DeployInstructions.forProject(ProjectGuid.parse(GUID), bad), bad);
            assertEquals("userId", e.field());
        }
    }
}
