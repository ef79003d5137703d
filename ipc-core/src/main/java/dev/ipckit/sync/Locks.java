package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.SharedRegion;

/**
 * Re-opens a lock known by name and directory type: a {@link SharedLock}, a {@link SharedRLock}, or the lock slot
 * that a value or array was created with (a type that is not a lock type).
 */
final class Locks
{
    private Locks()
    {
    }

    static SyncObject open(final SharedRegion region, final String name, final ObjectType type)
    {
        if (type == ObjectType.LOCK)
        {
            return SharedLock.open(region, name);
        }
        if (type == ObjectType.RLOCK)
        {
            return SharedRLock.open(region, name);
        }
        if (type == null)
        {
            throw new IllegalStateException("lock '" + name + "' in " + region.name() + " has an unknown type code");
        }
        return SharedRLock.guarding(region, region.find(name, type));
    }
}
