package dev.oneclick.maven;

import dev.oneclick.Deployer;
import dev.oneclick.Plan;
import dev.oneclick.maven.internal.PlanLines;
import dev.oneclick.maven.internal.Target;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints exactly what {@code oneclick:deploy} would do, changing nothing: each resource to create or repair, each
 * file to upload (with the reason), each key to delete, each path to invalidate and each path the excludes leave
 * out. The build command is not run unless {@code planBuild} is set.
 */
@Mojo(name = "plan", requiresProject = false, threadSafe = true)
public class PlanMojo extends AbstractStackMojo {

    /**
     * Whether plan runs {@code buildCommand} first, as deploy does. Default false: the plan hashes the site folder as
     * it is and runs nothing.
     */
    @Parameter(property = "oneclick.planBuild", defaultValue = "false")
    protected boolean planBuild;

    @Override
    protected String goal() {
        return "plan";
    }

    @Override
    protected void run(Target target) {
        String g = checkedGuid();
        checkUserIdIfSet();
        var draft = request(g, null).toBuilder().planBuild(planBuild).build();
        checkIndexDocument(draft);
        Plan plan;
        try (Deployer deployer = deployer(target, listener())) {
            String user = effectiveUserId(g, deployer);
            if (target == Target.LOCAL) {
                warnIfNotDeployedLocally(localTarget(), g, user);
            }
            plan = deployer.plan(draft.toBuilder().userId(user).build());
        }
        for (String line : PlanLines.of(plan)) {
            getLog().info(line);
        }
    }
}
