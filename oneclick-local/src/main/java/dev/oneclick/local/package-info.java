/** Real local AWS endpoints for tests and the local preview. */
package dev.oneclick.local;
