package dev.oneclick.errors;

import java.util.List;

/**
 * The backend's ECS rollout did not complete with this deploy's task definition: its deployment FAILED, the
 * deployment circuit breaker rolled it back, or it did not complete within the backend's rollout timeout. The message
 * names the service and task definition, the stopped tasks' reasons and the last log lines; the deploy is FAILED.
 */
public class RolloutFailedException extends OneclickException {
    private static final long serialVersionUID = 1L;
    private final String service;
    private final String taskDefinition;
    private final List<String> stoppedReasons;
    private final List<String> logLines;
    private final boolean timedOut;

    public RolloutFailedException(String message, String service, String taskDefinition, List<String> stoppedReasons,
            List<String> logLines, boolean timedOut) {
        super(message);
        this.service = service;
        this.taskDefinition = taskDefinition;
        this.stoppedReasons = List.copyOf(stoppedReasons);
        this.logLines = List.copyOf(logLines);
        this.timedOut = timedOut;
    }

    /** The ECS service. */
    public String service() {
        return service;
    }

    /** The task definition this deploy rolled out. */
    public String taskDefinition() {
        return taskDefinition;
    }

    /** Why the service's stopped tasks stopped (task and container reasons, exit codes). */
    public List<String> stoppedReasons() {
        return stoppedReasons;
    }

    /** The last lines the backend logged. */
    public List<String> logLines() {
        return logLines;
    }

    /** Whether the rollout ran past the wait rather than failing. */
    public boolean timedOut() {
        return timedOut;
    }
}
