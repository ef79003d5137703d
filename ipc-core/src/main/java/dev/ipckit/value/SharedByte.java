package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;

/**
 * A {@code byte} in a shared region (Python's {@code Value('b')} and {@code Value('c')}). It is stored sign-extended
 * in an int word so that it can be compared-and-set; arithmetic wraps as byte arithmetic does.
 */
public final class SharedByte extends SharedObject implements SharedValue
{
    private static final long serialVersionUID = 1L;

    private SharedByte(final SharedRegion region, final RegionEntry entry)
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
    public static SharedByte create(final SharedRegion region, final String name, final byte initial)
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
    public static SharedByte createRaw(final SharedRegion region, final String name, final byte initial)
    {
        return create(region, name, initial, Guard.RAW);
    }

    private static SharedByte create(final SharedRegion region, final String name, final byte initial, final Guard guard)
    {
        return new SharedByte(region, guard.allocate(region, name, ObjectType.BYTE, 1, (b, o, l) -> b.putInt(o, initial)));
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
    public static SharedByte create(final SharedRegion region, final String name, final byte initial, final SharedRLock lock)
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
    public static SharedByte open(final SharedRegion region, final String name)
    {
        return new SharedByte(region, region.find(name, ObjectType.BYTE));
    }

    /**
     * Opens the value, or creates it with {@code initial} if it does not exist.
     *
     * @param region  the region.
     * @param name    the value's name.
     * @param initial the initial value when creating.
     * @return the value.
     */
    public static SharedByte openOrCreate(final SharedRegion region, final String name, final byte initial)
    {
        return new SharedByte(
            region, region.findOrAllocate(name, ObjectType.BYTE, 1, LOCK_SLOT_LENGTH, (b, o, l) -> b.putInt(o, initial)));
    }

    /** @return the value, volatile read. */
    public byte get()
    {
        return (byte)live().getIntVolatile(offset);
    }

    /** @param value the new value, volatile write. */
    public void set(final byte value)
    {
        live().putIntVolatile(offset, value);
    }

    /** @return the value, plain read. */
    public byte getPlain()
    {
        return (byte)live().getInt(offset);
    }

    /** @param value the new value, plain write. */
    public void setPlain(final byte value)
    {
        live().putInt(offset, value);
    }

    /** @return the value, acquire read. */
    public byte getAcquire()
    {
        return (byte)live().getIntAcquire(offset);
    }

    /** @param value the new value, release write. */
    public void setRelease(final byte value)
    {
        live().putIntRelease(offset, value);
    }

    /**
     * @param delta the amount to add; the result wraps to a byte.
     * @return the previous value.
     */
    public byte getAndAdd(final int delta)
    {
        while (true)
        {
            final int current = live().getIntVolatile(offset);
            if (live().compareAndSetInt(offset, current, (byte)(current + delta)))
            {
                return (byte)current;
            }
        }
    }

    /**
     * @param delta the amount to add; the result wraps to a byte.
     * @return the new value.
     */
    public byte addAndGet(final int delta)
    {
        return (byte)(getAndAdd(delta) + delta);
    }

    /** @return the new value. */
    public byte incrementAndGet()
    {
        return addAndGet(1);
    }

    /** @return the new value. */
    public byte decrementAndGet()
    {
        return addAndGet(-1);
    }

    /**
     * @param value the new value.
     * @return the previous value.
     */
    public byte getAndSet(final byte value)
    {
        return (byte)live().getAndSetInt(offset, value);
    }

    /**
     * @param expected the value expected.
     * @param value    the new value.
     * @return true if the value was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final byte expected, final byte value)
    {
        return live().compareAndSetInt(offset, expected, value);
    }

    /** @return the value as a character of ISO-8859-1, as Python's {@code Value('c')} shows it. */
    public char getChar()
    {
        return (char)(get() & 0xFF);
    }

    @Override
    public String toString()
    {
        return "SharedByte{" + name() + "=" + (regionClosed() ? "(region closed)" : String.valueOf(get())) + "}";
    }
}
