package dev.oneclick.maven;

import dev.oneclick.maven.internal.Target;
import dev.oneclick.notify.NotifyScript;
import dev.oneclick.skills.SkillInstaller;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Installs the deploy skill ({@code .claude/skills/1-click-deploy/}) into a project folder and, when a notify
 * server is given, a rendered executable {@code notify.sh} for the project's GUID. Files of the skill the user
 * changed are kept (listed in the log) unless {@code oneclick.skills.force=true}.
 */
@Mojo(name = "install-skills", requiresProject = false, threadSafe = true)
public class InstallSkillsMojo extends AbstractOneclickMojo {

    /** The project folder to install into; default: the project (or current) folder. */
    @Parameter(property = "oneclick.projectDir")
    protected String projectDir;

    /** Overwrite skill files the user changed too. */
    @Parameter(property = "oneclick.skills.force", defaultValue = "false")
    protected boolean forceSkills;

    @Override
    protected String goal() {
        return "install-skills";
    }

    @Override
    protected void run(Target target) {
        Path dir = projectDir == null || projectDir.isBlank() ? baseDir() : resolve(projectDir);
        NotifyScript script = null;
        if (notifyUrl != null && !notifyUrl.isBlank()) {
            // checked before anything is written
            script = NotifyScript.builder().guid(checkedGuid()).serverUrl(notifyUrl)
                    .secret(notifySecretFor(checkedGuid(), true)).build();
        }
        SkillInstaller.Result result = SkillInstaller.builder().force(forceSkills).build().install(dir);
        getLog().info("Deploy skill in " + result.skillDir() + ": " + result.written().size() + " written, "
                + result.unchanged().size() + " unchanged, " + result.keptUserChanged().size()
                + " kept (changed by the user)");
        for (String f : result.written()) {
            getLog().info("  written " + f);
        }
        for (String f : result.keptUserChanged()) {
            getLog().info("  kept " + f + " (changed by the user; -Doneclick.skills.force=true replaces it)");
        }
        if (script != null) {
            Path file = script.writeTo(dir);
            getLog().info("Wrote " + file + " for " + script.guid() + " (events go to " + script.serverUrl()
                    + "/notify)");
        } else {
            getLog().info("notify.sh not written: set oneclick.notifyUrl, oneclick.guid and oneclick.notifySecret "
                    + "(or oneclick.notifyMasterKey) to render it.");
        }
    }
}
