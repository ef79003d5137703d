/**
 * Internal: not API; may change without notice. Public only for {@link java.util.ServiceLoader}.
 * <p>
 * The {@code queue} layer's part in automatic cleanup: {@code StaleFiles}, the sweeper that
 * {@code platform.internal.ResourceTracker} runs over a dead process's directories.
 */
package dev.ipckit.queue.internal;
