package dev.ipckit.platform.internal;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * The last {@link #CAPACITY} values kept under distinct byte strings, found by comparing bytes: a worker's functions
 * and lambda shapes, which arrive again byte for byte. The oldest is forgotten first. Not thread-safe (one worker
 * thread).
 *
 * @param <V> the values.
 */
public final class RecentByBytes<V>
{
    public static final int CAPACITY = 16;

    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final byte[][] keys = new byte[CAPACITY][];
    private final int[] hashes = new int[CAPACITY];
    private final Object[] values = new Object[CAPACITY];
    private int next;

    /**
     * @return the value kept under {@code bytes[offset, offset + length)}, or null.
     */
    @SuppressWarnings("unchecked")
    public V find(final byte[] bytes, final int offset, final int length)
    {
        final int hash = hash(bytes, offset, length);
        for (int i = 0; i < CAPACITY; i++)
        {
            final byte[] key = keys[i];
            if (key != null && hashes[i] == hash && Arrays.equals(key, 0, key.length, bytes, offset, offset + length))
            {
                return (V)values[i];
            }
        }
        return null;
    }

    /** Keeps a value under a copy of {@code bytes[offset, offset + length)}, in place of the oldest. */
    public void put(final byte[] bytes, final int offset, final int length, final V value)
    {
        keys[next] = Arrays.copyOfRange(bytes, offset, offset + length);
        hashes[next] = hash(bytes, offset, length);
        values[next] = value;
        next = (next + 1) % CAPACITY;
    }

    private int hash(final byte[] bytes, final int offset, final int length)
    {
        view.wrap(bytes, offset, length);
        long hash = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            hash = (hash ^ view.getLong(i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < length; i++)
        {
            hash = (hash ^ view.getByte(i)) * 0x9E3779B97F4A7C15L;
        }
        return (int)(hash ^ (hash >>> 32));
    }
}
