package dev.oneclick.notify;

import java.util.Optional;

/**
 * The HTTP answer to one notify request: a status code and a JSON body ({@code {"status":"ok"}},
 * {@code {"status":"duplicate"}} or {@code {"error":"<reason>"}}), to be sent with
 * {@code Content-Type: application/json}.
 *
 * <p>When the answer comes from a failure of the host's own parts (the {@link ProjectRegistry}, the
 * {@link ResourcesStore} or the {@link NotifySubscribers} threw), {@code cause} holds that exception, which the
 * body never shows to the sender: log it (see {@link #failure()}). It is null otherwise.
 *
 * @param status the HTTP status code
 * @param jsonBody the JSON body
 * @param cause the exception of the host's part behind this answer, or null
 * @param retryAfterSeconds for a 503 the receiver knows will pass (the replay guard is full until its oldest entry
 *     expires), the seconds to send as {@code Retry-After}; 0 when it does not know
 */
public record NotifyResponse(int status, String jsonBody, Throwable cause, long retryAfterSeconds) {
    public static final String CONTENT_TYPE = "application/json";

    /** An answer that no failure of the host's parts caused. */
    public NotifyResponse(int status, String jsonBody) {
        this(status, jsonBody, null, 0);
    }

    /** An answer, with the failure of the host's part behind it (or null). */
    public NotifyResponse(int status, String jsonBody, Throwable cause) {
        this(status, jsonBody, cause, 0);
    }

    /** The exception of the registry, store or subscribers behind this answer, for the host to log. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(cause);
    }
}
