package dev.oneclick.notify;

/** STAND-IN until the core's dev.oneclick.notify lands on main: delete then. Status and JSON body. */
public record NotifyResponse(int status, String jsonBody) {
    public static final String CONTENT_TYPE = "application/json";
}
