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

class CodecsTest
{
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

    // ---- typed codecs ----

    @Test
    void stringsRoundTripAsUtf8()
    {
        for (final String text : new String[] {
            "", "a", "hello, world", "h\u00e9llo w\u00f6rld", "\u4f60\u597d", "emoji \ud83d\ude00!", "nul\u0000inside",
            "\ufffd is a valid character", "\u07ff\u0800\uffff\ud800\udc00\udbff\udfff"})
        {
            assertEquals(text, roundTrip(Codecs.string(), text));
        }
    }

    @Test
    void stringsAreStandardUtf8OnTheWire()
    {
        final String text = "a\u00e9\u20ac\ud83d\ude00"; // 1, 2, 3 and 4 bytes
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        final byte[] wire = toArray(encoded(Codecs.string(), text));
        assertEquals(utf8.length, wire[0], "a one-byte stop-bit length");
        assertArrayEquals(utf8, Arrays.copyOfRange(wire, 1, wire.length));

        final Bytes<?> fromElsewhere = Bytes.allocateElasticOnHeap();
        fromElsewhere.writeStopBit(utf8.length);
        fromElsewhere.write(utf8);
        assertEquals(text, Codecs.string().decode(fromElsewhere));
    }

    @Test
    void longStringsRoundTrip()
    {
        final String ascii = "x".repeat(200_000);
        assertEquals(ascii, roundTrip(Codecs.string(), ascii));
        final String mixed = "a\u00e9\u20ac\ud83d\ude00".repeat(30_000); // longer than the scratch array, as UTF-8
        assertEquals(mixed, roundTrip(Codecs.string(), mixed));
        assertEquals(mixed.getBytes(StandardCharsets.UTF_8).length, Utf8.encodedLength(mixed, "s"));
    }

