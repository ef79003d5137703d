/**
 * Internal: not API; may change without notice. Public only for ipckit's own packages and modules; excluded from
 * the javadoc jar.
 * <p>
 * The {@code pool} layer's part of a spare JVM's warm-up ({@code WorkerClassesWarmup}).
 */
package dev.ipckit.pool.internal;
