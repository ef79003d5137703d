package dev.ipckit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The stable ids of a {@link ResultRow}'s figures, one per {@link Variant}; {@code null} where the row has no such
 * figure. Ids are a contract (listed in {@code docs/benchmarks.md}): a figure keeps its id across releases, and a new
 * figure gets a new id. The scheme: {@code <area>.<transport/variant>.<metric>[.<wait>]} for ipckit (say
 * {@code pipe.journal.rtt.p50} and {@code pipe.journal.rtt.p50.busyspin}), {@code raw.<library>...} for the raw
 * reference and {@code python....} for Python. Two rows that show the same measured figure (one raw reference next
 * to two ipckit rows) give it the same id.
 *
 * @param ipckit         ipckit with the default wait strategy.
 * @param ipckitBusySpin ipckit with busy-spin.
 * @param raw            the raw reference.
 * @param python         Python.
 */
public record RowIds(String ipckit, String ipckitBusySpin, String raw, String python)
{
    /** What an id looks like: lower-case words of letters and digits, separated by dots, at least two. */
    public static final Pattern FORM = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)+");

    /** The last word of a busy-spin figure's id. */
    public static final String BUSY_SPIN = ".busyspin";

    /**
     * @throws IllegalArgumentException when an id is not of the {@link #FORM}.
     */
    public RowIds
    {
        for (final String id : new String[] {ipckit, ipckitBusySpin, raw, python})
        {
            if (id != null && !FORM.matcher(id).matches())
            {
                throw new IllegalArgumentException("a figure id is lower-case words of letters and digits joined " +
                    "by dots, like pipe.journal.rtt.p50: '" + id + "'");
            }
        }
    }

    /**
     * The ids of a row with both ipckit figures: {@code ipckit} and {@code ipckit + ".busyspin"}.
     *
     * @param ipckit ipckit's id with the default wait.
     * @param raw    the raw reference's id, or {@code null}.
     * @param python Python's id, or {@code null}.
     * @return the ids.
     */
    public static RowIds waits(final String ipckit, final String raw, final String python)
    {
        return new RowIds(ipckit, ipckit + BUSY_SPIN, raw, python);
    }

    /**
     * The ids of a row without a busy-spin figure.
     *
     * @param ipckit ipckit's id, or {@code null}.
     * @param raw    the raw reference's id, or {@code null}.
     * @param python Python's id, or {@code null}.
     * @return the ids.
     */
    public static RowIds single(final String ipckit, final String raw, final String python)
    {
        return new RowIds(ipckit, null, raw, python);
    }

    /**
     * @param variant a variant.
     * @return its figure's id, or {@code null}.
     */
    public String of(final Variant variant)
    {
        return switch (variant)
        {
            case IPCKIT -> ipckit;
            case IPCKIT_BUSY_SPIN -> ipckitBusySpin;
            case RAW -> raw;
            case PYTHON -> python;
        };
    }

    /**
     * @return every id, in {@link Variant} order, without the missing ones.
     */
    public List<String> all()
    {
        final List<String> ids = new ArrayList<>();
        for (final Variant variant : Variant.values())
        {
            if (of(variant) != null)
            {
                ids.add(of(variant));
            }
        }
        return ids;
    }

    /**
     * A qualifier for an id, present only when a parameter differs from the size the id names by default: say
     * {@code pipe.journal.rtt.p50} for 8 bytes and {@code pipe.journal.rtt.64b.p50} for 64.
     *
     * @param value        the parameter.
     * @param defaultValue the value the plain id stands for.
     * @param suffix       the unit word, say {@code b} for bytes.
     * @return {@code ""} or {@code "." + value + suffix}.
     */
    public static String qualifier(final long value, final long defaultValue, final String suffix)
    {
        return value == defaultValue ? "" : "." + value + suffix;
    }
}
