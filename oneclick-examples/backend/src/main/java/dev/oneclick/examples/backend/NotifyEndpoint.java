package dev.oneclick.examples.backend;

import dev.oneclick.notify.NotifyReceiver;
import dev.oneclick.notify.NotifyResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /notify}: the core's receiver behind limits a hostile client cannot get around. In this order: the
 * address's request rate (429 with {@code Retry-After}), the number of {@code /notify} requests in progress in all
 * (503 with {@code Retry-After}) and for the address (429), then the body, read within the connector's body
 * timeout and minimum data rate (else 408), then the receiver. Each answer has a JSON body; every 5xx is logged with
 * its cause and the request id.
 *
 * <p>An event id the project already sent (a replay, or a retry whose first answer was lost) answers
 * {@code 409 {"error":"duplicate","message":...}} and changes nothing: a conflict with the state the first copy made,
 * which {@code notify.sh} and the Maven plugin's notifier count as delivered (no retry, exit 0), while a client that
 * does not know the rule sees a refusal rather than a fresh success or a server error.
 */
final class NotifyEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyEndpoint.class);

    private final NotifyReceiver receiver;
    private final ClientLimits limits;
    private final Semaphore inProgress;

    NotifyEndpoint(NotifyReceiver receiver, ClientLimits limits, int maxInProgress) {
        this.receiver = receiver;
        this.limits = limits;
        this.inProgress = new Semaphore(maxInProgress);
    }

    void handle(Context ctx) {
        String address = ctx.req().getRemoteAddr();
        long wait = limits.tryTake(address);
        if (wait > 0) {
            throw new ApiError(429, "Too many events from your address; retry in " + wait + " s.", wait);
        }
        if (!inProgress.tryAcquire()) {
            throw new ApiError(503, "The server is busy with other events; retry in 1 s.", 1);
        }
        try {
            if (!limits.tryEnter(address)) {
                throw new ApiError(429, "Too many events from your address are in progress; send one at a time.", 1);
            }
            try {
                answer(ctx, receive(ctx));
            } finally {
                limits.exit(address);
            }
        } finally {
            inProgress.release();
        }
    }

    private NotifyResponse receive(Context ctx) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, Collections.list(ctx.req().getHeaders(name)));
        }
        // read one byte past the receiver's limit and no more: a larger body gets the receiver's 413 and reason
        // (not the server's plain-text one), and an unsigned request never makes the server buffer a megabyte
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(NotifyReceiver.MAX_BODY_BYTES + 1);
        } catch (IOException | org.eclipse.jetty.http.BadMessageException e) {
            // Jetty signals the body timeout as an IOException and a body below the minimum data rate as a 408
            // BadMessageException; both answer 408 with a body
            ctx.header("Connection", "close");
            throw new ApiError(408, "The request body did not arrive in time (it must arrive within the body "
                    + "timeout, at the minimum data rate); send it again at once.");
        }
        return receiver.handle(headers, body);
    }

    /** The body of the answer to an event id already processed. */
    static final String DUPLICATE = "{\"error\":\"duplicate\",\"message\":\"this project already sent an event "
            + "with this id; it was processed once and nothing changed now\"}";

    private static void answer(Context ctx, NotifyResponse r) {
        if (isDuplicate(r)) {
            ctx.status(409).contentType(NotifyResponse.CONTENT_TYPE).result(DUPLICATE);
            return;
        }
        if (r.status() >= 500) {
            String id = Answers.requestId(ctx);
            LOG.error("POST /notify answered {} (request id {}): {}", r.status(), id, r.jsonBody(),
                    r.failure().orElse(null));
            ctx.header("Retry-After", Long.toString(Math.max(1, r.retryAfterSeconds())));
        } else if (r.failure().isPresent()) {
            LOG.warn("POST /notify answered {} but a part failed (request id {})", r.status(),
                    Answers.requestId(ctx), r.failure().get());
        }
        ctx.status(r.status()).contentType(NotifyResponse.CONTENT_TYPE).result(r.jsonBody());
    }

    /** The receiver's answer to an event id it processed before: 200 with status {@code duplicate}. */
    private static boolean isDuplicate(NotifyResponse r) {
        if (r.status() != 200) {
            return false;
        }
        try {
            return "duplicate".equals(Answers.JSON.readTree(r.jsonBody()).path("status").asText());
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
