package dev.ipckit.queue;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.nio.charset.StandardCharsets;

/**
 * Strings on the wire: a stop-bit length in bytes, then standard UTF-8 (RFC 3629). Chronicle's {@code writeUtf8} is
 * not used: it writes each half of a surrogate pair as three bytes (CESU-8) and cannot read the four-byte form that
 * other UTF-8 writers produce.
 * <p>
 * Both directions go through a per-thread scratch array (ASCII is written straight from the string), so a string
 * costs no allocation beyond the decoded {@link String}, except decoding one longer than {@link #SCRATCH_LIMIT}.
 */
final class Utf8
{
    /** The largest scratch array a thread keeps. */
    static final int SCRATCH_LIMIT = 1 << 16;

    private static final int SCRATCH_INITIAL = 256;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_INITIAL]);

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
        final String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) // the JDK replaces what is not UTF-8; a real U+FFFD is valid too
        {
            final int invalid = firstInvalid(bytes, length);
            if (invalid >= 0)
            {
                throw new Malformed(
                    what + " is not valid UTF-8: byte " + invalid + " of " + length + " starts a malformed sequence");
            }
        }
        return text;
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

    /**
     * Where the first malformed sequence starts (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
     *
     * @param bytes  the bytes.
     * @param length how many of them to check.
     * @return the index of the first byte of the first malformed sequence, or -1 when all are valid UTF-8.
     */
    static int firstInvalid(final byte[] bytes, final int length)
    {
        int i = 0;
        while (i < length)
        {
            final int lead = bytes[i] & 0xFF;
            if (lead < 0x80)
            {
                i++;
                continue;
            }

            final int following;
            int low = 0x80;
            int high = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF)
            {
                following = 1;
            }
            else if (lead >= 0xE0 && lead <= 0xEF)
            {
                following = 2;
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
                return i;
            }

            if (i + following >= length)
            {
                return i;
            }
            final int second = bytes[i + 1] & 0xFF;
            if (second < low || second > high)
            {
                return i;
            }
            for (int k = 2; k <= following; k++)
            {
                final int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF)
                {
                    return i;
                }
            }
            i += following + 1;
        }
        return -1;
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
