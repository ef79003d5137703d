package dev.ipckit.process;

import java.nio.charset.Charset;

/**
 * The last {@code capacity} bytes written to it: a ring buffer, safe for one writer and any readers.
 */
final class ByteTail
{
    private final byte[] ring;
    private long written;

    ByteTail(final int capacity)
    {
        ring = new byte[capacity];
    }

    synchronized void append(final byte[] bytes, final int offset, final int length)
    {
        final int capacity = ring.length;
        final int skip = Math.max(0, length - capacity);
        for (int i = skip; i < length; )
        {
            final int position = (int)((written + i) % capacity);
            final int chunk = Math.min(length - i, capacity - position);
            System.arraycopy(bytes, offset + i, ring, position, chunk);
            i += chunk;
        }
        written += length;
    }

    synchronized String text(final Charset charset)
    {
        final int capacity = ring.length;
        final int size = (int)Math.min(written, capacity);
        final byte[] bytes = new byte[size];
        final int start = (int)((written - size) % capacity);
        final int first = Math.min(size, capacity - start);
        System.arraycopy(ring, start, bytes, 0, first);
        System.arraycopy(ring, 0, bytes, first, size - first);
        return new String(bytes, charset);
    }
}
