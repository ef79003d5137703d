package dev.ipckit.manager;

import dev.ipckit.codec.Codec;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One thread's buffer for an encoded key, value or element: what a codec writes, or bytes copied out of a table for
 * a codec to read. The same bytes are seen as Chronicle {@link Bytes} (for codecs) and as an Agrona
 * {@link UnsafeBuffer} over the same array (for copying and hashing). Reused from call to call; a buffer grown past
 * {@link #KEEP_CAPACITY} by a large value is replaced by a small one at its next use.
 */
final class Encoded
{
    /** Larger buffers are not kept for the next call. */
    static final int KEEP_CAPACITY = 1 << 20;
    private static final int INITIAL_CAPACITY = 256;

    private Bytes<byte[]> bytes = Bytes.allocateElasticOnHeap(INITIAL_CAPACITY);
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private int length;
    private int hash;

    /**
     * Encodes a value.
     *
     * @param codec the codec.
     * @param value the value, not null.
     * @param owner names the structure in an error.
     * @param what  "key", "value" or "element", for an error.
     * @return this.
     * @throws IllegalArgumentException when the codec cannot encode it.
     */
    <T> Encoded encode(final Codec<T> codec, final T value, final Object owner, final String what)
    {
        trim();
        bytes.clear();
        try
        {
            codec.encode(value, bytes);
        }
        catch (final RuntimeException ex)
        {
            bytes.clear();
            throw new IllegalArgumentException(owner + " cannot encode the " + what + " (a " +
                value.getClass().getName() + ") with " + codec + ": " + ex.getMessage(), ex);
        }
        final long written = bytes.writePosition();
        if (written > Integer.MAX_VALUE - TableLayout.ENTRY_HEADER_LENGTH)
        {
            throw new IllegalArgumentException(
                owner + ": the encoded " + what + " is too large: " + written + " bytes");
        }
        length = (int)written;
        wrapView();
        hash = hash(view, length);
        return this;
    }

    /**
     * Makes room for {@code size} bytes to be copied in through {@link #view()}.
     *
     * @param size the bytes that will be copied in.
     * @return this.
     */
    Encoded prepare(final int size)
    {
        trim();
        bytes.clear();
        bytes.ensureCapacity(size);
        length = size;
        wrapView();
        return this;
    }

    /**
     * Decodes the bytes copied in after {@link #prepare}.
     *
     * @param codec the codec.
     * @param owner names the structure in an error.
     * @return the decoded value, a new object.
     */
    <T> T decode(final Codec<T> codec, final Object owner)
    {
        bytes.readPositionRemaining(0, length);
        try
        {
            return codec.decode(bytes);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException(owner + ": cannot decode with " + codec + ": " + ex.getMessage(), ex);
        }
    }

    /** The bytes, from index 0. */
    UnsafeBuffer view()
    {
        return view;
    }

    int length()
    {
        return length;
    }

    /** The hash of the encoded bytes (set by {@link #encode}). */
    int hash()
    {
        return hash;
    }

    private void trim()
    {
        if (bytes.realCapacity() > KEEP_CAPACITY)
        {
            bytes = Bytes.allocateElasticOnHeap(INITIAL_CAPACITY);
        }
    }

    private void wrapView()
    {
        final byte[] array = bytes.underlyingObject();
        if (view.byteArray() != array)
        {
            view.wrap(array);
        }
    }

    /**
     * A 32-bit hash of bytes, the same in every process on a machine: eight bytes at a time, each step mixed as
     * SplitMix64 does, then folded.
     */
    static int hash(final UnsafeBuffer buffer, final int length)
    {
        long h = 0x9E37_79B9_7F4A_7C15L ^ length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            h = mix(h ^ buffer.getLong(i));
        }
        long tail = 0;
        for (; i < length; i++)
        {
            tail = tail << 8 | (buffer.getByte(i) & 0xFF);
        }
        h = mix(h ^ tail);
        return (int)(h ^ h >>> 32);
    }

    private static long mix(final long value)
    {
        long z = (value + 0x9E37_79B9_7F4A_7C15L) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ z >>> 27) * 0x94D0_49BB_1331_11EBL;
        return z ^ z >>> 31;
    }
}
