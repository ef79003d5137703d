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
 * What every codec promises: a name, surviving Java serialization (codecs travel in handles), no allocation on the
 * encode path and only the message on decode.
 */
class CodecsTest
{
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
