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
 * Codecs.string(): UTF-8 on the wire, long strings, lone surrogates and malformed input refused, agreement with the
 * JDK.
 */
class StringCodecTest
{
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
}
