package dev.ipckit.value;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.ObjectInitializer;
import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.sync.SharedRLock;

import java.util.Objects;

/**
 * How a new value or array is guarded, as Python's {@code lock=} argument says: a lock of its own ({@link #OWN},
 * {@code lock=True}), none ({@link #RAW}, {@code RawValue}), or a lock that already exists in the region
 * ({@link #under}, {@code lock=some_lock}), which several objects then share.
 */
final class Guard
{
    /** A reentrant lock slot allocated with the object. */
    static final Guard OWN = new Guard(SharedObject.LOCK_SLOT_LENGTH, 0);
    /** No lock. */
    static final Guard RAW = new Guard(0, 0);

    private final int lockLength;
    private final int sharedLockOffset;

    private Guard(final int lockLength, final int sharedLockOffset)
    {
        this.lockLength = lockLength;
        this.sharedLockOffset = sharedLockOffset;
    }

    /**
     * Guarded by {@code lock}, which must live in {@code region}.
     *
     * @throws IllegalArgumentException when it lives in another region.
     */
    static Guard under(final SharedRegion region, final String name, final SharedRLock lock)
    {
        Objects.requireNonNull(lock, "lock");
        if (!lock.region().path().equals(region.path()))
        {
            throw new IllegalArgumentException("'" + name + "' cannot be guarded by lock '" + lock.name() +
                "' of region " + lock.region().name() + ": a value's lock must live in the value's region (" +
                region.name() + ")");
        }
        return new Guard(0, lock.slotOffset());
    }

    RegionEntry allocate(
        final SharedRegion region, final String name, final ObjectType type, final long count,
        final ObjectInitializer initializer)
    {
        return sharedLockOffset != 0 ?
            region.allocateUnder(name, type, count, sharedLockOffset, initializer) :
            region.allocate(name, type, count, lockLength, initializer);
    }
}
