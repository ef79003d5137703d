package dev.ipckit.memory.internal;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Writes a new object's initial contents before the object is published. The slots are zero when it runs.
 */
@FunctionalInterface
public interface ObjectInitializer
{
    /**
     * Initialises a new object.
     *
     * @param buffer     the region's buffer.
     * @param offset     offset of the object's data slot.
     * @param lockOffset offset of the object's lock slot, 0 when it has none.
     */
    void initialize(AtomicBuffer buffer, int offset, int lockOffset);
}
