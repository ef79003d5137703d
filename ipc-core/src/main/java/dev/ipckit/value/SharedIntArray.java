package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;

/**
 * A fixed-length {@code int} array in a shared region, with the per-element operations of
 * {@link java.util.concurrent.atomic.AtomicIntegerArray}. Elements are contiguous: for elements that different
 * processes update hard, prefer separate {@link SharedInt}s, which each get their own cache lines.
 */
public final class SharedIntArray extends SharedObject implements SharedArray
{
    private static final long serialVersionUID = 1L;
    private static final int SHIFT = 2;

    private final int length;

    private SharedIntArray(final SharedRegion region, final RegionEntry entry)
    {
        super(region, entry);
        this.length = Math.toIntExact(entry.count()); // the directory check bounds count by the region length
    }

    /**
     * Creates a zeroed array; fails if the name exists.
     *
     * @param region the region.
     * @param name   the array's name.
     * @param length number of elements, at least 1.
     * @return the array.
     */
    public static SharedIntArray create(final SharedRegion region, final String name, final int length)
    {
        return create(region, name, length, Guard.OWN);
    }

    /**
     * Creates, without a lock of its own (Python's {@code RawValue}/{@code RawArray}), a zeroed array; fails if the name exists.
     *
     * @param region the region.
     * @param name   the array's name.
     * @param length number of elements, at least 1.
     * @return the array.
     */
    public static SharedIntArray createRaw(final SharedRegion region, final String name, final int length)
    {
        return create(region, name, length, Guard.RAW);
    }

    private static SharedIntArray create(final SharedRegion region, final String name, final int length, final Guard guard)
    {
        return new SharedIntArray(region, guard.allocate(region, name, ObjectType.INT_ARRAY, length, null));
    }

    /**
     * Creates an array holding a copy of {@code initial}; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the array's name.
     * @param initial the contents; its length is the array's.
     * @return the array.
     */
    public static SharedIntArray create(final SharedRegion region, final String name, final int[] initial)
    {
        return create(region, name, initial, Guard.OWN);
    }

    /**
     * Creates, without a lock of its own (Python's {@code RawValue}/{@code RawArray}), an array holding a copy of {@code initial}; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the array's name.
     * @param initial the contents; its length is the array's.
     * @return the array.
     */
    public static SharedIntArray createRaw(final SharedRegion region, final String name, final int[] initial)
    {
        return create(region, name, initial, Guard.RAW);
    }

    private static SharedIntArray create(final SharedRegion region, final String name, final int[] initial, final Guard guard)
    {
        return new SharedIntArray(region, guard.allocate(region, name, ObjectType.INT_ARRAY, initial.length,
            (b, o, l) -> copy(initial, b, o)));
    }

    /**
     * Creates a zeroed array guarded by a lock that already exists in the same region (Python's
     * {@code Array(typecode, size, lock=lock)}): {@link #getLock()} is that lock, in every process. Fails if the
     * name exists.
     *
     * @param region the region.
     * @param name   the array's name.
     * @param length number of elements, at least 1.
     * @param lock   the lock, in {@code region}: a {@link SharedRLock} or another object's {@link #getLock()}.
     * @return the array.
     * @throws IllegalArgumentException when the lock lives in another region.
     */
    public static SharedIntArray create(final SharedRegion region, final String name, final int length, final SharedRLock lock)
    {
        return create(region, name, length, Guard.under(region, name, lock));
    }

    /**
     * Creates an array holding a copy of {@code initial}, guarded by a lock that already exists in the same region.
     *
     * @param region  the region.
     * @param name    the array's name.
     * @param initial the contents; its length is the array's.
     * @param lock    the lock, in {@code region}.
     * @return the array.
     * @throws IllegalArgumentException when the lock lives in another region.
     */
    public static SharedIntArray create(final SharedRegion region, final String name, final int[] initial, final SharedRLock lock)
    {
        return create(region, name, initial, Guard.under(region, name, lock));
    }

    /**
     * Opens an existing array, checking its type.
     *
     * @param region the region.
     * @param name   the array's name.
     * @return the array.
     */
    public static SharedIntArray open(final SharedRegion region, final String name)
    {
        return new SharedIntArray(region, region.find(name, ObjectType.INT_ARRAY));
    }

    /**
     * Opens the array, checking type and length, or creates it zeroed.
     *
     * @param region the region.
     * @param name   the array's name.
     * @param length number of elements.
     * @return the array.
     */
    public static SharedIntArray openOrCreate(final SharedRegion region, final String name, final int length)
    {
        return new SharedIntArray(region, region.findOrAllocate(name, ObjectType.INT_ARRAY, length, LOCK_SLOT_LENGTH, null));
    }

    @Override
    public int length()
    {
        return length;
    }

