/**
 * The full stack's steps, in the manner of the static site's ({@code dev.oneclick.site.internal}): each finds its
 * resource (recorded id, then name and tags), checks that it is the project's, creates or repairs it, records it at
 * once, and deletes it on destroy. The steps of one run share a {@link dev.oneclick.stack.internal.StackState}.
 */
package dev.oneclick.stack.internal;
