package dev.ipckit.memory.internal;

import java.nio.charset.StandardCharsets;

/**
 * Validation of the names of regions, objects, queues and pipes: they become file names and directory entries, so
 * no path separators, no {@code ..}, no NUL or other control characters, and a bounded length.
 */
public final class Names
{
    /** Longest name of a file-backed object (a region, a queue, a pipe), in bytes of UTF-8. */
    public static final int MAX_REGION_NAME_BYTES = 128;

    private Names()
    {
    }

    /**
     * Checks a name.
     *
     * @param kind     what is named, for the error message ("queue", "region", ...).
     * @param name     the name.
     * @param maxBytes the longest allowed UTF-8 encoding.
     * @return the name's UTF-8 bytes.
     * @throws IllegalArgumentException naming the problem.
     */
    public static byte[] validate(final String kind, final String name, final int maxBytes)
    {
        if (name == null)
        {
            throw new IllegalArgumentException(kind + " name is null");
        }
        if (name.isEmpty())
        {
            throw new IllegalArgumentException(kind + " name is empty");
        }
        if (name.contains(".."))
        {
            throw new IllegalArgumentException(kind + " name '" + printable(name) + "' contains '..'");
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c == '/' || c == '\\')
            {
                throw new IllegalArgumentException(kind + " name '" + printable(name) + "' contains a path separator");
            }
            if (c == 0)
            {
                throw new IllegalArgumentException(kind + " name '" + printable(name) + "' contains NUL");
            }
            if (Character.isISOControl(c))
            {
                throw new IllegalArgumentException(
                    kind + " name '" + printable(name) + "' contains control character U+" + String.format("%04X", (int)c));
            }
        }
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes)
        {
            throw new IllegalArgumentException(
                kind + " name is " + bytes.length + " bytes of UTF-8, the limit is " + maxBytes + ": '" +
                printable(name.substring(0, Math.min(name.length(), 40))) + "...'");
        }
        return bytes;
    }

    private static String printable(final String name)
    {
        final StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (Character.isISOControl(c))
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
