package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;

/**
 * A {@code boolean} in a shared region, stored as an int word holding 0 or 1, with the operations of
 * {@link java.util.concurrent.atomic.AtomicBoolean}.
 */
public final class SharedBoolean extends SharedObject implements SharedValue
{
    private static final long serialVersionUID = 1L;

    private SharedBoolean(final SharedRegion region, final RegionEntry entry)
    {
        super(region, entry);
    }

    /**
     * Creates the value; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value.
     * @return the value.
     */
    public static SharedBoolean create(final SharedRegion region, final String name, final boolean initial)
    {
        return create(region, name, initial, Guard.OWN);
    }

    /**
     * Creates, without a lock of its own (Python's {@code RawValue}/{@code RawArray}), the value; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value.
     * @return the value.
     */
    public static SharedBoolean createRaw(final SharedRegion region, final String name, final boolean initial)
    {
        return create(region, name, initial, Guard.RAW);
    }

    private static SharedBoolean create(final SharedRegion region, final String name, final boolean initial, final Guard guard)
    {
        return new SharedBoolean(
            region, guard.allocate(region, name, ObjectType.BOOLEAN, 1, (b, o, l) -> b.putInt(o, toInt(initial))));
    }

    /**
     * Creates the value guarded by a lock that already exists in the same region (Python's
     * {@code Value(typecode, initial, lock=lock)}): {@link #getLock()} is that lock, in every process, so several
     * values can share one. Fails if the name exists.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value.
     * @param lock    the lock, in {@code region}: a {@link SharedRLock} or another value's {@link #getLock()}.
     * @return the value.
     * @throws IllegalArgumentException when the lock lives in another region.
     */
    public static SharedBoolean create(final SharedRegion region, final String name, final boolean initial, final SharedRLock lock)
    {
        return create(region, name, initial, Guard.under(region, name, lock));
    }

    /**
     * Opens an existing value, checking its type.
     *
     * @param region the region.
     * @param name   the value's name.
     * @return the value.
     */
    public static SharedBoolean open(final SharedRegion region, final String name)
    {
        return new SharedBoolean(region, region.find(name, ObjectType.BOOLEAN));
    }

    /**
     * Opens the value, or creates it with {@code initial} if it does not exist.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value when creating.
     * @return the value.
     */
    public static SharedBoolean openOrCreate(final SharedRegion region, final String name, final boolean initial)
    {
        return new SharedBoolean(
            region, region.findOrAllocate(name, ObjectType.BOOLEAN, 1, LOCK_SLOT_LENGTH, (b, o, l) -> b.putInt(o, toInt(initial))));
    }

    /** @return the value, volatile read. */
    public boolean get()
    {
        return live().getIntVolatile(offset) != 0;
    }

    /** @param value the new value, volatile write. */
    public void set(final boolean value)
    {
        live().putIntVolatile(offset, toInt(value));
    }

    /** @return the value, plain read. */
    public boolean getPlain()
    {
        return live().getInt(offset) != 0;
    }

    /** @param value the new value, plain write. */
    public void setPlain(final boolean value)
    {
        live().putInt(offset, toInt(value));
    }

    /** @return the value, acquire read. */
    public boolean getAcquire()
    {
        return live().getIntAcquire(offset) != 0;
    }

    /** @param value the new value, release write. */
    public void setRelease(final boolean value)
    {
        live().putIntRelease(offset, toInt(value));
    }

    /**
     * @param value the new value.
     * @return the previous value.
     */
    public boolean getAndSet(final boolean value)
    {
        return live().getAndSetInt(offset, toInt(value)) != 0;
    }

    /**
     * @param expected the value expected.
     * @param value    the new value.
     * @return true if the value was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final boolean expected, final boolean value)
    {
        return live().compareAndSetInt(offset, toInt(expected), toInt(value));
    }

    @Override
    public String toString()
    {
        return "SharedBoolean{" + name() + "=" + (regionClosed() ? "(region closed)" : String.valueOf(get())) + "}";
    }

    private static int toInt(final boolean value)
    {
        return value ? 1 : 0;
    }
}
