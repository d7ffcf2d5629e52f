package dev.oneclick.skills;

import dev.oneclick.errors.InvalidGuidException;
import dev.oneclick.errors.OneclickException;
import dev.oneclick.naming.ProjectGuid;
import dev.oneclick.naming.ResourceNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The deployment section of an AI agent's system prompt for one project: which deployment type to choose,
 * the names derived from the GUID, the oneclick commands to run, and how to report the resources with
 * {@code notify.sh} before {@code ./notify.sh done}. It ends with {@code The project GUID is: {guid}}.
 * Thread-safe.
 */
public final class DeployInstructions {
    private static final String TEMPLATE = load();

    private DeployInstructions() {
    }

    /**
     * The instructions for a project (Markdown).
     *
     * @throws InvalidGuidException if {@code guid} is not a UUID
     */
    public static String forGuid(String guid) {
        return forGuid(ProjectGuid.parse(guid));
    }

    /**
     * The instructions for a project (Markdown). The commands carry no user id, so a deploy records the project
     * under the plugin's default user (the OS user name); use {@link #forProject} when the owner is known.
     */
    public static String forGuid(ProjectGuid guid) {
        return render(guid, "");
    }

    /**
     * The instructions for a project of a known owner: the deploy commands also pass
     * {@code -Doneclick.userId={userId}}, so the deploy's tracker record and the record the backend keeps for the
     * project are the same item.
     *
     * @throws InvalidGuidException if {@code guid} is missing
     * @throws dev.oneclick.errors.InvalidInputException (field {@code userId}) if the user id is blank or has characters
     *     outside letters, digits and {@code _ . : / = + @ -}
     */
    public static String forProject(ProjectGuid guid, String userId) {
        return render(guid, " -Doneclick.userId=" + ResourceNames.checkUserId(userId));
    }

    private static String render(ProjectGuid guid, String userArg) {
        if (guid == null) {
            throw new InvalidGuidException("The project GUID is missing; give the GUID of the project.");
        }
        return TEMPLATE.replace("{userArg}", userArg).replace("{guid}", guid.value());
    }

    private static String load() {
        String resource = "dev/oneclick/skills/deploy-instructions.md";
        try (InputStream in = DeployInstructions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new OneclickException("The oneclick jar is incomplete: resource " + resource + " is missing.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OneclickException("Could not read resource " + resource + " from the oneclick jar.", e);
        }
    }
}
