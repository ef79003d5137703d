package dev.ipckit.memory.internal;

import java.nio.file.Path;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.SharedRegion;

/**
 * Checks of fields read from a region file before they are used: a count, an offset, a length or a cursor outside
 * what the layout allows means the file is damaged, and is reported as a {@link RegionException} with reason
 * {@link RegionException.Reason#CORRUPT} naming the file, the field and the value, never used as it is (no
 * narrowing cast of an unchecked value, no allocation sized by one).
 */
public final class RegionChecks
{
    private RegionChecks()
    {
    }

    /**
     * Checks that a field read from a region file lies in {@code [min, max]}.
     *
     * @param path  the region file.
     * @param field the field's name, as the layout documents it (e.g. {@code "ENTRY_COUNT"}).
     * @param value the value read.
     * @param min   the smallest allowed value.
     * @param max   the largest allowed value.
     * @return {@code value}.
     * @throws RegionException CORRUPT when the value is outside the range.
     */
    public static long inRange(final Path path, final String field, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw corrupt(path, field, value, "outside " + min + ".." + max);
        }
        return value;
    }

    /**
     * {@link #inRange} for a field whose allowed range fits an {@code int}: the result needs no narrowing cast.
     *
     * @param path  the region file.
     * @param field the field's name.
     * @param value the value read.
     * @param min   the smallest allowed value.
     * @param max   the largest allowed value.
     * @return {@code value} as an int.
     * @throws RegionException CORRUPT when the value is outside the range.
     */
    public static int intInRange(final Path path, final String field, final long value, final int min, final int max)
    {
        return Math.toIntExact(inRange(path, field, value, min, max));
    }

    /**
     * Checks that a byte range described by fields of an object lies inside that object's data slot.
     *
     * @param region the region.
     * @param entry  the object's entry (whose slot the directory check already bounded by the region).
     * @param field  the field that gives the range's length (or end).
     * @param start  the range's first byte, relative to the slot's start.
     * @param length the range's length in bytes, as read.
     * @return {@code length} as an int.
     * @throws RegionException CORRUPT when the range does not fit in the slot.
     */
    public static int inSlot(
        final SharedRegion region, final RegionEntry entry, final String field, final long start, final long length)
    {
        final long room = entry.length() - start;
        if (length < 0 || length > room)
        {
            throw corrupt(region.path(), field, length, "outside 0.." + Math.max(0, room) + " (the room left in " +
                entry.type() + " '" + entry.name() + "', " + entry.length() + " bytes from offset " + entry.offset() + ")");
        }
        return (int)length; // in 0..room, and room < the region's length, an int
    }

    /**
     * The exception for a damaged field.
     *
     * @param path    the region file.
     * @param field   the field's name.
     * @param value   the value read.
     * @param problem what is wrong with it (e.g. "outside 0..256").
     * @return the exception, to throw.
     */
    public static RegionException corrupt(final Path path, final String field, final long value, final String problem)
    {
        return new RegionException(RegionException.Reason.CORRUPT, path,
            "is damaged: field " + field + " is " + value + ", " + problem +
            "; the file cannot be trusted: restore or re-create it (ipckit ls lists damaged files)");
    }
}
