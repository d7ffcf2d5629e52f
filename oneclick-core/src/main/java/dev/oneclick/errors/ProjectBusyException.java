package dev.oneclick.errors;

import java.time.Instant;

/**
 * Another deploy or destroy of the same project holds its lease (one run of a project at a time). The message names
 * the holder and when its lease expires; wait for it to finish, or give a lock wait so this run waits for it.
 */
public class ProjectBusyException extends OneclickException {
    private static final long serialVersionUID = 1L;
    private final String holder;
    private final Instant expiresAt;

    public ProjectBusyException(String holder, Instant expiresAt, String message) {
        super(message);
        this.holder = holder;
        this.expiresAt = expiresAt;
    }

    /** Who holds the lease: the run's operation, host and process, such as {@code deploy by 4242@ci-runner}. */
    public String holder() {
        return holder;
    }

    /** When the holder's lease expires unless it renews it. */
    public Instant expiresAt() {
        return expiresAt;
    }
}
