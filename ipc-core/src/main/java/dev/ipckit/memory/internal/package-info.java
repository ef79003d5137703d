/**
 * Internal: not API; may change without notice. Public only for ipckit's own packages and modules; excluded from
 * the javadoc jar.
 * <p>
 * The internals of the {@code memory} layer that other ipckit packages use: a region directory's entries
 * ({@code RegionEntry}, {@code ObjectType}, {@code ObjectInitializer}), name validation ({@code Names}) and the
 * checks of fields read from a file ({@code RegionChecks}), and the table in a region's header where a sleeping
 * waiter leaves its doorbell for the writers of the region's objects ({@code WaiterTable}).
 */
package dev.ipckit.memory.internal;
