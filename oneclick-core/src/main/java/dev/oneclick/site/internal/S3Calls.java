package dev.oneclick.site.internal;

import dev.oneclick.internal.aws.AwsCall;
import software.amazon.awssdk.core.exception.SdkException;
import dev.oneclick.errors.OneclickException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers around the sync's asynchronous S3 calls: their failures, waiting for them, and their ETags. */
final class S3Calls {
    private S3Calls() {
    }

    /** An ETag without the quotes S3 puts around it; null stays null. */
    static String normEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String t = etag.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return t;
    }

    /** The cause inside {@link CompletionException}s and {@link ExecutionException}s. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The failure of an S3 request as the error a caller sees: an {@link dev.oneclick.errors.AwsRequestException} naming S3, the
     * operation, the resource and AWS's error code when the SDK failed, else a {@link OneclickException}.
     */
    static OneclickException failed(String operation, String resource, Throwable e) {
        Throwable c = unwrap(e);
        if (c instanceof OneclickException oe) {
            return oe;
        }
        if (c instanceof SdkException sdk) {
            return AwsCall.wrap("S3", operation, resource, sdk);
        }
        return new OneclickException("S3 " + operation + " on " + resource + " failed: " + message(c), c);
    }

    /** The message of the unwrapped cause, or its {@code toString} when it has none. */
    static String message(Throwable e) {
        Throwable t = unwrap(e);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /**
     * Waits for {@code f}. A {@link OneclickException} it failed with is thrown as it is; any other failure as a
     * {@link OneclickException} saying "Could not {@code what}".
     */
    static <T> T join(CompletableFuture<T> f, String what) {
        try {
            return f.join();
        } catch (CompletionException | CancellationException e) {
            Throwable c = unwrap(e);
            if (c instanceof OneclickException oe) {
                throw oe;
            }
            throw new OneclickException("Could not " + what + ": " + message(c), c);
        }
    }
}
