package dev.ipckit.value;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;

/**
 * A fixed-length typed array in a shared region (Python's {@code multiprocessing.Array}). Implementations:
 * {@link SharedIntArray}, {@link SharedLongArray}, {@link SharedDoubleArray}, {@link SharedByteArray}.
 * An index outside {@code [0, length())} is an {@link IndexOutOfBoundsException}.
 */
public interface SharedArray
{
    /**
     * The array's name in its region.
     *
     * @return the name.
     */
    String name();

    /**
     * The region that holds the array.
     *
     * @return the region.
     */
    SharedRegion region();

    /**
     * Number of elements.
     *
     * @return the length.
     */
    int length();

    /**
     * The lock created with the array (Python's {@code get_lock()}).
     *
     * @return the lock.
     * @throws IllegalStateException when the array was created raw, without a lock.
     */
    SharedRLock getLock();

    /**
     * Whether the array was created with a lock.
     *
     * @return false when created raw.
     */
    boolean hasLock();
}
