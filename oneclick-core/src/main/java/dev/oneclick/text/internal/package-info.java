/** Text helpers shared by the capability packages (quoting untrusted input in messages). Not public API. */
package dev.oneclick.text.internal;
