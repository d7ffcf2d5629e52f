/**
 * The step engine (not public API): runs a deploy kind's {@link dev.oneclick.engine.internal.Step steps} in order for
 * plan and deploy and in reverse for destroy, holds the project's lease for the whole run, records every resource
 * the moment it exists, and offers the ownership checks every step makes before it changes or deletes anything. It
 * knows no resource kind.
 */
package dev.oneclick.engine.internal;
