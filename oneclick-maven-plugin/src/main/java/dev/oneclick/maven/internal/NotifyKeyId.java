package dev.oneclick.maven.internal;

import dev.oneclick.errors.InvalidInputException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key id of a project's notify secret, sent as {@code ;kid=<n>} in the signature header so a backend that
 * rotated the project's secret knows which one signed. It comes from the secret file (a line {@code kid=<n>} after
 * the secret, as the reference backend writes {@code notify.secret}), else from the environment variable
 * {@value #ENV}, else it is 1 (a secret never rotated). When both name one, they must agree.
 */
public final class NotifyKeyId {
    /** The environment variable naming the key id when the secret file does not. */
    public static final String ENV = "ONECLICK_NOTIFY_KEY_ID";
    private static final Pattern KID_LINE = Pattern.compile("\\s*(?:kid|keyId)\\s*=\\s*(\\S*)\\s*");
    private static final Pattern KEY_ID = Pattern.compile("[1-9][0-9]{0,5}");

    private NotifyKeyId() {
    }

    /**
     * @param fileLines the secret file's lines (the first is the secret), or null when the secret is not from a file
     * @param fileName the file's name, for messages
     * @param env the value of {@value #ENV}, or null
     * @return the key id, 1 to 999999
     * @throws InvalidInputException (field {@code notifySecretFile}) for a malformed or contradicting key id
     */
    public static int of(List<String> fileLines, String fileName, String env) {
        Integer fromFile = null;
        if (fileLines != null) {
            for (int i = 1; i < fileLines.size(); i++) {
                String line = fileLines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                Matcher m = KID_LINE.matcher(line);
                if (!m.matches()) {
                    throw new InvalidInputException("notifySecretFile", "Line " + (i + 1) + " of the notify secret "
                            + "file " + fileName + " is not kid=<key id>; the file holds the secret on its first "
                            + "line and optionally its key id as kid=<n>.");
                }
                if (fromFile != null) {
                    throw new InvalidInputException("notifySecretFile", "The notify secret file " + fileName
                            + " names a key id twice; keep one kid=<n> line.");
                }
                fromFile = parse(m.group(1), "the kid line of " + fileName);
            }
        }
        Integer fromEnv = env == null || env.isBlank() ? null : parse(env.strip(), "the environment variable " + ENV);
        if (fromFile != null && fromEnv != null && !fromFile.equals(fromEnv)) {
            throw new InvalidInputException("notifySecretFile", "The notify secret file " + fileName + " names key id "
                    + fromFile + " but " + ENV + " is " + fromEnv + "; the key id belongs to the secret, so unset "
                    + ENV + " or make them agree.");
        }
        return fromFile != null ? fromFile : fromEnv != null ? fromEnv : 1;
    }

    private static int parse(String text, String where) {
        if (!KEY_ID.matcher(text).matches()) {
            throw new InvalidInputException("notifySecretFile", "The key id in " + where + " must be a whole "
                    + "number from 1 to 999999, as the backend hands it out with the secret.");
        }
        return Integer.parseInt(text);
    }
}
