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

    private static void answer(Context ctx, NotifyResponse r) {
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
}
