package dev.oneclick.skills;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled skill states this project's contract: names, commands, reporting and safety rules. */
class SkillContentTest {
    private static String file(String rel) {
        return new String(SkillInstaller.bundledContent(rel), StandardCharsets.UTF_8);
    }

    @Test
    void skillMd_whenRead_statesNamesCommandsAndReporting() {
        String s = file("SKILL.md");
        assertTrue(s.startsWith("---\nname: 1-click-deploy\ndescription: "), "front matter for Claude Code");
        for (String needle : List.of("`tmux-builder-{guid}`", "`tmux-{guid}-backend`", "`tmux-{guid}-frontend`",
                "oneclick:project-guid={guid}",
                "dev.oneclick:oneclick-maven-plugin:0.1.0-SNAPSHOT:plan -Doneclick.guid={guid} -Doneclick.siteDir=dist",
                "dev.oneclick:oneclick-maven-plugin:0.1.0-SNAPSHOT:deploy -Doneclick.guid={guid} -Doneclick.siteDir=dist",
                "dev.oneclick:oneclick-maven-plugin:0.1.0-SNAPSHOT:status -Doneclick.guid={guid}",
                "dev.oneclick:oneclick-maven-plugin:0.1.0-SNAPSHOT:destroy -Doneclick.guid={guid}",
                "target/oneclick/resources.json",
                "./notify.sh resources \"$(cat target/oneclick/resources.json)\"", "./notify.sh done",
                "skills/static-site-deploy.md", "skills/fullstack-deploy.md", "Origin Access Control")) {
            assertTrue(s.contains(needle), "SKILL.md must contain " + needle);
        }
    }

    @Test
    void everyFile_whenCodeBlocksRead_containNoUnsafeAwsCommand() {
        for (String rel : SkillInstaller.bundledFiles()) {
            boolean inCode = false;
            for (String line : file(rel).split("\n")) {
                if (line.strip().startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                if (inCode) {
                    for (String bad : List.of("aws s3 website", "put-bucket-policy", "create-distribution",
                            "public-read", "\"Principal\": \"*\"", "aws s3 mb")) {
                        assertFalse(line.contains(bad), rel + " runs an unsafe command: " + line);
                    }
                }
            }
        }
    }

    @Test
    void everyFile_whenCommandsRead_useOnlyThePluginPropertiesThatExist() {
        java.util.regex.Pattern property = java.util.regex.Pattern.compile("-Doneclick\\.([A-Za-z.]+)");
        for (String rel : SkillInstaller.bundledFiles()) {
            java.util.regex.Matcher m = property.matcher(file(rel));
            while (m.find()) {
                // the plugin's parameters (oneclick-maven-plugin/README.md) that the skill's commands use
                assertTrue(List.of("guid", "siteDir", "kind", "jar", "database", "env", "image", "target",
                        "local.keepRunning", "skipFinalSnapshot").contains(m.group(1)),
                        rel + " uses -Doneclick." + m.group(1));
            }
        }
        assertTrue(DeployInstructions.forGuid("3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab").contains("-Doneclick.siteDir=build"));
    }

    @Test
    void subSkills_whenRead_reportWithNotifyThenDone() {
        for (String rel : List.of("skills/static-site-deploy.md", "skills/fullstack-deploy.md",
                "aws-deployment-checklist.md")) {
            String s = file(rel);
            int resources = s.indexOf("./notify.sh resources \"$(cat target/oneclick/resources.json)\"");
            assertTrue(resources > 0 && s.indexOf("./notify.sh done", resources) > resources, rel);
            assertTrue(s.contains(":deploy -Doneclick.guid={guid} -Doneclick.siteDir=dist"), rel);
        }
    }
}
