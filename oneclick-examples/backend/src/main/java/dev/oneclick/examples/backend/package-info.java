/**
 * A reference backend that embeds oneclick-core: {@link dev.oneclick.examples.backend.ReferenceBackend} creates
 * projects (GUID, {@code notify.sh}, the deploy skill, the system prompt, the tracker record), mounts the core's
 * {@code NotifyReceiver} on {@code POST /notify}, pushes accepted events to the owner's WebSocket, serves the REST
 * API and the resources panel. Sign-in is behind {@link dev.oneclick.examples.backend.Authenticator}; the example's
 * {@link dev.oneclick.examples.backend.HmacTokens} is meant to be replaced by a real backend's own.
 */
package dev.oneclick.examples.backend;