    /**
     * @param index the element.
     * @return its value, volatile read.
     */
    public int get(final int index)
    {
        return live().getIntVolatile(at(index));
    }

    /**
     * @param index the element.
     * @param value the new value, volatile write.
     */
    public void set(final int index, final int value)
    {
        live().putIntVolatile(at(index), value);
    }

    /**
     * @param index the element.
     * @return its value, plain read.
     */
    public int getPlain(final int index)
    {
        return live().getInt(at(index));
    }

    /**
     * @param index the element.
     * @param value the new value, plain write.
     */
    public void setPlain(final int index, final int value)
    {
        live().putInt(at(index), value);
    }

    /**
     * @param index the element.
     * @return its value, acquire read.
     */
    public int getAcquire(final int index)
    {
        return live().getIntAcquire(at(index));
    }

    /**
     * @param index the element.
     * @param value the new value, release write.
     */
    public void setRelease(final int index, final int value)
    {
        live().putIntRelease(at(index), value);
    }

    /**
     * @param index the element.
     * @param delta the amount to add.
     * @return the previous value.
     */
    public int getAndAdd(final int index, final int delta)
    {
        return live().getAndAddInt(at(index), delta);
    }

    /**
     * @param index the element.
     * @param delta the amount to add.
     * @return the new value.
     */
    public int addAndGet(final int index, final int delta)
    {
        return live().getAndAddInt(at(index), delta) + delta;
    }

    /**
     * @param index the element.
     * @return the new value.
     */
    public int incrementAndGet(final int index)
    {
        return addAndGet(index, 1);
    }

    /**
     * @param index the element.
     * @return the new value.
     */
    public int decrementAndGet(final int index)
    {
        return addAndGet(index, -1);
    }

    /**
     * @param index the element.
     * @param value the new value.
     * @return the previous value.
     */
    public int getAndSet(final int index, final int value)
    {
        return live().getAndSetInt(at(index), value);
    }

    /**
     * @param index    the element.
     * @param expected the value expected.
     * @param value    the new value.
     * @return true if the element was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final int index, final int expected, final int value)
    {
        return live().compareAndSetInt(at(index), expected, value);
    }

    /**
     * Copies elements out.
     *
     * @param fromIndex first element to copy.
     * @param dst       destination array.
     * @param dstIndex  first index written in {@code dst}.
     * @param count     number of elements.
     */
    public void copyTo(final int fromIndex, final int[] dst, final int dstIndex, final int count)
    {
        Objects.checkFromIndexSize(fromIndex, count, length);
        Objects.checkFromIndexSize(dstIndex, count, dst.length);
        final AtomicBuffer buffer = live(); // checked once, not per element
        for (int i = 0; i < count; i++)
        {
            dst[dstIndex + i] = buffer.getInt(offset + ((fromIndex + i) << SHIFT));
        }
    }

    /**
     * Copies elements in.
     *
     * @param src      source array.
     * @param srcIndex first index read in {@code src}.
     * @param toIndex  first element written.
     * @param count    number of elements.
     */
    public void copyFrom(final int[] src, final int srcIndex, final int toIndex, final int count)
    {
        Objects.checkFromIndexSize(srcIndex, count, src.length);
        Objects.checkFromIndexSize(toIndex, count, length);
        final AtomicBuffer buffer = live(); // checked once, not per element
        for (int i = 0; i < count; i++)
        {
            buffer.putInt(offset + ((toIndex + i) << SHIFT), src[srcIndex + i]);
        }
    }

    /**
     * @param value the value for every element.
     */
    public void fill(final int value)
    {
        fill(0, length, value);
    }

    /**
     * @param fromIndex first element, inclusive.
     * @param toIndex   last element, exclusive.
     * @param value     the value.
     */
    public void fill(final int fromIndex, final int toIndex, final int value)
    {
        Objects.checkFromToIndex(fromIndex, toIndex, length);
        final AtomicBuffer buffer = live(); // checked once, not per element
        for (int i = fromIndex; i < toIndex; i++)
        {
            buffer.putInt(offset + (i << SHIFT), value);
        }
    }

    /** @return a copy of the contents. */
    public int[] toArray()
    {
        final int[] copy = new int[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    @Override
    public String toString()
    {
        return regionClosed() ? "SharedIntArray{" + name() + ", region closed}" : ArrayText.of("SharedIntArray", name(), length, i -> Integer.toString(getPlain(i)));
    }

    private int at(final int index)
    {
        return offset + (Objects.checkIndex(index, length) << SHIFT);
    }

    private static void copy(final int[] values, final org.agrona.concurrent.AtomicBuffer buffer, final int offset)
    {
        for (int i = 0; i < values.length; i++)
        {
            buffer.putInt(offset + (i << SHIFT), values[i]);
        }
    }
}
