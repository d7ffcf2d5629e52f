package dev.oneclick.notify;

/**
 * The HTTP answer to one notify request: a status code and a JSON body ({@code {"status":"ok"}},
 * {@code {"status":"duplicate"}} or {@code {"error":"<reason>"}}), to be sent with
 * {@code Content-Type: application/json}.
 */
public record NotifyResponse(int status, String jsonBody) {
    public static final String CONTENT_TYPE = "application/json";
}
