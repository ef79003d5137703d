/**
 * Internal: not API; may change without notice. Public only for {@link java.util.ServiceLoader} and the jcstress
 * suites.
 * <p>
 * The {@code queue} layer's part in automatic cleanup: {@code StaleFiles}, the sweeper that
 * {@code platform.internal.ResourceTracker} runs over a dead process's directories; {@code RingRepair}, how a
 * ring queue's producer steps over what a dead producer left in the ring; and {@code RingClaims}, how a ring queue's
 * consumers claim messages without a lock and finish the claims of consumers that died.
 */
package dev.ipckit.queue.internal;
