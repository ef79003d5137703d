package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;

/**
 * A fixed-length {@code double} array in a shared region. Elements are stored as raw long bits; arithmetic is a
 * compare-and-set loop and {@link #compareAndSet} compares bits (see the
 * {@linkplain dev.ipckit.value package documentation}).
 */
public final class SharedDoubleArray extends SharedObject implements SharedArray
{
    private static final long serialVersionUID = 1L;
    private static final int SHIFT = 3;

    private final int length;

    private SharedDoubleArray(final SharedRegion region, final RegionEntry entry)
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
    public static SharedDoubleArray create(final SharedRegion region, final String name, final int length)
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
    public static SharedDoubleArray createRaw(final SharedRegion region, final String name, final int length)
    {
        return create(region, name, length, Guard.RAW);
    }

    private static SharedDoubleArray create(final SharedRegion region, final String name, final int length, final Guard guard)
    {
        return new SharedDoubleArray(region, guard.allocate(region, name, ObjectType.DOUBLE_ARRAY, length, null));
    }

    /**
     * Creates an array holding a copy of {@code initial}; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the array's name.
     * @param initial the contents; its length is the array's.
     * @return the array.
     */
    public static SharedDoubleArray create(final SharedRegion region, final String name, final double[] initial)
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
    public static SharedDoubleArray createRaw(final SharedRegion region, final String name, final double[] initial)
    {
        return create(region, name, initial, Guard.RAW);
    }

    private static SharedDoubleArray create(final SharedRegion region, final String name, final double[] initial, final Guard guard)
    {
        return new SharedDoubleArray(region, guard.allocate(region, name, ObjectType.DOUBLE_ARRAY, initial.length,
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
    public static SharedDoubleArray create(final SharedRegion region, final String name, final int length, final SharedRLock lock)
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
    public static SharedDoubleArray create(final SharedRegion region, final String name, final double[] initial, final SharedRLock lock)
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
    public static SharedDoubleArray open(final SharedRegion region, final String name)
    {
        return new SharedDoubleArray(region, region.find(name, ObjectType.DOUBLE_ARRAY));
    }

    /**
     * Opens the array, checking type and length, or creates it zeroed.
     *
     * @param region the region.
     * @param name   the array's name.
     * @param length number of elements.
     * @return the array.
     */
    public static SharedDoubleArray openOrCreate(final SharedRegion region, final String name, final int length)
    {
        return new SharedDoubleArray(region, region.findOrAllocate(name, ObjectType.DOUBLE_ARRAY, length, LOCK_SLOT_LENGTH, null));
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
    public double get(final int index)
    {
        return Double.longBitsToDouble(live().getLongVolatile(at(index)));
    }

    /**
     * @param index the element.
     * @param value the new value, volatile write.
     */
    public void set(final int index, final double value)
    {
        live().putLongVolatile(at(index), Double.doubleToRawLongBits(value));
    }

    /**
     * @param index the element.
     * @return its value, plain read.
     */
    public double getPlain(final int index)
    {
        return Double.longBitsToDouble(live().getLong(at(index)));
    }

    /**
     * @param index the element.
     * @param value the new value, plain write.
     */
    public void setPlain(final int index, final double value)
    {
        live().putLong(at(index), Double.doubleToRawLongBits(value));
    }

    /**
     * @param index the element.
     * @return its value, acquire read.
     */
    public double getAcquire(final int index)
    {
        return Double.longBitsToDouble(live().getLongAcquire(at(index)));
    }

    /**
     * @param index the element.
     * @param value the new value, release write.
     */
    public void setRelease(final int index, final double value)
    {
        live().putLongRelease(at(index), Double.doubleToRawLongBits(value));
    }

    /**
     * @param index the element.
     * @param delta the amount to add.
     * @return the previous value.
     */
    public double getAndAdd(final int index, final double delta)
    {
        final int at = at(index);
        while (true)
        {
            final long bits = live().getLongVolatile(at);
            final double current = Double.longBitsToDouble(bits);
            if (live().compareAndSetLong(at, bits, Double.doubleToRawLongBits(current + delta)))
            {
                return current;
            }
        }
    }

    /**
     * @param index the element.
     * @param delta the amount to add.
     * @return the new value.
     */
    public double addAndGet(final int index, final double delta)
    {
        return getAndAdd(index, delta) + delta;
    }

    /**
     * @param index the element.
     * @param value the new value.
     * @return the previous value.
     */
    public double getAndSet(final int index, final double value)
    {
        return Double.longBitsToDouble(live().getAndSetLong(at(index), Double.doubleToRawLongBits(value)));
    }

    /**
     * @param index    the element.
     * @param expected the value expected, compared by its raw bits.
     * @param value    the new value.
     * @return true if the element's bits were {@code expected}'s and it is now {@code value}.
     */
    public boolean compareAndSet(final int index, final double expected, final double value)
    {
        return live().compareAndSetLong(
            at(index), Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    /**
     * Copies elements out.
     *
     * @param fromIndex first element to copy.
     * @param dst       destination array.
     * @param dstIndex  first index written in {@code dst}.
     * @param count     number of elements.
     */
    public void copyTo(final int fromIndex, final double[] dst, final int dstIndex, final int count)
    {
        Objects.checkFromIndexSize(fromIndex, count, length);
        Objects.checkFromIndexSize(dstIndex, count, dst.length);
        final AtomicBuffer buffer = live(); // checked once, not per element
        for (int i = 0; i < count; i++)
        {
            dst[dstIndex + i] = Double.longBitsToDouble(buffer.getLong(offset + ((fromIndex + i) << SHIFT)));
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
    public void copyFrom(final double[] src, final int srcIndex, final int toIndex, final int count)
    {
        Objects.checkFromIndexSize(srcIndex, count, src.length);
        Objects.checkFromIndexSize(toIndex, count, length);
        final AtomicBuffer buffer = live(); // checked once, not per element
        for (int i = 0; i < count; i++)
        {
            buffer.putLong(offset + ((toIndex + i) << SHIFT), Double.doubleToRawLongBits(src[srcIndex + i]));
        }
    }

    /**
     * @param value the value for every element.
     */
    public void fill(final double value)
    {
        fill(0, length, value);
    }

    /**
     * @param fromIndex first element, inclusive.
     * @param toIndex   last element, exclusive.
     * @param value     the value.
     */
    public void fill(final int fromIndex, final int toIndex, final double value)
    {
        Objects.checkFromToIndex(fromIndex, toIndex, length);
        final long bits = Double.doubleToRawLongBits(value);
        final AtomicBuffer buffer = live(); // checked once, not per element
        for (int i = fromIndex; i < toIndex; i++)
        {
            buffer.putLong(offset + (i << SHIFT), bits);
        }
    }

    /** @return a copy of the contents. */
    public double[] toArray()
    {
        final double[] copy = new double[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    @Override
    public String toString()
    {
        return regionClosed() ? "SharedDoubleArray{" + name() + ", region closed}" : ArrayText.of("SharedDoubleArray", name(), length, i -> Double.toString(getPlain(i)));
    }

    private int at(final int index)
    {
        return offset + (Objects.checkIndex(index, length) << SHIFT);
    }

    private static void copy(final double[] values, final AtomicBuffer buffer, final int offset)
    {
        for (int i = 0; i < values.length; i++)
        {
            buffer.putLong(offset + (i << SHIFT), Double.doubleToRawLongBits(values[i]));
        }
    }
}
