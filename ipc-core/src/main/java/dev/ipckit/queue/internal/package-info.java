/**
 * Internal: not API; may change without notice. Public only for {@link java.util.ServiceLoader} and the jcstress
 * suites.
 * <p>
 * The {@code queue} layer's part in automatic cleanup: {@code StaleFiles}, the sweeper that
 * {@code platform.internal.ResourceTracker} runs over a dead process's directories; and {@code RingRepair}, how a
 * ring queue's producer steps over what a dead producer left in the ring.
 */
package dev.ipckit.queue.internal;
