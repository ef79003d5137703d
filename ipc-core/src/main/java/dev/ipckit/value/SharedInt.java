package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;

/**
 * An {@code int} in a shared region, with the operations of {@link java.util.concurrent.atomic.AtomicInteger}. The
 * memory-ordering names are explained in the {@linkplain dev.ipckit.value package documentation}.
 */
public final class SharedInt extends SharedObject implements SharedValue
{
    private static final long serialVersionUID = 1L;

    private SharedInt(final SharedRegion region, final RegionEntry entry)
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
    public static SharedInt create(final SharedRegion region, final String name, final int initial)
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
    public static SharedInt createRaw(final SharedRegion region, final String name, final int initial)
    {
        return create(region, name, initial, Guard.RAW);
    }

    private static SharedInt create(final SharedRegion region, final String name, final int initial, final Guard guard)
    {
        return new SharedInt(region, guard.allocate(region, name, ObjectType.INT, 1, (b, o, l) -> b.putInt(o, initial)));
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
    public static SharedInt create(final SharedRegion region, final String name, final int initial, final SharedRLock lock)
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
    public static SharedInt open(final SharedRegion region, final String name)
    {
        return new SharedInt(region, region.find(name, ObjectType.INT));
    }

    /**
     * Opens the value, or creates it with {@code initial} if it does not exist.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value when creating.
     * @return the value.
     */
    public static SharedInt openOrCreate(final SharedRegion region, final String name, final int initial)
    {
        return new SharedInt(
            region, region.findOrAllocate(name, ObjectType.INT, 1, LOCK_SLOT_LENGTH, (b, o, l) -> b.putInt(o, initial)));
    }

    /** @return the value, volatile read. */
    public int get()
    {
        return live().getIntVolatile(offset);
    }

    /** @param value the new value, volatile write. */
    public void set(final int value)
    {
        live().putIntVolatile(offset, value);
    }

    /** @return the value, plain read. */
    public int getPlain()
    {
        return live().getInt(offset);
    }

    /** @param value the new value, plain write. */
    public void setPlain(final int value)
    {
        live().putInt(offset, value);
    }

    /** @return the value, acquire read. */
    public int getAcquire()
    {
        return live().getIntAcquire(offset);
    }

    /** @param value the new value, release write. */
    public void setRelease(final int value)
    {
        live().putIntRelease(offset, value);
    }

    /**
     * @param delta the amount to add.
     * @return the previous value.
     */
    public int getAndAdd(final int delta)
    {
        return live().getAndAddInt(offset, delta);
    }

    /**
     * @param delta the amount to add.
     * @return the new value.
     */
    public int addAndGet(final int delta)
    {
        return live().getAndAddInt(offset, delta) + delta;
    }

    /** @return the new value. */
    public int incrementAndGet()
    {
        return live().getAndAddInt(offset, 1) + 1;
    }

    /** @return the new value. */
    public int decrementAndGet()
    {
        return live().getAndAddInt(offset, -1) - 1;
    }

    /** @return the previous value. */
    public int getAndIncrement()
    {
        return live().getAndAddInt(offset, 1);
    }

    /** @return the previous value. */
    public int getAndDecrement()
    {
        return live().getAndAddInt(offset, -1);
    }

    /**
     * @param value the new value.
     * @return the previous value.
     */
    public int getAndSet(final int value)
    {
        return live().getAndSetInt(offset, value);
    }

    /**
     * @param expected the value expected.
     * @param value    the new value.
     * @return true if the value was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final int expected, final int value)
    {
        return live().compareAndSetInt(offset, expected, value);
    }

    @Override
    public String toString()
    {
        return "SharedInt{" + name() + "=" + (regionClosed() ? "(region closed)" : String.valueOf(get())) + "}";
    }
}
