package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;

/**
 * A {@code double} in a shared region, stored as its raw long bits so it can be compared-and-set. Arithmetic is a
 * compare-and-set loop on the bits; {@link #compareAndSet} compares bits (see the
 * {@linkplain dev.ipckit.value package documentation}).
 */
public final class SharedDouble extends SharedObject implements SharedValue
{
    private static final long serialVersionUID = 1L;

    private SharedDouble(final SharedRegion region, final RegionEntry entry)
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
    public static SharedDouble create(final SharedRegion region, final String name, final double initial)
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
    public static SharedDouble createRaw(final SharedRegion region, final String name, final double initial)
    {
        return create(region, name, initial, Guard.RAW);
    }

    private static SharedDouble create(final SharedRegion region, final String name, final double initial, final Guard guard)
    {
        return new SharedDouble(region, guard.allocate(region, name, ObjectType.DOUBLE, 1, (b, o, l) -> b.putLong(o, Double.doubleToRawLongBits(initial))));
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
    public static SharedDouble create(final SharedRegion region, final String name, final double initial, final SharedRLock lock)
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
    public static SharedDouble open(final SharedRegion region, final String name)
    {
        return new SharedDouble(region, region.find(name, ObjectType.DOUBLE));
    }

    /**
     * Opens the value, or creates it with {@code initial} if it does not exist.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value when creating.
     * @return the value.
     */
    public static SharedDouble openOrCreate(final SharedRegion region, final String name, final double initial)
    {
        return new SharedDouble(region, region.findOrAllocate(
            name, ObjectType.DOUBLE, 1, LOCK_SLOT_LENGTH, (b, o, l) -> b.putLong(o, Double.doubleToRawLongBits(initial))));
    }

    /** @return the value, volatile read. */
    public double get()
    {
        return Double.longBitsToDouble(live().getLongVolatile(offset));
    }

    /** @param value the new value, volatile write. */
    public void set(final double value)
    {
        live().putLongVolatile(offset, Double.doubleToRawLongBits(value));
    }

    /** @return the value, plain read. */
    public double getPlain()
    {
        return Double.longBitsToDouble(live().getLong(offset));
    }

    /** @param value the new value, plain write. */
    public void setPlain(final double value)
    {
        live().putLong(offset, Double.doubleToRawLongBits(value));
    }

    /** @return the value, acquire read. */
    public double getAcquire()
    {
        return Double.longBitsToDouble(live().getLongAcquire(offset));
    }

    /** @param value the new value, release write. */
    public void setRelease(final double value)
    {
        live().putLongRelease(offset, Double.doubleToRawLongBits(value));
    }

    /**
     * @param delta the amount to add.
     * @return the previous value.
     */
    public double getAndAdd(final double delta)
    {
        while (true)
        {
            final long bits = live().getLongVolatile(offset);
            final double current = Double.longBitsToDouble(bits);
            if (live().compareAndSetLong(offset, bits, Double.doubleToRawLongBits(current + delta)))
            {
                return current;
            }
        }
    }

    /**
     * @param delta the amount to add.
     * @return the new value.
     */
    public double addAndGet(final double delta)
    {
        return getAndAdd(delta) + delta;
    }

    /**
     * @param value the new value.
     * @return the previous value.
     */
    public double getAndSet(final double value)
    {
        return Double.longBitsToDouble(live().getAndSetLong(offset, Double.doubleToRawLongBits(value)));
    }

    /**
     * @param expected the value expected, compared by its raw bits.
     * @param value    the new value.
     * @return true if the value's bits were {@code expected}'s and it is now {@code value}.
     */
    public boolean compareAndSet(final double expected, final double value)
    {
        return live().compareAndSetLong(offset, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    @Override
    public String toString()
    {
        return "SharedDouble{" + name() + "=" + (regionClosed() ? "(region closed)" : String.valueOf(get())) + "}";
    }
}
