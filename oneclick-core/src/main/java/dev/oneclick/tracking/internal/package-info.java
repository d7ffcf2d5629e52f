/** Implementation of the tracker: attribute conversion, item names, page cursors. Not public API. */
package dev.oneclick.tracking.internal;
