package dev.ipckit.queue;

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
import java.util.Arrays;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.*;

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
        assertContains(decodeFails(Codecs.directBuffer(), bytesOf(2, 1, 2, 3)).getMessage(), "1 bytes left over");

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
}
