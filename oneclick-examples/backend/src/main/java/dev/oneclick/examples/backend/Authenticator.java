package dev.oneclick.examples.backend;

import java.util.Optional;

/**
 * Turns the credentials a request carries into a user id. The reference backend ships {@link HmacTokens}, a signed
 * bearer token for the example; a backend that embeds oneclick plugs its own session or OAuth check in here.
 *
 * <p>Implementations must be thread-safe; they are called for every REST request and WebSocket subscription.
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * The user the token belongs to.
     *
     * @param bearerToken the token as sent (the part after {@code Bearer }), never null
     * @return the user id, or empty when the token is invalid, expired or unknown
     */
    Optional<String> authenticate(String bearerToken);
}
