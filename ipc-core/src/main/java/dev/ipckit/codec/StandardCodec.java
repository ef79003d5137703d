package dev.ipckit.codec;

import dev.ipckit.platform.Attachable;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;

/**
 * {@link Codecs#standard()}: one tag byte, then the payload the typed codec of that type writes.
 * <pre>
 *   tag  type               payload
 *    1   Boolean            one byte, 0 or 1
 *    2   Byte               one byte
 *    3   Short              two bytes
 *    4   Character          two bytes (the UTF-16 unit)
 *    5   Integer            four bytes
 *    6   Long               eight bytes
 *    7   Float              four bytes
 *    8   Double             eight bytes
 *    9   String             stop-bit length, UTF-8
 *   10   byte[]             stop-bit length, the bytes
 *   11   ByteBuffer         stop-bit length, the remaining bytes (decodes to a heap buffer)
 *   12   DirectBuffer       stop-bit length, all its capacity (decodes to an UnsafeBuffer)
 *   13   BytesMarshallable  the class name (as a String payload), then what writeMarshallable writes
 *   14   Serializable       Java serialization, when enabled and the message is of no other type above
 *   15   Attachable         an ipckit shared object's handle (region, value, lock, queue, pipe end, managed
 *                           structure), Java-serialized; decoded only through {@link #HANDLE_CLASSES}
 * </pre>
 * Tag 0 is never written, so zeroed bytes do not decode. Numbers are little-endian. A codec without Java
 * serialization refuses tag 14 when decoding, whatever the bytes hold. Tag 15 is always on: what it decodes is
 * limited to ipckit's own classes (handles, their codecs and wait strategies) and a few JDK value types, so no
 * class of anyone's choosing is ever instantiated by it; a shared object made with a codec of the application's own
 * does not decode from it (send the object's name instead).
 */
final class StandardCodec extends AbstractCodec<Object> implements Codecs.Standard
{
    private static final long serialVersionUID = 1L;

    static final byte BOOLEAN = 1;
    static final byte BYTE = 2;
    static final byte SHORT = 3;
    static final byte CHARACTER = 4;
    static final byte INTEGER = 5;
    static final byte LONG = 6;
    static final byte FLOAT = 7;
    static final byte DOUBLE = 8;
    static final byte STRING = 9;
    static final byte BYTE_ARRAY = 10;
    static final byte BYTE_BUFFER = 11;
    static final byte DIRECT_BUFFER = 12;
    static final byte MARSHALLABLE = 13;
    static final byte SERIALIZED = 14;
    static final byte HANDLE = 15;

    /**
     * What a handle's bytes may hold: ipckit's classes, Chronicle's roll cycles (a pipe end's handle names its
     * journal's), the JDK's boxed numbers, strings and enums; small graphs only.
     */
    static final String HANDLE_CLASSES = "dev.ipckit.**;net.openhft.chronicle.queue.RollCycles;" +
        "java.lang.Enum;java.lang.String;java.lang.Number;java.lang.Long;java.lang.Integer;java.lang.Boolean;" +
        "maxdepth=16;maxrefs=256;maxbytes=65536";
    private static final JavaSerialization HANDLES = new JavaSerialization(HANDLE_CLASSES);

    static final StandardCodec INSTANCE = new StandardCodec(null);

    /** Null when Java serialization is off. */
    private final JavaSerialization serialization;
    private final transient MarshallableClasses classes = new MarshallableClasses();

    private StandardCodec(final JavaSerialization serialization)
    {
        this.serialization = serialization;
    }

    @Override
    void write(final Object message, final BytesOut<?> out)
    {
        if (message instanceof String)
        {
            out.writeByte(STRING);
            Utf8.write((String)message, out, "the string");
        }
        else if (message instanceof Integer)
        {
            out.writeByte(INTEGER);
            out.writeInt((Integer)message);
        }
        else if (message instanceof Long)
        {
            out.writeByte(LONG);
            out.writeLong((Long)message);
        }
        else if (message instanceof Double)
        {
            out.writeByte(DOUBLE);
            out.writeDouble((Double)message);
        }
        else if (message instanceof byte[])
        {
            out.writeByte(BYTE_ARRAY);
            Payloads.writeBytes((byte[])message, out);
        }
        else if (message instanceof Boolean)
        {
            out.writeByte(BOOLEAN);
            out.writeByte((Boolean)message ? (byte)1 : (byte)0);
        }
        else if (message instanceof Byte)
        {
            out.writeByte(BYTE);
            out.writeByte((Byte)message);
        }
        else if (message instanceof Short)
        {
            out.writeByte(SHORT);
            out.writeShort((Short)message);
        }
        else if (message instanceof Character)
        {
            out.writeByte(CHARACTER);
            out.writeShort((short)(char)(Character)message);
        }
        else if (message instanceof Float)
        {
            out.writeByte(FLOAT);
            out.writeFloat((Float)message);
        }
        else if (message instanceof ByteBuffer)
        {
            out.writeByte(BYTE_BUFFER);
            Payloads.writeByteBuffer((ByteBuffer)message, out);
        }
        else if (message instanceof DirectBuffer)
        {
            out.writeByte(DIRECT_BUFFER);
            Payloads.writeDirectBuffer((DirectBuffer)message, out);
        }
        else if (message instanceof BytesMarshallable)
        {
            final Class<?> type = message.getClass();
            MarshallableClasses.requireConstructible(type, this);
            out.writeByte(MARSHALLABLE);
            Utf8.write(type.getName(), out, "the class name");
            ((BytesMarshallable)message).writeMarshallable(out);
        }
        else if (message instanceof Attachable)
        {
            out.writeByte(HANDLE);
            JavaSerialization.write(message, out, this);
        }
        else
        {
            writeOther(message, out);
        }
    }

