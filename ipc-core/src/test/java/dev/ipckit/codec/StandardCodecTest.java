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
 * Codecs.standard(): the tagged mixed-message codec, what it carries and refuses, the classes it makes, thread safety.
 */
class StandardCodecTest
{
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
}
