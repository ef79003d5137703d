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
 * Java serialization as a codec: the fallback of the standard codec and the typed one, always behind a filter.
 */
class JavaSerializationCodecTest
{
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
}
