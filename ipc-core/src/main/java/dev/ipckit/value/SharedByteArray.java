package dev.ipckit.value;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedRLock;

import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A fixed-length {@code byte} array in a shared region (Python's {@code Array('b')} and {@code Array('c')}), with
 * string helpers: {@link #setString} and {@link #getString} read and write text NUL-terminated, as Python's
 * {@code Array('c').value} does. Atomic operations compare-and-set the aligned int word that holds the byte.
 */
public final class SharedByteArray extends SharedObject implements SharedArray
{
    private static final long serialVersionUID = 1L;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final int length;

    private SharedByteArray(final SharedRegion region, final RegionEntry entry)
    {
        super(region, entry);
        this.length = Math.toIntExact(entry.count()); // the directory check bounds count by the region length
    }

    /**
     * Creates a zeroed array; fails if the name exists.
     *
     * @param region the region.
     * @param name   the array's name.
     * @param length number of bytes, at least 1.
     * @return the array.
     */
    public static SharedByteArray create(final SharedRegion region, final String name, final int length)
    {
        return create(region, name, length, Guard.OWN);
    }

    /**
     * Creates, without a lock of its own (Python's {@code RawValue}/{@code RawArray}), a zeroed array; fails if the name exists.
     *
     * @param region the region.
     * @param name   the array's name.
     * @param length number of bytes, at least 1.
     * @return the array.
     */
    public static SharedByteArray createRaw(final SharedRegion region, final String name, final int length)
    {
        return create(region, name, length, Guard.RAW);
    }

    private static SharedByteArray create(final SharedRegion region, final String name, final int length, final Guard guard)
    {
        return new SharedByteArray(region, guard.allocate(region, name, ObjectType.BYTE_ARRAY, length, null));
    }

    /**
     * Creates an array holding a copy of {@code initial}; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the array's name.
     * @param initial the contents; its length is the array's.
     * @return the array.
     */
    public static SharedByteArray create(final SharedRegion region, final String name, final byte[] initial)
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
    public static SharedByteArray createRaw(final SharedRegion region, final String name, final byte[] initial)
    {
        return create(region, name, initial, Guard.RAW);
    }

    private static SharedByteArray create(final SharedRegion region, final String name, final byte[] initial, final Guard guard)
    {
        return new SharedByteArray(region, guard.allocate(region, name, ObjectType.BYTE_ARRAY, initial.length,
            (b, o, l) -> b.putBytes(o, initial)));
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
    public static SharedByteArray create(final SharedRegion region, final String name, final int length, final SharedRLock lock)
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
    public static SharedByteArray create(final SharedRegion region, final String name, final byte[] initial, final SharedRLock lock)
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
    public static SharedByteArray open(final SharedRegion region, final String name)
    {
        return new SharedByteArray(region, region.find(name, ObjectType.BYTE_ARRAY));
    }

    /**
     * Opens the array, checking type and length, or creates it zeroed.
     *
     * @param region the region.
     * @param name   the array's name.
     * @param length number of bytes.
     * @return the array.
     */
    public static SharedByteArray openOrCreate(final SharedRegion region, final String name, final int length)
    {
        return new SharedByteArray(region, region.findOrAllocate(name, ObjectType.BYTE_ARRAY, length, LOCK_SLOT_LENGTH, null));
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
    public byte get(final int index)
    {
        return live().getByteVolatile(at(index));
    }

    /**
     * @param index the element.
     * @param value the new value, volatile write.
     */
    public void set(final int index, final byte value)
    {
        live().putByteVolatile(at(index), value);
    }

    /**
     * @param index the element.
     * @return its value, plain read.
     */
    public byte getPlain(final int index)
    {
        return live().getByte(at(index));
    }

    /**
     * @param index the element.
     * @param value the new value, plain write.
     */
    public void setPlain(final int index, final byte value)
    {
        live().putByte(at(index), value);
    }

    /**
     * @param index the element.
     * @param delta the amount to add; the result wraps to a byte.
     * @return the previous value.
     */
    public byte getAndAdd(final int index, final int delta)
    {
        final int at = at(index);
        final int word = at & ~3;
        final int shift = shift(at);
        while (true)
        {
            final int current = live().getIntVolatile(word);
            final byte old = (byte)(current >>> shift);
            final int updated = (current & ~(0xFF << shift)) | (((old + delta) & 0xFF) << shift);
            if (live().compareAndSetInt(word, current, updated))
            {
                return old;
            }
        }
    }

    /**
     * @param index the element.
     * @param delta the amount to add; the result wraps to a byte.
     * @return the new value.
     */
    public byte addAndGet(final int index, final int delta)
    {
        return (byte)(getAndAdd(index, delta) + delta);
    }

    /**
     * @param index the element.
     * @return the new value.
     */
    public byte incrementAndGet(final int index)
    {
        return addAndGet(index, 1);
    }

    /**
     * @param index the element.
     * @return the new value.
     */
    public byte decrementAndGet(final int index)
    {
        return addAndGet(index, -1);
    }

    /**
     * @param index the element.
     * @param value the new value.
     * @return the previous value.
     */
    public byte getAndSet(final int index, final byte value)
    {
        final int at = at(index);
        final int word = at & ~3;
        final int shift = shift(at);
        while (true)
        {
            final int current = live().getIntVolatile(word);
            final int updated = (current & ~(0xFF << shift)) | ((value & 0xFF) << shift);
            if (live().compareAndSetInt(word, current, updated))
            {
                return (byte)(current >>> shift);
            }
        }
    }

    /**
     * @param index    the element.
     * @param expected the value expected.
     * @param value    the new value.
     * @return true if the element was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSet(final int index, final byte expected, final byte value)
    {
        final int at = at(index);
        final int word = at & ~3;
        final int shift = shift(at);
        while (true)
        {
            final int current = live().getIntVolatile(word);
            if ((byte)(current >>> shift) != expected)
            {
                return false;
            }
            final int updated = (current & ~(0xFF << shift)) | ((value & 0xFF) << shift);
            if (live().compareAndSetInt(word, current, updated))
            {
                return true;
            }
            // Another byte of the same word changed: retry against the new word.
        }
    }

    /**
     * Copies bytes out.
     *
     * @param fromIndex first byte to copy.
     * @param dst       destination array.
     * @param dstIndex  first index written in {@code dst}.
     * @param count     number of bytes.
     */
    public void copyTo(final int fromIndex, final byte[] dst, final int dstIndex, final int count)
    {
        Objects.checkFromIndexSize(fromIndex, count, length);
        Objects.checkFromIndexSize(dstIndex, count, dst.length);
        live().getBytes(offset + fromIndex, dst, dstIndex, count);
    }

    /**
     * Copies bytes in.
     *
     * @param src      source array.
     * @param srcIndex first index read in {@code src}.
     * @param toIndex  first byte written.
     * @param count    number of bytes.
     */
    public void copyFrom(final byte[] src, final int srcIndex, final int toIndex, final int count)
    {
        Objects.checkFromIndexSize(srcIndex, count, src.length);
        Objects.checkFromIndexSize(toIndex, count, length);
        live().putBytes(offset + toIndex, src, srcIndex, count);
    }

    /**
     * @param value the value for every byte.
     */
    public void fill(final byte value)
    {
        fill(0, length, value);
    }

    /**
     * @param fromIndex first byte, inclusive.
     * @param toIndex   last byte, exclusive.
     * @param value     the value.
     */
    public void fill(final int fromIndex, final int toIndex, final byte value)
    {
        Objects.checkFromToIndex(fromIndex, toIndex, length);
        live().setMemory(offset + fromIndex, toIndex - fromIndex, value);
    }

    /** @return a copy of the contents. */
    public byte[] toArray()
    {
        final byte[] copy = new byte[length];
        copyTo(0, copy, 0, length);
        return copy;
    }

    /**
     * Writes text as UTF-8 from the start, followed by a NUL when it is shorter than the array.
     *
     * @param text the text.
     * @throws IllegalArgumentException when its encoding is longer than the array.
     */
    public void setString(final String text)
    {
        setString(text, StandardCharsets.UTF_8);
    }

    /**
     * Writes text from the start, followed by a NUL when it is shorter than the array.
     *
     * @param text    the text.
     * @param charset its encoding.
     * @throws IllegalArgumentException when its encoding is longer than the array.
     */
    public void setString(final String text, final Charset charset)
    {
        final byte[] bytes = text.getBytes(charset);
        if (bytes.length > length)
        {
            throw new IllegalArgumentException("'" + name() + "' holds " + length + " bytes; the text needs " +
                bytes.length + " in " + charset);
        }
        live().putBytes(offset, bytes);
        if (bytes.length < length)
        {
            live().putByte(offset + bytes.length, (byte)0);
        }
    }

    /**
     * Reads UTF-8 text from the start up to the first NUL or the end.
     *
     * @return the text.
     */
    public String getString()
    {
        return getString(StandardCharsets.UTF_8);
    }

    /**
     * Reads text from the start up to the first NUL or the end.
     *
     * @param charset its encoding.
     * @return the text.
     */
    public String getString(final Charset charset)
    {
        int end = 0;
        while (end < length && live().getByte(offset + end) != 0)
        {
            end++;
        }
        final byte[] bytes = new byte[end];
        live().getBytes(offset, bytes);
        return new String(bytes, charset);
    }

    @Override
    public String toString()
    {
        return regionClosed() ? "SharedByteArray{" + name() + ", region closed}" : ArrayText.of("SharedByteArray", name(), length, i -> Byte.toString(getPlain(i)));
    }

    private int at(final int index)
    {
        return offset + Objects.checkIndex(index, length);
    }

    /** Bit position of the byte at {@code at} inside its aligned int word; slots are 128-byte aligned. */
    private static int shift(final int at)
    {
        final int byteInWord = at & 3;
        return (LITTLE_ENDIAN ? byteInWord : 3 - byteInWord) << 3;
    }
}
