package dev.ipckit.memory.internal;

/**
 * One named object in a region's directory: where its data slot and optional lock slot lie.
 *
 * @param name       the object's name.
 * @param type       the object's type.
 * @param offset     byte offset of the data slot in the region.
 * @param count      number of elements (1 for a single value).
 * @param length     bytes of the data slot.
 * @param lockOffset byte offset of the lock slot, 0 when the object has no lock.
 */
public record RegionEntry(String name, ObjectType type, int offset, long count, long length, int lockOffset)
{
    /**
     * Whether a lock slot was allocated with the object.
     *
     * @return true when {@link #lockOffset()} is set.
     */
    public boolean hasLock()
    {
        return lockOffset != 0;
    }
}
