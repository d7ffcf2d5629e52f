/**
 * Real local AWS endpoints for tests and the local preview: {@link dev.oneclick.local.LocalAws} (the facade, with
 * a backend of dynalite + s3proxy or LocalStack), {@link dev.oneclick.local.Dynalite} and
 * {@link dev.oneclick.local.S3Proxy} (usable alone), and {@link dev.oneclick.local.LocalAwsMain} (a command-line
 * runner). Package-private classes hold the implementation. Nothing here talks to anything but 127.0.0.1, apart
 * from the one-time {@code npm ci} that installs dynalite from the npm registry.
 */
package dev.oneclick.local;
