package dev.oneclick.local;

/**
 * {@code node} or {@code npm} is not on the {@code PATH}, so dynalite (the DynamoDB emulator) cannot be installed or
 * run. Install Node.js {@value Dynalite#MIN_NODE_MAJOR} or newer, or use the LocalStack backend where Docker runs.
 */
public class NodeNotFoundException extends LocalAwsException {

    private static final long serialVersionUID = 1L;

    /**
     * @param executable the missing executable ({@code node} or {@code npm})
     * @param path the {@code PATH} that was searched
     */
    public NodeNotFoundException(String executable, String path) {
        super("'" + executable + "' was not found on the PATH (" + path + "). dynalite " + Dynalite.VERSION
                + ", the local DynamoDB emulator, runs on Node.js: install Node.js " + Dynalite.MIN_NODE_MAJOR
                + " or newer (with npm) and put it on the PATH, or run with " + LocalAws.BACKEND_ENV
                + "=localstack where a Docker engine is available.");
    }
}
