package dev.oneclick.skills;

import dev.oneclick.naming.ProjectGuid;

/** STAND-IN until the core's dev.oneclick.skills lands on main: delete then. */
public final class DeployInstructions {
    private DeployInstructions() {
    }

    public static String forGuid(ProjectGuid guid) {
        return "## Auto-Deployment\n\nDeploy with the 1-click-deploy skill; project GUID " + guid.value()
                + ". Report resources with ./notify.sh resources '<json>'.\n";
    }
}
