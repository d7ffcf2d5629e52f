package dev.oneclick.maven;

import dev.oneclick.maven.internal.Target;
import dev.oneclick.notify.NotifyScript;
import dev.oneclick.skills.SkillInstaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Installs the deploy skill ({@code .claude/skills/1-click-deploy/}) into a project folder and, when a notify
 * server is given, a rendered executable {@code notify.sh} for the project's GUID. Files of the skill the user
 * changed, and a {@code notify.sh} that differs from the one this run renders, are kept (listed in the log)
 * unless {@code oneclick.skills.force=true}.
 */
@Mojo(name = "install-skills", requiresProject = false, threadSafe = true)
public class InstallSkillsMojo extends AbstractOneclickMojo {

    /** The project folder to install into; default: the project (or current) folder. */
    @Parameter(property = "oneclick.projectDir")
    protected String projectDir;

    /** Overwrite skill files the user changed, and a notify.sh that differs from this run's rendering, too. */
    @Parameter(property = "oneclick.skills.force", defaultValue = "false")
    protected boolean forceSkills;

    private static String readIfFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return ""; // unreadable as UTF-8 text: not what we render, so it counts as changed
        }
    }

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
            Path existing = dir.resolve(NotifyScript.FILE_NAME);
            String current = readIfFile(existing);
            if (current != null && current.equals(script.render())) {
                getLog().info("  unchanged " + existing);
            } else if (current != null && !forceSkills) {
                // the user (or an earlier install for another server or secret) changed it: leave it alone
                getLog().warn("Kept " + existing + ": it differs from the notify.sh rendered for " + script.guid()
                        + " and " + script.serverUrl() + " (edited, or rendered with other settings); "
                        + "-Doneclick.skills.force=true replaces it.");
            } else {
                Path file = script.writeTo(dir);
                getLog().info("Wrote " + file + " for " + script.guid() + " (events go to " + script.serverUrl()
                        + "/notify)");
            }
        } else {
            getLog().info("notify.sh not written: set oneclick.notifyUrl, oneclick.guid and oneclick.notifySecretFile "
                    + "(or the environment variable ONECLICK_NOTIFY_SECRET) to render it.");
        }
    }
}
