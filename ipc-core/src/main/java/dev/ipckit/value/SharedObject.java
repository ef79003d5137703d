package dev.ipckit.value;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.platform.Attachable;
import dev.ipckit.sync.SharedRLock;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;

/**
 * What every value and array shares: the region, the directory entry, and the handle it travels as.
 */
abstract class SharedObject implements Attachable
{
    private static final long serialVersionUID = 1L;

    /** Bytes of the lock slot a value or array is created with, unless created raw. */
    static final int LOCK_SLOT_LENGTH = SharedRLock.SLOT_LENGTH;

    final transient SharedRegion region;
    final transient RegionEntry entry;
    final transient AtomicBuffer buffer;
    final transient int offset;
    private transient SharedRLock lock;

    SharedObject(final SharedRegion region, final RegionEntry entry)
    {
        this.region = region;
        this.entry = entry;
        this.buffer = region.buffer();
        this.offset = entry.offset();
    }

    /**
     * The buffer, checked: every operation starts here, so that one on a closed region throws CLOSED instead of
     * touching memory (a volatile read of the region's closed flag and one predictable branch).
     *
     * @return the region's buffer.
     * @throws dev.ipckit.memory.RegionException CLOSED when the region is closed in this process.
     */
    final AtomicBuffer live()
    {
        if (region.isClosed())
        {
            throw closedError();
        }
        return buffer;
    }

    /** Whether the region is closed in this process, for {@code toString}, which must not throw. */
    final boolean regionClosed()
    {
        return region.isClosed();
    }

    private RuntimeException closedError()
    {
        return region.closedError(getClass().getSimpleName() + " '" + entry.name() + "'");
    }

    /**
     * The object's name in its region.
     *
     * @return the name.
     */
    public String name()
    {
        return entry.name();
    }

    /**
     * The region that holds the object.
     *
     * @return the region.
     */
    public SharedRegion region()
    {
        return region;
    }

    /**
     * The lock created with the object (Python's {@code get_lock()}): a reentrant {@link SharedRLock} in the same
     * region, for compound updates that single atomic operations do not cover. It guards nothing by itself: code that
     * wants the lock's protection takes it around every access.
     *
     * @return the lock.
     * @throws IllegalStateException when the object was created raw, without a lock.
     */
    public SharedRLock getLock()
    {
        if (!entry.hasLock())
        {
            throw new IllegalStateException("'" + entry.name() + "' was created raw (createRaw), without a lock");
        }
        SharedRLock view = lock;
        if (view == null)
        {
            view = SharedRLock.guarding(region, entry);
            lock = view; // a benign race: every view of the slot is equivalent
        }
        return view;
    }

    /**
     * Whether the object was created with a lock.
     *
     * @return false for objects created raw.
     */
    public boolean hasLock()
    {
        return entry.hasLock();
    }

    /**
     * Serialization replaces the object with its handle (subclasses inherit this because it is not private).
     *
     * @return the handle.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        return new ValueHandle(region, entry.name(), entry.type());
    }
}
