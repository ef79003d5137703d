package dev.ipckit.value;

import dev.ipckit.memory.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What every value and array shares: the region, the directory entry, and the handle it travels as.
 */
abstract class SharedObject implements Serializable
{
    private static final long serialVersionUID = 1L;

    final transient SharedRegion region;
    final transient RegionEntry entry;
    final transient AtomicBuffer buffer;
    final transient int offset;

    SharedObject(final SharedRegion region, final RegionEntry entry)
    {
        this.region = region;
        this.entry = entry;
        this.buffer = region.buffer();
        this.offset = entry.offset();
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
