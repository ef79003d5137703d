package dev.ipckit.codec;

import dev.ipckit.platform.Attachable;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 *   16   null               nothing (an element of a container; a message itself is never null)
 *   17   List               stop-bit count, the elements, each tagged (decodes to an ArrayList)
 *   18   Set                stop-bit count, the elements (a LinkedHashSet, in the sender's iteration order)
 *   19   Map                stop-bit count, then key and value, each tagged (a LinkedHashMap)
 *   20   Object[]           stop-bit count, the elements
 *   21   int[]              stop-bit count, the ints
 *   22   long[]             stop-bit count, the longs
 *   23   double[]           stop-bit count, the doubles
 *   24   Optional           one byte, 0 (empty) or 1 and the value
 *   25   enum               class name, constant name: a class given to {@link Codecs.Standard#withTypes} only
 *   26   record             class name, stop-bit count, the components: a class given to withTypes only
 * </pre>
 * Containers nest up to {@link #MAX_DEPTH} levels (deeper, or a container that holds itself, is refused when
 * encoding and malformed when decoding); a count is checked against the bytes left before anything is allocated.
 * Tag 0 is never written, so zeroed bytes do not decode. Numbers are little-endian. A codec without Java
 * serialization refuses tag 14 when decoding, whatever the bytes hold. Tag 15 is always on: what it decodes is
 * limited to ipckit's own classes (handles, their codecs and wait strategies) and a few JDK value types, so no
 * class of anyone's choosing is ever instantiated by it; a shared object made with a codec of the application's own
 * does not decode from it (send the object's name instead).
 */
final class StandardCodec extends AbstractCodec<Object> implements Codecs.Standard
{
    // Why this class is long (about 620 lines): it is the standard codec's format, every tag's writer and reader side
    // by side, so that the format is read and changed in one place.

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
    static final byte NULL = 16;
    static final byte LIST = 17;
    static final byte SET = 18;
    static final byte MAP = 19;
    static final byte OBJECT_ARRAY = 20;
    static final byte INT_ARRAY = 21;
    static final byte LONG_ARRAY = 22;
    static final byte DOUBLE_ARRAY = 23;
    static final byte OPTIONAL = 24;
    static final byte ENUM = 25;
    static final byte RECORD = 26;

    /** How deep containers may nest in one message. */
    static final int MAX_DEPTH = 64;

    /**
     * What a handle's bytes may hold: ipckit's classes, Chronicle's roll cycles (a pipe end's handle names its
     * journal's), the JDK's boxed numbers, strings and enums; small graphs only.
     */
    static final String HANDLE_CLASSES = "dev.ipckit.**;net.openhft.chronicle.queue.RollCycles;" +
        "java.lang.Enum;java.lang.String;java.lang.Number;java.lang.Long;java.lang.Integer;java.lang.Boolean;" +
        "maxdepth=16;maxrefs=256;maxbytes=65536";
    private static final JavaSerialization HANDLES = new JavaSerialization(HANDLE_CLASSES);

    static final StandardCodec INSTANCE = new StandardCodec(null, RegisteredTypes.NONE);

    /** Null when Java serialization is off. */
    private final JavaSerialization serialization;
    private final transient MarshallableClasses classes = new MarshallableClasses();

    /** The application's enums and records this codec carries. */
    private final RegisteredTypes types;

    private StandardCodec(final JavaSerialization serialization, final RegisteredTypes types)
    {
        this.serialization = serialization;
        this.types = types;
    }

    @Override
    void write(final Object message, final BytesOut<?> out)
    {
        writeValue(message, out, 0);
    }

    private void writeValue(final Object message, final BytesOut<?> out, final int depth)
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
        else if (!writeContainer(message, out, depth))
        {
            writeOther(message, out);
        }
    }

    /** Writes a null, collection, array, Optional, registered enum or record; false for anything else. */
    private boolean writeContainer(final Object message, final BytesOut<?> out, final int depth)
    {
        if (message == null)
        {
            if (depth == 0)
            {
                throw new IllegalArgumentException(this + " cannot encode null as a message (inside a collection, yes)");
            }
            out.writeByte(NULL);
            return true;
        }
        if (depth >= MAX_DEPTH)
        {
            throw new IllegalArgumentException(this + " cannot encode containers nested deeper than " + MAX_DEPTH +
                " levels (or a container that holds itself)");
        }
        if (message instanceof List || message instanceof Set)
        {
            final Collection<?> elements = (Collection<?>)message;
            out.writeByte(message instanceof List ? LIST : SET);
            out.writeStopBit(elements.size());
            int written = 0;
            for (final Object element : elements)
            {
                writeValue(element, out, depth + 1);
                written++;
            }
            requireCount(elements.size(), written, message);
        }
        else if (message instanceof Map)
        {
            final Map<?, ?> map = (Map<?, ?>)message;
            out.writeByte(MAP);
            out.writeStopBit(map.size());
            int written = 0;
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                writeValue(entry.getKey(), out, depth + 1);
                writeValue(entry.getValue(), out, depth + 1);
                written++;
            }
            requireCount(map.size(), written, message);
        }
        else if (message instanceof Object[])
        {
            final Object[] elements = (Object[])message;
            out.writeByte(OBJECT_ARRAY);
            out.writeStopBit(elements.length);
            for (final Object element : elements)
            {
                writeValue(element, out, depth + 1);
            }
        }
        else if (message instanceof int[])
        {
            final int[] values = (int[])message;
            out.writeByte(INT_ARRAY);
            out.writeStopBit(values.length);
            for (final int value : values)
            {
                out.writeInt(value);
            }
        }
        else if (message instanceof long[])
        {
            final long[] values = (long[])message;
            out.writeByte(LONG_ARRAY);
            out.writeStopBit(values.length);
            for (final long value : values)
            {
                out.writeLong(value);
            }
        }
        else if (message instanceof double[])
        {
            final double[] values = (double[])message;
            out.writeByte(DOUBLE_ARRAY);
            out.writeStopBit(values.length);
            for (final double value : values)
            {
                out.writeDouble(value);
            }
        }
        else if (message instanceof Optional)
        {
            final Optional<?> optional = (Optional<?>)message;
            out.writeByte(OPTIONAL);
            out.writeByte(optional.isPresent() ? (byte)1 : (byte)0);
            if (optional.isPresent())
            {
                writeValue(optional.get(), out, depth + 1);
            }
        }
        else if (message instanceof Enum && types.allows(((Enum<?>)message).getDeclaringClass()))
        {
            out.writeByte(ENUM);
            Utf8.write(((Enum<?>)message).getDeclaringClass().getName(), out, "an enum's class name");
            Utf8.write(((Enum<?>)message).name(), out, "an enum's constant");
        }
        else if (message instanceof Record && types.allows(message.getClass()))
        {
            final Object[] components = RegisteredTypes.components((Record)message);
            out.writeByte(RECORD);
            Utf8.write(message.getClass().getName(), out, "a record's class name");
            out.writeStopBit(components.length);
            for (final Object component : components)
            {
                writeValue(component, out, depth + 1);
            }
        }
        else
        {
            return false;
        }
        return true;
    }

    /** A collection changed while it was written (another thread): its size and its elements disagree. */
    private void requireCount(final int size, final int written, final Object container)
    {
        if (size != written)
        {
            throw new IllegalArgumentException(this + ": a " + container.getClass().getName() + " said it held " +
                size + " elements and gave " + written + " (changed while it was encoded?)");
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
        if (message instanceof Enum || message instanceof Record)
        {
            final Class<?> declared = message instanceof Enum ? ((Enum<?>)message).getDeclaringClass() : type;
            throw new IllegalArgumentException(this + " cannot encode a " + declared.getTypeName() + ": give the " +
                "codec the class, Codecs.standard().withTypes(" + declared.getSimpleName() + ".class), in every " +
                "process that reads it");
        }
        throw new IllegalArgumentException(this + " cannot encode a " + type.getTypeName() + ". It takes Boolean, " +
            "Byte, Short, Character, Integer, Long, Float, Double, String, byte[], ByteBuffer, DirectBuffer, " +
            "BytesMarshallable, ipckit's shared objects, List, Set, Map, Object[], int[], long[], double[], Optional, " +
            "and registered enums and records. Use a typed codec (Codecs.marshallable or your own Codec), implement " +
            "BytesMarshallable, or enable Java serialization for trusted classes: " +
            "Codecs.standard().withJavaSerialization(\"" + type.getPackageName() + ".*\")");
    }

    @Override
    Object read(final BytesIn<?> in)
    {
        final Object message = readValue(in, 0);
        if (message == null)
        {
            throw new Malformed("a message is never null: a null tag stands only inside a container");
        }
        return message;
    }

    private Object readValue(final BytesIn<?> in, final int depth)
    {
        if (in.readRemaining() == 0)
        {
            throw new Malformed(depth == 0 ? "empty message: no type tag" : "truncated: an element's tag is cut off");
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
            case NULL: return null;
            default: return tag >= LIST && tag <= RECORD ? readContainer(tag, in, depth) : readOther(tag, in);
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

    private Object readContainer(final byte tag, final BytesIn<?> in, final int depth)
    {
        if (depth >= MAX_DEPTH)
        {
            throw new Malformed("containers nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (tag)
        {
            case LIST:
            {
                final int count = Payloads.readLength(in, "a List");
                final List<Object> list = new ArrayList<>(count);
                for (int i = 0; i < count; i++)
                {
                    list.add(readValue(in, depth + 1));
                }
                return list;
            }
            case SET:
            {
                final int count = Payloads.readLength(in, "a Set");
                final Set<Object> set = new LinkedHashSet<>(Math.max(16, count * 2));
                for (int i = 0; i < count; i++)
                {
                    set.add(readValue(in, depth + 1));
                }
                return set;
            }
            case MAP:
            {
                final int count = Payloads.readLength(in, "a Map");
                final Map<Object, Object> map = new LinkedHashMap<>(Math.max(16, count * 2));
                for (int i = 0; i < count; i++)
                {
                    map.put(readValue(in, depth + 1), readValue(in, depth + 1));
                }
                return map;
            }
            case OBJECT_ARRAY:
            {
                final Object[] array = new Object[Payloads.readLength(in, "an Object[]")];
                for (int i = 0; i < array.length; i++)
                {
                    array[i] = readValue(in, depth + 1);
                }
                return array;
            }
            case INT_ARRAY:
            {
                final int[] array = new int[readCount(in, Integer.BYTES, "an int[]")];
                for (int i = 0; i < array.length; i++)
                {
                    array[i] = in.readInt();
                }
                return array;
            }
            case LONG_ARRAY:
            {
                final long[] array = new long[readCount(in, Long.BYTES, "a long[]")];
                for (int i = 0; i < array.length; i++)
                {
                    array[i] = in.readLong();
                }
                return array;
            }
            case DOUBLE_ARRAY:
            {
                final double[] array = new double[readCount(in, Double.BYTES, "a double[]")];
                for (int i = 0; i < array.length; i++)
                {
                    array[i] = in.readDouble();
                }
                return array;
            }
            case OPTIONAL:
            {
                final byte present = Payloads.readByte(in, "an Optional");
                if (present == 0)
                {
                    return Optional.empty();
                }
                if (present != 1)
                {
                    throw new Malformed("an Optional is 0 (empty) or 1, not " + present);
                }
                final Object value = readValue(in, depth + 1);
                if (value == null)
                {
                    throw new Malformed("an Optional that is present holds null");
                }
                return Optional.of(value);
            }
            case ENUM:
                return readEnum(in);
            default:
                return readRecord(in, depth);
        }
    }

    private int readCount(final BytesIn<?> in, final int elementBytes, final String what)
    {
        final int count = Payloads.readLength(in, what);
        if ((long)count * elementBytes > in.readRemaining())
        {
            throw new Malformed("truncated: " + what + " of " + count + " elements but only " + in.readRemaining() +
                " bytes are left");
        }
        return count;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Enum<?> readEnum(final BytesIn<?> in)
    {
        final Class<?> type = types.resolve(Utf8.read(in, "an enum's class name"));
        final String constant = Utf8.read(in, "an enum's constant");
        if (!type.isEnum())
        {
            throw new Malformed(type.getName() + " is not an enum");
        }
        try
        {
            return Enum.valueOf((Class)type, constant);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new Malformed(type.getName() + " has no constant " + constant);
        }
    }

    private Record readRecord(final BytesIn<?> in, final int depth)
    {
        final Class<?> type = types.resolve(Utf8.read(in, "a record's class name"));
        if (!type.isRecord())
        {
            throw new Malformed(type.getName() + " is not a record");
        }
        final Object[] components = new Object[Payloads.readLength(in, "a record's components")];
        for (int i = 0; i < components.length; i++)
        {
            components[i] = readValue(in, depth + 1);
        }
        return RegisteredTypes.newRecord(type, components);
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
        return new StandardCodec(new JavaSerialization(filterPattern), types);
    }

    @Override
    public Codecs.Standard withTypes(final Class<?>... enumsAndRecords)
    {
        return new StandardCodec(serialization, types.with(enumsAndRecords));
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("Codecs.standard()");
        if (serialization != null)
        {
            text.append(".withJavaSerialization(\"").append(serialization.pattern()).append("\")");
        }
        if (!types.isEmpty())
        {
            text.append(".withTypes(").append(String.join(", ", types.names())).append(')');
        }
        return text.toString();
    }

    private Object readResolve()
    {
        // A new class cache; the shared instance when nothing was added.
        return serialization == null && types.isEmpty() ? INSTANCE : new StandardCodec(serialization, types);
    }
}
