package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The payloads the typed codecs and {@link StandardCodec} share. Fixed-size values are Chronicle's
 * {@code writeInt}/{@code writeLong}/... (little-endian); byte sequences are a stop-bit length, then the bytes. Reads
 * check the bytes are there before reading them and throw {@link Malformed} otherwise.
 */
final class Payloads
{
    /** The longest byte sequence: the largest array the JVM allocates. */
    static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    private Payloads()
    {
    }

    static void require(final BytesIn<?> in, final int count, final String what)
    {
        final long remaining = in.readRemaining();
        if (remaining < count)
        {
            throw new Malformed("truncated: " + what + " needs " + count + " bytes but " + remaining + " are left");
        }
    }

    static byte readByte(final BytesIn<?> in, final String what)
    {
        require(in, Byte.BYTES, what);
        return in.readByte();
    }

    static short readShort(final BytesIn<?> in, final String what)
    {
        require(in, Short.BYTES, what);
        return in.readShort();
    }

    static int readInt(final BytesIn<?> in, final String what)
    {
        require(in, Integer.BYTES, what);
        return in.readInt();
    }

    static long readLong(final BytesIn<?> in, final String what)
    {
        require(in, Long.BYTES, what);
        return in.readLong();
    }

    static float readFloat(final BytesIn<?> in, final String what)
    {
        require(in, Float.BYTES, what);
        return in.readFloat();
    }

    static double readDouble(final BytesIn<?> in, final String what)
    {
        require(in, Double.BYTES, what);
        return in.readDouble();
    }

    /**
     * Reads the stop-bit length of a byte sequence and checks the sequence is all there.
     *
     * @param in   the bytes.
     * @param what the sequence, for the error message.
     * @return the length.
     * @throws Malformed when the length is cut off, negative, or longer than what is left.
     */
    static int readLength(final BytesIn<?> in, final String what)
    {
        final long length;
        try
        {
            length = in.readStopBit();
        }
        catch (final BufferUnderflowException ex)
        {
            throw new Malformed("truncated: the length of " + what + " is cut off");
        }
        if (length < 0 || length > MAX_LENGTH)
        {
            throw new Malformed(what + " has an impossible length (" + length + ")");
        }
        final long remaining = in.readRemaining();
        if (length > remaining)
        {
            throw new Malformed(
                "truncated: " + what + " of " + length + " bytes but only " + remaining + " bytes are left");
        }
        return (int)length;
    }

    static void readFully(final BytesIn<?> in, final byte[] bytes, final int length)
    {
        if (length > 0 && in.read(bytes, 0, length) != length)
        {
            throw new Malformed("truncated: fewer than " + length + " bytes are left");
        }
    }

    static void writeBytes(final byte[] bytes, final BytesOut<?> out)
    {
        out.writeStopBit(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    static byte[] readBytes(final BytesIn<?> in, final String what)
    {
        final int length = readLength(in, what);
        final byte[] bytes = new byte[length];
        readFully(in, bytes, length);
        return bytes;
    }

    /**
     * Writes a buffer's remaining bytes; its position, limit and contents stay as they were.
     *
     * @param buffer the buffer: heap, direct or read-only.
     * @param out    where to write.
     */
    static void writeByteBuffer(final ByteBuffer buffer, final BytesOut<?> out)
    {
        final int position = buffer.position();
        final int length = buffer.limit() - position;
        out.writeStopBit(length);
        if (buffer.hasArray())
        {
            out.write(buffer.array(), buffer.arrayOffset() + position, length);
        }
        else if (buffer.isDirect())
        {
            out.unsafeWrite(BufferUtil.address(buffer) + position, length);
        }
        else
        {
            for (int i = 0; i < length; i++) // a read-only heap buffer hides its array
            {
                out.writeByte(buffer.get(position + i));
            }
        }
    }

    static ByteBuffer readByteBuffer(final BytesIn<?> in, final String what)
    {
        return ByteBuffer.wrap(readBytes(in, what));
    }

    /**
     * Writes all of a buffer's capacity.
     *
     * @param buffer the buffer: over an array or over native memory.
     * @param out    where to write.
     */
    static void writeDirectBuffer(final DirectBuffer buffer, final BytesOut<?> out)
    {
        final int length = buffer.capacity();
        out.writeStopBit(length);
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            out.write(array, buffer.wrapAdjustment(), length);
        }
        else
        {
            out.unsafeWrite(buffer.addressOffset(), length);
        }
    }

    static UnsafeBuffer readDirectBuffer(final BytesIn<?> in, final String what)
    {
        return new UnsafeBuffer(readBytes(in, what));
    }
}
