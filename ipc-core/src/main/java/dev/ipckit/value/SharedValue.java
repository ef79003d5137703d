package dev.ipckit.value;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;

/**
 * A single typed value in a shared region (Python's {@code multiprocessing.Value}). Implementations:
 * {@link SharedInt}, {@link SharedLong}, {@link SharedDouble}, {@link SharedByte}, {@link SharedBoolean}.
 */
public interface SharedValue
{
    /**
     * The value's name in its region.
     *
     * @return the name.
     */
    String name();

    /**
     * The region that holds the value.
     *
     * @return the region.
     */
    SharedRegion region();

    /**
     * The lock created with the value (Python's {@code get_lock()}).
     *
     * @return the lock.
     * @throws IllegalStateException when the value was created raw, without a lock.
     */
    SharedRLock getLock();

    /**
     * Whether the value was created with a lock.
     *
     * @return false when created raw.
     */
    boolean hasLock();
}
