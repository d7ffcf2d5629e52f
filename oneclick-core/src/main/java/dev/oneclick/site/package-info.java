/**
 * Static-site deployment: {@link dev.oneclick.site.CacheRule} (Cache-Control by glob, first match wins) and
 * {@link dev.oneclick.site.CacheRules} (the defaults: immutable caching for fingerprinted assets, {@code no-cache}
 * for HTML and the rest). The sync engine itself is in {@code dev.oneclick.site.internal}.
 */
package dev.oneclick.site;
