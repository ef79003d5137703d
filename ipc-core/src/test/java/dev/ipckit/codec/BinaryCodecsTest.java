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
import static dev.ipckit.codec.CodecTesting.*;

/**
 * The codecs of bytes and numbers: byte arrays, int32/int64/float64, byte buffers, direct buffers, and bytes that are
 * not a message.
 */
class BinaryCodecsTest
{
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
}
