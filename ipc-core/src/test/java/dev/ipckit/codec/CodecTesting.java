package dev.ipckit.codec;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the codec tests share: message types (a Chronicle marshallable, its subclass, one without a no-arg
 * constructor, a class that must never be initialized, a record for Java serialization), sample values, and the
 * helpers that round-trip, encode and inspect bytes.
 */
final class CodecTesting
{
    private CodecTesting()
    {
    }

    /** A Chronicle message type with its own, reflection-free marshalling. */
    public static class Point implements BytesMarshallable
    {
        int x;
        long y;
        String label = "";

        public Point()
        {
        }

        Point(final int x, final long y, final String label)
        {
            this.x = x;
            this.y = y;
            this.label = label;
        }

        @Override
        public void writeMarshallable(final BytesOut<?> bytes)
        {
            bytes.writeInt(x);
            bytes.writeLong(y);
            bytes.writeUtf8(label);
        }

        @Override
        public void readMarshallable(final BytesIn<?> bytes)
        {
            x = bytes.readInt();
            y = bytes.readLong();
            label = bytes.readUtf8();
        }

        @Override
        public boolean equals(final Object o)
        {
            return o != null && o.getClass() == getClass() && x == ((Point)o).x && y == ((Point)o).y &&
                Objects.equals(label, ((Point)o).label);
        }

        @Override
        public int hashCode()
        {
            return Objects.hash(x, y, label);
        }

        @Override
        public String toString()
        {
            return "Point{" + x + ", " + y + ", " + label + "}";
        }
    }

    /** A subclass a codec for {@link Point} cannot carry. */
    public static final class Point3 extends Point
    {
        public Point3()
        {
        }
    }

    /** A BytesMarshallable that standard() cannot make when decoding. */
    public static final class NoDefaultConstructor implements BytesMarshallable
    {
        int value;

        public NoDefaultConstructor(final int value)
        {
            this.value = value;
        }

        @Override
        public void writeMarshallable(final BytesOut<?> bytes)
        {
            bytes.writeInt(value);
        }

        @Override
        public void readMarshallable(final BytesIn<?> bytes)
        {
            value = bytes.readInt();
        }
    }

    static final AtomicBoolean TRIPPED = new AtomicBoolean();

    /** A class a message may name but must never get initialized or instantiated. */
    public static final class Tripwire
    {
        static
        {
            TRIPPED.set(true);
        }

        public Tripwire()
        {
            TRIPPED.set(true);
        }
    }

    /** A Serializable message type for the Java serialization fallback. */
    record Note(String text, int number) implements Serializable
    {
    }

    // ---- helpers ----

    static <T> T roundTrip(final Codec<T> codec, final T message)
    {
        final T onHeap = roundTrip(codec, message, Bytes.allocateElasticOnHeap());
        final Bytes<?> direct = Bytes.allocateElasticDirect();
        try
        {
            final T offHeap = roundTrip(codec, message, direct);
            assertEquals(describe(onHeap), describe(offHeap), "on-heap and direct bytes decode alike");
        }
        finally
        {
            direct.releaseLast();
        }
        return onHeap;
    }

    static <T> T roundTrip(final Codec<T> codec, final T message, final Bytes<?> bytes)
    {
        bytes.writeByte((byte)0x5A); // something before the message, as in a queue's buffer
        bytes.readSkip(1);
        codec.encode(message, bytes);
        final T decoded = codec.decode(bytes);
        assertEquals(0, bytes.readRemaining(), "decode reads the whole message");
        return decoded;
    }

    static Bytes<?> encoded(final Codec<?> codec, final Object message)
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        @SuppressWarnings("unchecked") final Codec<Object> raw = (Codec<Object>)codec;
        raw.encode(message, bytes);
        return bytes;
    }

    static Bytes<?> bytesOf(final int... values)
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        for (final int value : values)
        {
            bytes.writeUnsignedByte(value);
        }
        return bytes;
    }

    static byte[] toArray(final Bytes<?> bytes)
    {
        final byte[] array = new byte[(int)bytes.readRemaining()];
        bytes.read(array);
        return array;
    }

    static String describe(final Object value)
    {
        if (value instanceof byte[])
        {
            return "byte[]" + Arrays.toString((byte[])value);
        }
        if (value instanceof ByteBuffer)
        {
            final ByteBuffer buffer = (ByteBuffer)value;
            final byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return "ByteBuffer" + Arrays.toString(bytes);
        }
        if (value instanceof DirectBuffer)
        {
            final DirectBuffer buffer = (DirectBuffer)value;
            final byte[] bytes = new byte[buffer.capacity()];
            buffer.getBytes(0, bytes);
            return "DirectBuffer" + Arrays.toString(bytes);
        }
        return value == null ? "null" : value.getClass().getName() + ":" + value;
    }

    @SuppressWarnings("unchecked")
    static <T> T serializedCopy(final T object) throws IOException, ClassNotFoundException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())))
        {
            return (T)in.readObject();
        }
    }

    static IllegalStateException decodeFails(final Codec<?> codec, final Bytes<?> bytes)
    {
        return assertThrows(IllegalStateException.class, () -> codec.decode(bytes));
    }

    static void assertContains(final String message, final String... parts)
    {
        for (final String part : parts)
        {
            assertTrue(message.contains(part), () -> "\"" + message + "\" should contain \"" + part + "\"");
        }
    }

    static final Object[] STANDARD_VALUES = {
        true, false, (byte)-7, (short)-300, 'x', '\u00e9', '\uffff', 0, 42, Integer.MIN_VALUE, -5L, Long.MAX_VALUE,
        1.5f, Float.NaN, -0.0, Math.E, "", "plain", "\u4f60\u597d \ud83d\ude00", new byte[0], new byte[] {1, 2, 3},
        ByteBuffer.wrap(new byte[] {9, 8, 7, 6}, 1, 2), new UnsafeBuffer(new byte[] {5, 4, 3}),
        new Point(7, -8, "nine")};

    /** The classes the Java serialization tests trust. */
    static final String TRUSTED = "dev.ipckit.codec.CodecTesting$Note;java.util.*;java.lang.*";
}
