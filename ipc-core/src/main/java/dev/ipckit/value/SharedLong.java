package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;

/**
 * A {@code long} in a shared region, with the operations of {@link java.util.concurrent.atomic.AtomicLong}. The
 * memory-ordering names are explained in the {@linkplain dev.ipckit.value package documentation}.
 */
public final class SharedLong extends SharedObject implements SharedValue
{
    private static final long serialVersionUID = 1L;

    private SharedLong(final SharedRegion region, final RegionEntry entry)
    {
        super(region, entry);
    }

    /**
     * Creates the value; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value, visible to every process that finds the value.
     * @return the value.
     */
    public static SharedLong create(final SharedRegion region, final String name, final long initial)
    {
        return create(region, name, initial, Guard.OWN);
    }

    /**
     * Creates, without a lock of its own (Python's {@code RawValue}/{@code RawArray}), the value; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value, visible to every process that finds the value.
     * @return the value.
     */
    public static SharedLong createRaw(final SharedRegion region, final String name, final long initial)
    {
        return create(region, name, initial, Guard.RAW);
    }

    private static SharedLong create(final SharedRegion region, final String name, final long initial, final Guard guard)
    {
        return new SharedLong(region, guard.allocate(region, name, ObjectType.LONG, 1, (b, o, l) -> b.putLong(o, initial)));
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
    public static SharedLong create(final SharedRegion region, final String name, final long initial, final SharedRLock lock)
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
    public static SharedLong open(final SharedRegion region, final String name)
    {
        return new SharedLong(region, region.find(name, ObjectType.LONG));
    }

    /**
     * Opens the value, or creates it with {@code initial} if it does not exist.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value when creating.
     * @return the value.
     */
    public static SharedLong openOrCreate(final SharedRegion region, final String name, final long initial)
    {
        return new SharedLong(
            region, region.findOrAllocate(name, ObjectType.LONG, 1, LOCK_SLOT_LENGTH, (b, o, l) -> b.putLong(o, initial)));
    }

    /** @return the value, volatile read. */
    public long get()
    {
        return live().getLongVolatile(offset);
    }

    /** @param value the new value, volatile write. */
    public void set(final long value)
    {
        live().putLongVolatile(offset, value);
    }

    /** @return the value, plain read. */
    public long getPlain()
    {
        return live().getLong(offset);
    }

    /** @param value the new value, plain write. */
    public void setPlain(final long value)
    {
        live().putLong(offset, value);
    }

    /** @return the value, acquire read. */
    public long getAcquire()
    {
        return live().getLongAcquire(offset);
    }

    /** @param value the new value, release write. */
    public void setRelease(final long value)
    {
        live().putLongRelease(offset, value);
    }

    /**
     * @param delta the amount to add.
     * @return the previous value.
     */
    public long getAndAdd(final long delta)
    {
        return live().getAndAddLong(offset, delta);
    }

    /**
     * @param delta the amount to add.
     * @return the new value.
     */
    public long addAndGet(final long delta)
    {
        return live().getAndAddLong(offset, delta) + delta;
    }

    /** @return the new value. */
    public long incrementAndGet()
    {
        return live().getAndAddLong(offset, 1) + 1;
    }

    /** @return the new value. */
    public long decrementAndGet()
    {
        return live().getAndAddLong(offset, -1) - 1;
    }

    /** @return the previous value. */
    public long getAndIncrement()
    {
        return live().getAndAddLong(offset, 1);
    }

    /** @return the previous value. */
    public long getAndDecrement()
    {
        return live().getAndAddLong(offset, -1);
    }

    /**
     * @param value the new value.
     * @return the previous value.
     */
    public long getAndSet(final long value)
    {
        return live().getAndSetLong(offset, value);
    }

    /**
     * @param expected the value expected.
     * @param value    the new value.
     * @return true if the value was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final long expected, final long value)
    {
        return live().compareAndSetLong(offset, expected, value);
    }

    @Override
    public String toString()
    {
        return "SharedLong{" + name() + "=" + (regionClosed() ? "(region closed)" : String.valueOf(get())) + "}";
    }
}