    private void writeOther(final Object message, final BytesOut<?> out)
    {
        if (serialization != null)
        {
            out.writeByte(SERIALIZED);
            JavaSerialization.write(message, out, this);
            return;
        }
        final Class<?> type = message.getClass();
        throw new IllegalArgumentException(this + " cannot encode a " + type.getTypeName() + ". It takes Boolean, " +
            "Byte, Short, Character, Integer, Long, Float, Double, String, byte[], ByteBuffer, DirectBuffer, " +
            "BytesMarshallable and ipckit's shared objects. Use a typed codec (Codecs.marshallable or your own Codec), implement " +
            "BytesMarshallable, or enable Java serialization for trusted classes: " +
            "Codecs.standard().withJavaSerialization(\"" + type.getPackageName() + ".*\")");
    }

    @Override
    Object read(final BytesIn<?> in)
    {
        if (in.readRemaining() == 0)
        {
            throw new Malformed("empty message: no type tag");
        }
        final byte tag = in.readByte();
        switch (tag)
        {
            case BOOLEAN: return readBoolean(in);
            case BYTE: return Payloads.readByte(in, "a Byte");
            case SHORT: return Payloads.readShort(in, "a Short");
            case CHARACTER: return (char)Payloads.readShort(in, "a Character");
            case INTEGER: return Payloads.readInt(in, "an Integer");
            case LONG: return Payloads.readLong(in, "a Long");
            case FLOAT: return Payloads.readFloat(in, "a Float");
            case DOUBLE: return Payloads.readDouble(in, "a Double");
            case STRING: return Utf8.read(in, "a String");
            case BYTE_ARRAY: return Payloads.readBytes(in, "a byte[]");
            case BYTE_BUFFER: return Payloads.readByteBuffer(in, "a ByteBuffer");
            case DIRECT_BUFFER: return Payloads.readDirectBuffer(in, "a DirectBuffer");
            case MARSHALLABLE: return readMarshallable(in);
            default: return readOther(tag, in);
        }
    }

    private Object readOther(final byte tag, final BytesIn<?> in)
    {
        if (tag == SERIALIZED)
        {
            if (serialization == null)
            {
                throw new Malformed("the message is Java-serialized and this codec has Java serialization off; " +
                    "decode with Codecs.standard().withJavaSerialization(filterPattern)");
            }
            return serialization.read(in);
        }
        if (tag == HANDLE)
        {
            final Object handle = HANDLES.read(in);
            if (!(handle instanceof Attachable))
            {
                throw new Malformed("a handle tag holds a " + handle.getClass().getName() + ", not an ipckit object");
            }
            return handle;
        }
        throw new Malformed("unknown type tag " + tag + ": the bytes were not written by Codecs.standard()");
    }

    private static Boolean readBoolean(final BytesIn<?> in)
    {
        final byte value = Payloads.readByte(in, "a Boolean");
        if (value != 0 && value != 1)
        {
            throw new Malformed("a Boolean is 0 or 1, not " + value);
        }
        return value == 1;
    }

    private BytesMarshallable readMarshallable(final BytesIn<?> in)
    {
        final String name = Utf8.read(in, "the class name of a BytesMarshallable");
        final BytesMarshallable message = classes.newInstance(name);
        try
        {
            message.readMarshallable(in);
        }
        catch (final RuntimeException ex)
        {
            throw new Malformed(name + ".readMarshallable failed: " + ex, ex);
        }
        return message;
    }

    @Override
    public Codecs.Standard withJavaSerialization(final String filterPattern)
    {
        return new StandardCodec(new JavaSerialization(filterPattern));
    }

    @Override
    public String toString()
    {
        return serialization == null ? "Codecs.standard()" :
            "Codecs.standard().withJavaSerialization(\"" + serialization.pattern() + "\")";
    }

    private Object readResolve()
    {
        return serialization == null ? INSTANCE : new StandardCodec(serialization); // a new class cache
    }
}
