package dev.ipckit.platform.internal;

import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.DeserializationRejectedException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Map items and results in a pool's rings, and the captured values of a lambda in {@link FunctionBytes}' short form:
 * the common types in a few bytes each, anything else with Java serialization. Java serialization costs microseconds per object (a stream header, class descriptors); a map with
 * chunks of one item would pay that four times per item.
 * <pre>
 * value: byte TAG, then
 *   NULL       nothing
 *   INT        int          LONG   long        DOUBLE  double (raw bits)     BOOLEAN  byte 0/1
 *   STRING     int length, UTF-8 bytes
 *   BYTES      int length, bytes
 *   SERIALIZED int length, Java serialization bytes
 * </pre>
 * Little-endian, as Agrona's buffers write by default.
 */
public final class PlainValues
{
    static final byte NULL = 0;
    static final byte INT = 1;
    static final byte LONG = 2;
    static final byte DOUBLE = 3;
    static final byte BOOLEAN = 4;
    static final byte STRING = 5;
    static final byte BYTES = 6;
    static final byte SERIALIZED = 7;

    private PlainValues()
    {
    }

    /**
     * Writes a value at {@code offset}.
     *
     * @return the offset after it.
     * @throws IllegalArgumentException when the value is of no listed type and cannot be serialized.
     */
    public static int write(final MutableDirectBuffer buffer, final int offset, final Object value)
    {
        if (value == null)
        {
            buffer.putByte(offset, NULL);
            return offset + 1;
        }
        final Class<?> type = value.getClass();
        if (type == Integer.class)
        {
            buffer.putByte(offset, INT);
            buffer.putInt(offset + 1, (Integer)value);
            return offset + 1 + Integer.BYTES;
        }
        if (type == Long.class)
        {
            buffer.putByte(offset, LONG);
            buffer.putLong(offset + 1, (Long)value);
            return offset + 1 + Long.BYTES;
        }
        if (type == Double.class)
        {
            buffer.putByte(offset, DOUBLE);
            buffer.putLong(offset + 1, Double.doubleToRawLongBits((Double)value));
            return offset + 1 + Long.BYTES;
        }
        if (type == Boolean.class)
        {
            buffer.putByte(offset, BOOLEAN);
            buffer.putByte(offset + 1, (byte)((Boolean)value ? 1 : 0));
            return offset + 2;
        }
        if (type == String.class)
        {
            return writeBytes(buffer, offset, STRING, ((String)value).getBytes(StandardCharsets.UTF_8));
        }
        if (type == byte[].class)
        {
            return writeBytes(buffer, offset, BYTES, (byte[])value);
        }
        try
        {
            return writeBytes(buffer, offset, SERIALIZED, Serialization.toBytes(value));
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException("a " + type.getName() + " cannot cross to another process: " + ex, ex);
        }
    }

    private static int writeBytes(final MutableDirectBuffer buffer, final int offset, final byte tag, final byte[] bytes)
    {
        buffer.putByte(offset, tag);
        buffer.putInt(offset + 1, bytes.length);
        buffer.putBytes(offset + 1 + Integer.BYTES, bytes);
        return offset + 1 + Integer.BYTES + bytes.length;
    }

    /** Reads values written by {@link #write}, advancing a cursor. */
    public static final class Reader
    {
        private final ClassCache classes;
        private DirectBuffer buffer;
        private int offset;

        /** A reader for the parent: classes resolved as {@link java.io.ObjectInputStream} does. */
        public Reader()
        {
            this(null);
        }

        /**
         * A reader resolving serialized values' classes through a cache (a worker).
         *
         * @param classes the cache, or null for none.
         */
        public Reader(final ClassCache classes)
        {
            this.classes = classes;
        }

        public Reader wrap(final DirectBuffer buffer, final int offset)
        {
            this.buffer = buffer;
            this.offset = offset;
            return this;
        }

        public int offset()
        {
            return offset;
        }

        public DirectBuffer buffer()
        {
            return buffer;
        }

        public int readInt()
        {
            final int value = buffer.getInt(offset);
            offset += Integer.BYTES;
            return value;
        }

        public byte[] readBytes()
        {
            final int length = readInt();
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            offset += length;
            return bytes;
        }

        public Object read()
        {
            final byte tag = buffer.getByte(offset++);
            switch (tag)
            {
                case NULL:
                    return null;
                case INT:
                    return readInt();
                case LONG:
                {
                    final long value = buffer.getLong(offset);
                    offset += Long.BYTES;
                    return value;
                }
                case DOUBLE:
                {
                    final double value = Double.longBitsToDouble(buffer.getLong(offset));
                    offset += Long.BYTES;
                    return value;
                }
                case BOOLEAN:
                    return buffer.getByte(offset++) != 0;
                case STRING:
                    return new String(readBytes(), StandardCharsets.UTF_8);
                case BYTES:
                    return readBytes();
                case SERIALIZED:
                    try
                    {
                        final byte[] bytes = readBytes();
                        return Deserialization.fromBytes(bytes, 0, bytes.length, classes);
                    }
                    catch (final DeserializationRejectedException ex)
                    {
                        throw new IllegalStateException("a value from another process was rejected by the " +
                            "deserialization filter: " + ex.getMessage(), ex);
                    }
                    catch (final IOException | ClassNotFoundException ex)
                    {
                        throw new IllegalStateException("a value from another process cannot be deserialized: " + ex, ex);
                    }
                default:
                    throw new IllegalStateException("unknown value tag " + tag + " at offset " + (offset - 1));
            }
        }
    }
}
