/**
 * Python's {@code multiprocessing.Manager()} structures across JVMs, without a manager process:
 * {@link dev.ipckit.manager.SharedDict} (a {@link java.util.concurrent.ConcurrentMap}),
 * {@link dev.ipckit.manager.SharedList} (a {@link java.util.List}), {@link dev.ipckit.manager.SharedSet},
 * {@link dev.ipckit.manager.SharedNamespace} and {@link dev.ipckit.manager.ManagedObject} (an object of the
 * application's own {@link dev.ipckit.manager.ManagedType}, Python's {@code BaseManager.register}) live in a shared region, each guarded by a {@link dev.ipckit.sync.SharedRLock} in the same region, and
 * {@link dev.ipckit.manager.SharedManager} hands them out by name.
 * <p>
 * Every operation is atomic and copies values in and out through {@link dev.ipckit.codec.Codec}s. A process killed
 * in the middle of an operation leaves the structure consistent: changes are written into free space, recorded in
 * a redo record and committed by one store, and the next lock holder completes a committed change (the protocol is
 * described in the package's {@code TableLayout}). Capacities are fixed at creation; a change that does not fit
 * throws {@link java.lang.IllegalStateException} and changes nothing.
 */
package dev.ipckit.manager;
