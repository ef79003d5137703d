/**
 * Internal: not API; may change without notice. Public only for ipckit's own packages and modules; excluded from
 * the javadoc jar.
 * <p>
 * How ipckit's own waitables wake a sleeping {@link dev.ipckit.wait.Waiting} waiter instead of being looked at over
 * and over: {@link dev.ipckit.wait.internal.RingingWaitable}.
 */
package dev.ipckit.wait.internal;