    @Test
    void aLoneSurrogateFailsTheEncodeAndLeavesTheBytesAsTheyWere()
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        bytes.writeInt(7);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Codecs.string().encode("ab\ud800c", bytes));
        assertContains(ex.getMessage(), "lone surrogate", "index 2");
        assertEquals(4, bytes.writePosition());
    }

    @Test
    void malformedUtf8IsRejected()
    {
        // Chronicle's writeUtf8 form of U+1F600 (CESU-8 surrogate halves), an overlong NUL, a cut-off sequence,
        // a stray continuation byte, a code point past U+10FFFF
        final int[][] cases = {
            {6, 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}, {2, 0xC0, 0x80}, {3, 0x61, 0xF0, 0x9F}, {2, 0x61, 0x80},
            {5, 0x61, 0xF4, 0x90, 0x80, 0x80}};
        for (final int[] bytes : cases)
        {
            final IllegalStateException ex = decodeFails(Codecs.string(), bytesOf(bytes));
            assertContains(ex.getMessage(), "Codecs.string()", "not valid UTF-8", "starts a malformed sequence");
        }
    }

    @Test
    void utf8AgreesWithTheJdk()
    {
        final java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 2_000; n++)
        {
            final StringBuilder text = new StringBuilder();
            final int length = random.nextInt(20);
            for (int i = 0; i < length; i++)
            {
                final int kind = random.nextInt(4);
                final int codePoint = kind == 0 ? random.nextInt(0x80) : kind == 1 ? random.nextInt(0x800) :
                    kind == 2 ? random.nextInt(0x10000) : 0x10000 + random.nextInt(0x100000);
                if (!Character.isSurrogate((char)codePoint) || codePoint >= 0x10000)
                {
                    text.appendCodePoint(codePoint);
                }
            }
            final String expected = text.toString();
            final byte[] wire = toArray(encoded(Codecs.string(), expected));
            final byte[] utf8 = expected.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(utf8, Arrays.copyOfRange(wire, wire.length - utf8.length, wire.length));
            assertEquals(expected, Codecs.string().decode(bytesOfLength(utf8)));
        }
        for (int n = 0; n < 20_000; n++) // random bytes: valid exactly when the JDK's strict decoder says so
        {
            final byte[] bytes = new byte[1 + random.nextInt(6)];
            random.nextBytes(bytes);
            String strict;
            try
            {
                strict = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            }
            catch (final java.nio.charset.CharacterCodingException ex)
            {
                strict = null;
            }
            if (strict == null)
            {
                decodeFails(Codecs.string(), bytesOfLength(bytes));
            }
            else
            {
                assertEquals(strict, Codecs.string().decode(bytesOfLength(bytes)));
            }
        }
    }

    static Bytes<?> bytesOfLength(final byte[] content)
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        bytes.writeStopBit(content.length);
        bytes.write(content);
        return bytes;
    }

    @Test
    void byteArraysRoundTrip()
    {
        assertArrayEquals(new byte[0], roundTrip(Codecs.bytes(), new byte[0]));
        assertArrayEquals(new byte[] {1, -2, 3}, roundTrip(Codecs.bytes(), new byte[] {1, -2, 3}));
        final byte[] large = new byte[100_000];
        for (int i = 0; i < large.length; i++)
        {
            large[i] = (byte)(i * 31);
        }
        assertArrayEquals(large, roundTrip(Codecs.bytes(), large));
    }

    @Test
    void numbersRoundTrip()
    {
        for (final int value : new int[] {Integer.MIN_VALUE, -1, 0, 1, 127, 128, 1_000_000, Integer.MAX_VALUE})
        {
            assertEquals(value, roundTrip(Codecs.int32(), value));
        }
        for (final long value : new long[] {Long.MIN_VALUE, -1, 0, 1, 1L << 40, Long.MAX_VALUE})
        {
            assertEquals(value, roundTrip(Codecs.int64(), value));
        }
        for (final double value : new double[] {0.0, -0.0, 1.5, -Math.PI, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7ff8_0000_0000_0001L)})
        {
            assertEquals(Double.doubleToRawLongBits(value),
                Double.doubleToRawLongBits(roundTrip(Codecs.float64(), value)), () -> "bits of " + value);
        }
        assertEquals(4, encoded(Codecs.int32(), 5).readRemaining());
        assertEquals(8, encoded(Codecs.int64(), 5L).readRemaining());
        assertEquals(8, encoded(Codecs.float64(), 5.0).readRemaining());
    }

    @Test
    void byteBuffersEncodeTheirRemainingBytesAndKeepTheirPosition()
    {
        final byte[] content = {10, 11, 12, 13, 14, 15, 16, 17};
        final ByteBuffer direct = ByteBuffer.allocateDirect(content.length);
        direct.put(content).clear();
        final ByteBuffer[] buffers = {
            ByteBuffer.wrap(content), ByteBuffer.wrap(content, 2, 5), ByteBuffer.wrap(content).slice(3, 4),
            ByteBuffer.wrap(content, 1, 6).asReadOnlyBuffer(), direct, direct.duplicate().position(5).limit(7),
            direct.asReadOnlyBuffer().position(1), ByteBuffer.allocate(0)};
        for (final ByteBuffer buffer : buffers)
        {
            final int position = buffer.position();
            final int limit = buffer.limit();
            final ByteBuffer decoded = roundTrip(Codecs.byteBuffer(), buffer);
            assertEquals(position, buffer.position(), "position unchanged");
            assertEquals(limit, buffer.limit(), "limit unchanged");
            assertEquals(buffer, decoded, "same remaining bytes");
            assertEquals(0, decoded.position());
            assertEquals(buffer.remaining(), decoded.capacity());
            assertTrue(decoded.hasArray(), "decodes to a heap buffer");
        }
    }

    @Test
    void directBuffersEncodeTheirWholeCapacity()
    {
        final byte[] content = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        final ByteBuffer direct = ByteBuffer.allocateDirect(6);
        direct.put(new byte[] {-1, -2, -3, -4, -5, -6});
        final ExpandableArrayBuffer expandable = new ExpandableArrayBuffer(4);
        expandable.putInt(0, 0x01020304);
        final DirectBuffer[] buffers = {
            new UnsafeBuffer(content), new UnsafeBuffer(content, 2, 5), new UnsafeBuffer(direct),
            new UnsafeBuffer(direct, 1, 3), expandable, new UnsafeBuffer(new byte[0])};
        for (final DirectBuffer buffer : buffers)
        {
            final DirectBuffer decoded = roundTrip(Codecs.directBuffer(), buffer);
            assertInstanceOf(UnsafeBuffer.class, decoded);
            assertEquals(buffer.capacity(), decoded.capacity());
            assertEquals(describe(buffer), describe(decoded));
            assertNotNull(decoded.byteArray(), "over a new array");
        }
        assertEquals(0, direct.position() - 6, "the wrapped ByteBuffer is untouched");
    }

    @Test
    void marshallableRoundTripsThroughTheFactory()
    {
        final Codec<Point> codec = Codecs.marshallable(Point::new);
        final Point point = new Point(-3, 1L << 50, "caf\u00e9");
        assertEquals(point, roundTrip(codec, point));
        assertEquals(new Point(), roundTrip(codec, new Point()));
        assertEquals("Codecs.marshallable(" + Point.class.getName() + ")", codec.toString());
        final Bytes<?> bytes = encoded(codec, point);
        assertEquals(4 + 8 + 1 + 5, bytes.readRemaining(), "just the fields: no class name, no tag");
    }

    @Test
    void marshallableRefusesAClassItCouldNotDecode()
    {
        final Codec<Point> codec = Codecs.marshallable(Point::new);
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> codec.encode(new Point3(), bytes));
        assertContains(ex.getMessage(), Point3.class.getName(), Point.class.getName());
        assertEquals(0, bytes.writePosition());
        assertThrows(IllegalArgumentException.class, () -> Codecs.<Point>marshallable(() -> null));
        assertThrows(NullPointerException.class, () -> Codecs.<Point>marshallable(null));
    }

    @Test
    void truncatedOrLeftOverBytesAreNotMessages()
    {
        assertContains(decodeFails(Codecs.int32(), bytesOf(1, 2)).getMessage(),
            "Codecs.int32()", "truncated", "needs 4 bytes but 2 are left");
        assertContains(decodeFails(Codecs.int64(), bytesOf()).getMessage(), "Codecs.int64()", "truncated");
        assertContains(decodeFails(Codecs.float64(), bytesOf(1, 2, 3, 4)).getMessage(), "truncated");
        assertContains(decodeFails(Codecs.int32(), encoded(Codecs.int64(), 5L)).getMessage(),
            "Codecs.int32()", "4 bytes left over");
        assertContains(decodeFails(Codecs.string(), bytesOf(10, 0x61, 0x62)).getMessage(),
            "Codecs.string()", "truncated", "10 bytes but only 2");
        assertContains(decodeFails(Codecs.string(), bytesOf(0x80)).getMessage(), "length", "cut off");
        assertContains(decodeFails(Codecs.bytes(), bytesOf(0x80, 0x00)).getMessage(), "impossible length");
        assertContains(decodeFails(Codecs.bytes(), bytesOf(3, 1, 2)).getMessage(), "Codecs.bytes()", "truncated");
        assertContains(decodeFails(Codecs.byteBuffer(), bytesOf()).getMessage(), "Codecs.byteBuffer()", "cut off");
        assertContains(decodeFails(Codecs.directBuffer(), bytesOf(2, 1, 2, 3)).getMessage(), "1 byte left over");

        final Bytes<?> point = encoded(Codecs.marshallable(Point::new), new Point(1, 2, "three"));
        point.readLimit(point.readLimit() - 3);
        final IllegalStateException ex = decodeFails(Codecs.marshallable(Point::new), point);
        assertContains(ex.getMessage(), "Codecs.marshallable(" + Point.class.getName() + ")", "cannot decode");
    }

    @Test
    void typedCodecsSurviveSerialization() throws Exception
    {
        assertSame(Codecs.string(), serializedCopy(Codecs.string()));
        assertSame(Codecs.bytes(), serializedCopy(Codecs.bytes()));
        assertSame(Codecs.int32(), serializedCopy(Codecs.int32()));
        assertSame(Codecs.int64(), serializedCopy(Codecs.int64()));
        assertSame(Codecs.float64(), serializedCopy(Codecs.float64()));
        assertSame(Codecs.byteBuffer(), serializedCopy(Codecs.byteBuffer()));
        assertSame(Codecs.directBuffer(), serializedCopy(Codecs.directBuffer()));
        assertEquals("x\u00e9", roundTrip(serializedCopy(Codecs.string()), "x\u00e9"));
        assertEquals(-9L, roundTrip(serializedCopy(Codecs.int64()), -9L));

        final Codec<Point> copy = serializedCopy(Codecs.marshallable(Point::new));
        assertEquals(new Point(4, 5, "six"), roundTrip(copy, new Point(4, 5, "six")));
        assertEquals(Codecs.marshallable(Point::new).toString(), copy.toString());
    }

    @Test
    void typedCodecsNameThemselves()
    {
        assertEquals("Codecs.string()", Codecs.string().toString());
        assertEquals("Codecs.bytes()", Codecs.bytes().toString());
        assertEquals("Codecs.int32()", Codecs.int32().toString());
        assertEquals("Codecs.int64()", Codecs.int64().toString());
        assertEquals("Codecs.float64()", Codecs.float64().toString());
        assertEquals("Codecs.byteBuffer()", Codecs.byteBuffer().toString());
        assertEquals("Codecs.directBuffer()", Codecs.directBuffer().toString());
    }

    // ---- standard() ----

    static final Object[] STANDARD_VALUES = {
        true, false, (byte)-7, (short)-300, 'x', '\u00e9', '\uffff', 0, 42, Integer.MIN_VALUE, -5L, Long.MAX_VALUE,
        1.5f, Float.NaN, -0.0, Math.E, "", "plain", "\u4f60\u597d \ud83d\ude00", new byte[0], new byte[] {1, 2, 3},
        ByteBuffer.wrap(new byte[] {9, 8, 7, 6}, 1, 2), new UnsafeBuffer(new byte[] {5, 4, 3}),
        new Point(7, -8, "nine")};

    @Test
    void standardCarriesAMixedSequence()
    {
        final Codec<Object> codec = Codecs.standard();
        final Bytes<?> journal = Bytes.allocateElasticDirect(); // one message after another, as in a queue
        try
        {
            final List<long[]> spans = new ArrayList<>();
            for (final Object value : STANDARD_VALUES)
            {
                final long start = journal.writePosition();
                codec.encode(value, journal);
                spans.add(new long[] {start, journal.writePosition() - start});
            }
            for (int i = 0; i < STANDARD_VALUES.length; i++)
            {
                journal.readPositionRemaining(spans.get(i)[0], spans.get(i)[1]);
                final Object decoded = codec.decode(journal);
                final Object expected = STANDARD_VALUES[i];
                assertEquals(expected instanceof DirectBuffer ? UnsafeBuffer.class : expected.getClass(),
                    decoded.getClass(), () -> "the type of " + describe(expected));
                if (expected instanceof Float || expected instanceof Double)
                {
                    assertEquals(expected.toString(), decoded.toString(), "bit for bit");
                }
                else
                {
                    assertEquals(describe(expected), describe(decoded));
                }
            }
        }
        finally
        {
            journal.releaseLast();
        }
    }

    @Test
    void standardWritesATagThenTheTypedPayload()
    {
        assertEquals(1 + 4, encoded(Codecs.standard(), 5).readRemaining());
        assertEquals(1 + 8, encoded(Codecs.standard(), 5L).readRemaining());
        assertEquals(1 + 1, encoded(Codecs.standard(), true).readRemaining());
        assertEquals(1 + 2, encoded(Codecs.standard(), 'c').readRemaining());
        final Bytes<?> text = encoded(Codecs.standard(), "abc");
        assertEquals(StandardCodec.STRING, text.readByte());
        assertEquals("abc", Codecs.string().decode(text), "the typed codec's payload");
        final Bytes<?> point = encoded(Codecs.standard(), new Point(1, 2, "p"));
        assertEquals(StandardCodec.MARSHALLABLE, point.readByte());
        final int nameLength = (int)point.readStopBit();
        assertEquals(Point.class.getName().length(), nameLength, "the class name goes first");
        point.readSkip(nameLength);
        assertEquals(new Point(1, 2, "p"), Codecs.marshallable(Point::new).decode(point));
    }

    @Test
    void standardRefusesOtherTypesAndSaysWhatToDo()
    {
        // Lists, maps, arrays of int, long and double and Optional are standard types since issue 16; these are not.
        final IllegalArgumentException record = assertThrows(IllegalArgumentException.class,
            () -> Codecs.standard().encode(new Note("n", 1), Bytes.allocateElasticOnHeap()));
        assertContains(record.getMessage(), Note.class.getTypeName(), "withTypes(Note.class)");
        for (final Object message : new Object[] {new Object(), new StringBuilder("s"), new short[1]})
        {
            final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> Codecs.standard().encode(message, bytes));
            assertContains(ex.getMessage(), "Codecs.standard() cannot encode a " + message.getClass().getTypeName(),
                "typed codec", "implement BytesMarshallable", "withJavaSerialization(");
            assertEquals(0, bytes.writePosition(), "nothing written");
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Codecs.standard().encode(new NoDefaultConstructor(1), Bytes.allocateElasticOnHeap()));
        assertContains(ex.getMessage(), NoDefaultConstructor.class.getName(), "no public no-arg constructor",
            "Codecs.marshallable");
    }

    @Test
    void standardRejectsBytesItDidNotWrite()
    {
        assertContains(decodeFails(Codecs.standard(), bytesOf()).getMessage(), "Codecs.standard()", "empty");
        assertContains(decodeFails(Codecs.standard(), bytesOf(99, 1, 2)).getMessage(), "unknown type tag 99");
        assertContains(decodeFails(Codecs.standard(), bytesOf(0, 0, 0, 0, 0)).getMessage(), "unknown type tag 0");
        assertContains(decodeFails(Codecs.standard(), bytesOf(StandardCodec.INTEGER, 1, 2)).getMessage(),
            "truncated", "an Integer needs 4 bytes but 2 are left");
        assertContains(decodeFails(Codecs.standard(), bytesOf(StandardCodec.BOOLEAN, 2)).getMessage(), "0 or 1");
        assertContains(decodeFails(Codecs.standard(), bytesOf(StandardCodec.LONG, 1, 2, 3, 4, 5, 6, 7, 8, 9))
            .getMessage(), "1 byte left over");
        assertContains(decodeFails(Codecs.standard(), bytesOf(StandardCodec.STRING, 5, 0x61)).getMessage(),
            "truncated", "a String of 5 bytes");
        assertContains(decodeFails(Codecs.standard(), bytesOf(StandardCodec.SERIALIZED, 0xAC, 0xED)).getMessage(),
            "Java serialization off");

        final Bytes<?> point = encoded(Codecs.standard(), new Point(1, 2, "three"));
        point.readLimit(point.readLimit() - 2);
        assertContains(decodeFails(Codecs.standard(), point).getMessage(), Point.class.getName(), "readMarshallable");
    }

    static Bytes<?> naming(final String className)
    {
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        bytes.writeByte(StandardCodec.MARSHALLABLE);
        bytes.writeStopBit(className.length());
        bytes.append8bit(className);
        bytes.writeInt(1);
        return bytes;
    }

    @Test
    void standardMakesOnlyBytesMarshallableClasses()
    {
        final IllegalStateException tripwire = decodeFails(Codecs.standard(), naming(Tripwire.class.getName()));
        assertContains(tripwire.getMessage(), Tripwire.class.getName(), "not a BytesMarshallable");
        assertFalse(TRIPPED.get(), "the class was neither initialized nor instantiated");

        assertContains(decodeFails(Codecs.standard(), naming("com.example.Missing")).getMessage(),
            "com.example.Missing", "not found");
        assertContains(decodeFails(Codecs.standard(), naming(NoDefaultConstructor.class.getName())).getMessage(),
            NoDefaultConstructor.class.getName(), "no public no-arg constructor");
        assertContains(decodeFails(Codecs.standard(), naming(BytesMarshallable.class.getName())).getMessage(),
            "abstract");
    }

    @Test
    void standardFindsClassesWithoutAContextClassLoader()
    {
        final Thread thread = Thread.currentThread();
        final ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(null);
        try
        {
            assertEquals(new Point(3, 4, "five"), roundTrip(Codecs.standard(), new Point(3, 4, "five")));
        }
        finally
        {
            thread.setContextClassLoader(context);
        }
    }

    @Test
    void standardIsThreadSafe() throws Exception
    {
        final Codec<Object> codec = serializedCopy(Codecs.standard());
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try
        {
            final List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                final int seed = t;
                results.add(pool.submit(() ->
                {
                    final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
                    for (int i = 0; i < 5_000; i++)
                    {
                        final Object value = STANDARD_VALUES[(i + seed) % STANDARD_VALUES.length];
                        bytes.clear();
                        codec.encode(value, bytes);
                        assertEquals(describe(value), describe(codec.decode(bytes)).replace("UnsafeBuffer", ""));
                    }
                    return null;
                }));
            }
            for (final Future<?> result : results)
            {
                result.get();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    // ---- Java serialization ----

    static final String TRUSTED = "dev.ipckit.codec.CodecsTest$Note;java.util.*;java.lang.*";

    @Test
    void standardFallsBackToJavaSerializationWhenAsked()
    {
        final Codecs.Standard codec = Codecs.standard().withJavaSerialization(TRUSTED);
        final Map<String, Object> map = new HashMap<>();
        map.put("a", 1);
        map.put("notes", new ArrayList<>(List.of(new Note("x", 2), new Note("y", 3))));
        assertEquals(map, roundTrip(codec, map));
        assertEquals(new Note("n", 1), roundTrip(codec, new Note("n", 1)));

        assertEquals(StandardCodec.SERIALIZED, encoded(codec, new Note("n", 1)).readByte());
        assertEquals(1 + 4, encoded(codec, 5).readRemaining(), "standard types still go without serialization");
        assertEquals(new Point(1, 2, "3"), roundTrip(codec, new Point(1, 2, "3")));
        for (final Object value : STANDARD_VALUES)
        {
            assertNotEquals(StandardCodec.SERIALIZED, encoded(codec, value).readByte());
        }
        assertEquals("Codecs.standard().withJavaSerialization(\"" + TRUSTED + "\")", codec.toString());
        assertNotSame(codec, Codecs.standard().withJavaSerialization(TRUSTED));
        assertEquals("Codecs.standard()", Codecs.standard().toString());
    }

    @Test
    void theFilterRejectsWhatItDoesNotList()
    {
        final Codecs.Standard codec = Codecs.standard().withJavaSerialization("java.util.*;java.lang.*");
        final IllegalStateException direct = decodeFails(codec, encoded(codec, new Note("x", 1)));
        assertContains(direct.getMessage(), "rejected class " + Note.class.getName(), "\"java.util.*;java.lang.*\"");
        assertInstanceOf(java.io.InvalidClassException.class, direct.getCause());

        final IllegalStateException nested =
            decodeFails(codec, encoded(codec, new ArrayList<>(List.of(1, new Note("x", 1)))));
        assertContains(nested.getMessage(), "rejected class " + Note.class.getName());

        final Codec<Object> typed = Codecs.javaSerialization("java.lang.*");
        final IllegalStateException unlisted = decodeFails(typed, encoded(typed, new ArrayList<>()));
        assertContains(unlisted.getMessage(), "Codecs.javaSerialization(\"java.lang.*\")", "rejected class",
            "java.util.ArrayList");

        final Codec<Object> limited = Codecs.javaSerialization("maxdepth=3;java.util.*;java.lang.*");
        final List<Object> deep = new ArrayList<>(List.of(new ArrayList<>(List.of(new ArrayList<>(List.of(1))))));
        assertContains(decodeFails(limited, encoded(limited, deep)).getMessage(),
            "rejected the stream for exceeding a limit of the pattern (at depth 4");
    }

    @Test
    void javaSerializationRefusesWhatIsNotSerializable()
    {
        final Codecs.Standard codec = Codecs.standard().withJavaSerialization(TRUSTED);
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
        bytes.writeLong(1);
        final IllegalArgumentException top =
            assertThrows(IllegalArgumentException.class, () -> codec.encode(new Object(), bytes));
        assertContains(top.getMessage(), "java.lang.Object", "not Serializable");
        final IllegalArgumentException inner = assertThrows(IllegalArgumentException.class,
            () -> codec.encode(new java.util.concurrent.atomic.AtomicReference<>(new Object()), bytes));
        assertContains(inner.getMessage(), "java.util.concurrent.atomic.AtomicReference", "holds a java.lang.Object",
            "not Serializable");
        final IllegalArgumentException element = assertThrows(IllegalArgumentException.class,
            () -> codec.encode(new ArrayList<>(List.of(new Object())), bytes));
        assertContains(element.getMessage(), "java.lang.Object", "not Serializable");
        assertEquals(8, bytes.writePosition(), "a failed encode leaves the bytes as they were");

        final Codec<Object> typed = Codecs.javaSerialization(TRUSTED);
        assertContains(assertThrows(IllegalArgumentException.class, () -> typed.encode(new Object(), bytes))
            .getMessage(), "Codecs.javaSerialization(", "not Serializable");
    }

    @Test
    void typedJavaSerializationRoundTripsAndChecksItsInput() throws IOException
    {
        final Codec<Note> codec = Codecs.javaSerialization(TRUSTED);
        assertEquals(new Note("caf\u00e9", 42), roundTrip(codec, new Note("caf\u00e9", 42)));
        assertEquals("Codecs.javaSerialization(\"" + TRUSTED + "\")", codec.toString());

        final Bytes<?> truncated = encoded(codec, new Note("x", 1));
        truncated.readLimit(truncated.readLimit() - 5);
        assertContains(decodeFails(codec, truncated).getMessage(), "truncated");
        assertContains(decodeFails(codec, bytesOf(1, 2, 3, 4, 5)).getMessage(), "not Java serialization data");
        final Bytes<?> serializedNull = Bytes.allocateElasticOnHeap();
        serializedNull.write(dev.ipckit.platform.internal.Serialization.toBytes(null));
        assertContains(decodeFails(codec, serializedNull).getMessage(), "serialized null");

        assertThrows(IllegalArgumentException.class, () -> Codecs.javaSerialization(" "));
        assertThrows(IllegalArgumentException.class, () -> Codecs.javaSerialization("maxdepth=deep"));
        assertThrows(IllegalArgumentException.class, () -> Codecs.standard().withJavaSerialization(""));
        assertThrows(NullPointerException.class, () -> Codecs.javaSerialization(null));
    }

    @Test
    void everyCodecSurvivesSerializationAndStillWorks() throws Exception
    {
        assertSame(Codecs.standard(), serializedCopy(Codecs.standard()));
        assertEquals(new Point(1, 1, "s"), roundTrip(serializedCopy(Codecs.standard()), new Point(1, 1, "s")));

        final Codecs.Standard fallback = serializedCopy(Codecs.standard().withJavaSerialization("java.util.*"));
        assertEquals("Codecs.standard().withJavaSerialization(\"java.util.*\")", fallback.toString());
        assertEquals(7, roundTrip(fallback, 7));
        assertContains(decodeFails(fallback, encoded(fallback, new Note("x", 1))).getMessage(),
            "rejected class " + Note.class.getName()); // the copy filters too

        final Codec<Note> typed = serializedCopy(Codecs.javaSerialization(TRUSTED));
        assertEquals(new Note("t", 2), roundTrip(typed, new Note("t", 2)));
        assertEquals("Codecs.javaSerialization(\"" + TRUSTED + "\")", typed.toString());
    }

    // ---- allocation ----

    static long allocatedBy(final Runnable task)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        task.run(); // warm up
        final long before = threads.getThreadAllocatedBytes(thread);
        task.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }

    @Test
    void numbersStringsAndBuffersEncodeWithoutAllocating()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final Bytes<?> bytes = Bytes.allocateElasticOnHeap(1 << 16);
        final Integer boxed = 123_456;
        final String text = "h\u00e9llo \ud83d\ude00 w\u00f6rld, a string of some length";
        final byte[] array = new byte[100];
        final ByteBuffer direct = ByteBuffer.allocateDirect(64);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final Point point = new Point(1, 2, "three");
        final int rounds = 20_000;
        final long allocated = allocatedBy(() ->
        {
            for (int i = 0; i < rounds; i++)
            {
                bytes.clear();
                Codecs.int32().encode(boxed, bytes);
                Codecs.string().encode(text, bytes);
                Codecs.string().encode("ascii only", bytes);
                Codecs.bytes().encode(array, bytes);
                Codecs.byteBuffer().encode(direct, bytes);
                Codecs.directBuffer().encode(buffer, bytes);
                Codecs.standard().encode(boxed, bytes);
                Codecs.standard().encode(text, bytes);
                Codecs.standard().encode(point, bytes);
            }
        });
        assertTrue(allocated < rounds, () -> allocated + " bytes allocated for " + rounds + " rounds");
    }

    @Test
    void decodingAllocatesOnlyTheMessage()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final Bytes<?> small = encoded(Codecs.int32(), 7);
        final Bytes<?> flag = encoded(Codecs.standard(), true);
        final int rounds = 20_000;
        final long cachedValues = allocatedBy(() ->
        {
            for (int i = 0; i < rounds; i++)
            {
                small.readPosition(0);
                assertEquals(7, Codecs.int32().decode(small));
                flag.readPosition(0);
                assertEquals(true, Codecs.standard().decode(flag));
            }
        });
        assertTrue(cachedValues < rounds, () -> cachedValues + " bytes allocated decoding cached values");

        // a String is 24 bytes and its array 16 + one byte per Latin-1 char or two per other char, each rounded to 8
        assertDecodeAllocates("plain ascii text ".repeat(10), 24 + 16 + 170 + 6);
        assertDecodeAllocates("h\u00e9llo w\u00f6rld ".repeat(10), 24 + 16 + 120);
        assertDecodeAllocates("\u4f60\u597d \ud83d\ude00!".repeat(10), 24 + 16 + 120 + (16 + 60 + 4));
    }

    static void assertDecodeAllocates(final String text, final long most)
    {
        final Bytes<?> bytes = encoded(Codecs.string(), text);
        final int rounds = 20_000;
        final long allocated = allocatedBy(() ->
        {
            for (int i = 0; i < rounds; i++)
            {
                bytes.readPosition(0);
                assertEquals(text.length(), Codecs.string().decode(bytes).length());
            }
        });
        final long perString = allocated / rounds;
        assertTrue(perString <= most, () -> perString + " bytes per decoded string, expected at most " + most);
    }
}
