package dev.ipckit.codec;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.nio.charset.StandardCharsets;

/**
 * Strings on the wire: a stop-bit length in bytes, then standard UTF-8 (RFC 3629). Chronicle's {@code writeUtf8} is
 * not used: it writes each half of a surrogate pair as three bytes (CESU-8) and cannot read the four-byte form that
 * other UTF-8 writers produce.
 * <p>
 * Both directions go through per-thread scratch space (ASCII is written straight from the string), so encoding
 * allocates nothing and decoding allocates the {@link String} alone (plus, for text beyond Latin-1, the JDK's
 * transient attempt to compress it; and the bytes of a string longer than {@link #SCRATCH_LIMIT}).
 */
final class Utf8
{
    /** The largest scratch array a thread keeps. */
    static final int SCRATCH_LIMIT = 1 << 16;

    private static final int SCRATCH_INITIAL = 256;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_INITIAL]);
    private static final ThreadLocal<StringBuilder> BUILDER =
        ThreadLocal.withInitial(() -> new StringBuilder(SCRATCH_INITIAL));

    private Utf8()
    {
    }

    /**
     * Writes a string.
     *
     * @param text the string.
     * @param out  where to write.
     * @param what the string's role, for the error message.
     * @throws IllegalArgumentException when the string holds a lone surrogate, which UTF-8 cannot encode.
     */
    static void write(final String text, final BytesOut<?> out, final String what)
    {
        final int length = encodedLength(text, what);
        out.writeStopBit(length);
        final int chars = text.length();
        if (length == chars)
        {
            out.append8bit(text); // all ASCII: Latin-1 bytes are the UTF-8 bytes
            return;
        }

        final byte[] scratch = scratch(Math.min(length, SCRATCH_LIMIT));
        int n = 0;
        for (int i = 0; i < chars; i++)
        {
            if (n > scratch.length - 4)
            {
                out.write(scratch, 0, n);
                n = 0;
            }
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                scratch[n++] = (byte)c;
            }
            else if (c < 0x800)
            {
                scratch[n++] = (byte)(0xC0 | c >> 6);
                scratch[n++] = (byte)(0x80 | c & 0x3F);
            }
            else if (Character.isHighSurrogate(c))
            {
                final int codePoint = Character.toCodePoint(c, text.charAt(++i)); // paired: encodedLength checked
                scratch[n++] = (byte)(0xF0 | codePoint >> 18);
                scratch[n++] = (byte)(0x80 | codePoint >> 12 & 0x3F);
                scratch[n++] = (byte)(0x80 | codePoint >> 6 & 0x3F);
                scratch[n++] = (byte)(0x80 | codePoint & 0x3F);
            }
            else
            {
                scratch[n++] = (byte)(0xE0 | c >> 12);
                scratch[n++] = (byte)(0x80 | c >> 6 & 0x3F);
                scratch[n++] = (byte)(0x80 | c & 0x3F);
            }
        }
        out.write(scratch, 0, n);
    }

    /**
     * Reads a string.
     *
     * @param in   the bytes.
     * @param what the string's role, for the error message.
     * @return the string.
     * @throws Malformed when the bytes are cut short or are not valid UTF-8.
     */
    static String read(final BytesIn<?> in, final String what)
    {
        final int length = Payloads.readLength(in, what);
        final byte[] bytes = length <= SCRATCH_LIMIT ? scratch(length) : new byte[length];
        Payloads.readFully(in, bytes, length);
        int ascii = 0;
        while (ascii < length && bytes[ascii] >= 0)
        {
            ascii++;
        }
        if (ascii == length)
        {
            return new String(bytes, 0, length, StandardCharsets.ISO_8859_1); // one copy, into the string
        }

        // The JDK's own UTF-8 decoding allocates arrays it then copies; a reused builder copies once (for text
        // beyond Latin-1 the JDK still tries, and fails, to compress: a transient byte per char).
        final StringBuilder text = BUILDER.get();
        text.setLength(0);
        for (int i = 0; i < ascii; i++)
        {
            text.append((char)bytes[i]);
        }
        decode(bytes, ascii, length, text, what);
        final String result = text.toString();
        if (text.capacity() > SCRATCH_LIMIT)
        {
            BUILDER.set(new StringBuilder(SCRATCH_INITIAL));
        }
        return result;
    }

    /**
     * Decodes UTF-8, refusing what RFC 3629 forbids: overlong forms, surrogates, anything past U+10FFFF, stray or
     * missing continuation bytes.
     */
    private static void decode(
        final byte[] bytes, final int from, final int length, final StringBuilder text, final String what)
    {
        int i = from;
        while (i < length)
        {
            final int lead = bytes[i] & 0xFF;
            if (lead < 0x80)
            {
                text.append((char)lead);
                i++;
                continue;
            }

            final int following;
            int codePoint;
            int low = 0x80;
            int high = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF)
            {
                following = 1;
                codePoint = lead & 0x1F;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                following = 2;
                codePoint = lead & 0x0F;
                if (lead == 0xE0)
                {
                    low = 0xA0; // no overlong forms
                }
                else if (lead == 0xED)
                {
                    high = 0x9F; // no surrogates
                }
            }
            else if (lead >= 0xF0 && lead <= 0xF4)
            {
                following = 3;
                codePoint = lead & 0x07;
                if (lead == 0xF0)
                {
                    low = 0x90; // no overlong forms
                }
                else if (lead == 0xF4)
                {
                    high = 0x8F; // nothing past U+10FFFF
                }
            }
            else
            {
                throw invalid(i, length, what);
            }

            if (i + following >= length)
            {
                throw invalid(i, length, what);
            }
            for (int k = 1; k <= following; k++)
            {
                final int next = bytes[i + k] & 0xFF;
                if (next < low || next > high)
                {
                    throw invalid(i, length, what);
                }
                codePoint = codePoint << 6 | next & 0x3F;
                low = 0x80;
                high = 0xBF;
            }
            if (codePoint < Character.MIN_SUPPLEMENTARY_CODE_POINT)
            {
                text.append((char)codePoint);
            }
            else
            {
                text.append(Character.highSurrogate(codePoint)).append(Character.lowSurrogate(codePoint));
            }
            i += following + 1;
        }
    }

    private static Malformed invalid(final int index, final int length, final String what)
    {
        return new Malformed(
            what + " is not valid UTF-8: byte " + index + " of " + length + " starts a malformed sequence");
    }

    /**
     * The UTF-8 length of a string.
     *
     * @param text the string.
     * @param what the string's role, for the error message.
     * @return its length in bytes.
     * @throws IllegalArgumentException when the string holds a lone surrogate or is too long.
     */
    static int encodedLength(final String text, final String what)
    {
        final int chars = text.length();
        long length = chars;
        for (int i = 0; i < chars; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                continue;
            }
            if (c < 0x800)
            {
                length += 1;
            }
            else if (!Character.isSurrogate(c))
            {
                length += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                length += 2; // two chars, four bytes
                i++;
            }
            else
            {
                throw new IllegalArgumentException(
                    what + " holds a lone surrogate at index " + i + ", which UTF-8 cannot encode");
            }
        }
        if (length > Payloads.MAX_LENGTH)
        {
            throw new IllegalArgumentException(what + " is too long: " + length + " bytes of UTF-8");
        }
        return (int)length;
    }

    private static byte[] scratch(final int minimum)
    {
        final byte[] scratch = SCRATCH.get();
        if (scratch.length >= minimum)
        {
            return scratch;
        }
        final byte[] larger = new byte[Math.min(Math.max(minimum, scratch.length * 2), SCRATCH_LIMIT)];
        SCRATCH.set(larger);
        return larger;
    }
}
