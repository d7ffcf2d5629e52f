/** File-writing helpers shared inside oneclick-core; not API. */
package dev.oneclick.files.internal;
