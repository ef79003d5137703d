package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.ResultRow;

import java.util.Locale;

/**
 * The text of the report's cells: figures to about three significant digits, and the two ratios.
 * <p>
 * Both ratios compare time per operation, so that they read the same way in every row: a throughput is turned into
 * time per message first. {@code ipckit/raw} above 1 means ipckit takes that many times longer than the raw
 * reference; {@code Python/ipckit} above 1 means Python takes that many times longer than ipckit. Both use ipckit's
 * default-wait figure. A figure that does not apply ({@link ResultRow#NONE}) prints as {@code -}, one that was not
 * measured ({@link Double#NaN}) as {@code n/a}; so do the ratios built on them.
 */
final class Cells
{
    /** A figure or ratio that does not apply. */
    static final String NONE = "-";
    /** A figure or ratio that was not measured in this run. */
    static final String MISSING = "n/a";

    private Cells()
    {
    }

    /**
     * @param value a figure.
     * @return its cell: about three significant digits, thousands grouped from 1,000.
     */
    static String figure(final double value)
    {
        if (value == ResultRow.NONE)
        {
            return NONE;
        }
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return MISSING;
        }
        final double magnitude = Math.abs(value);
        if (magnitude >= 100)
        {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1 || magnitude == 0)
        {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /**
     * @param row a row.
     * @return ipckit's time per operation over the raw reference's.
     */
    static String ipckitOverRaw(final ResultRow row)
    {
        return timeRatio(row.ipckitDefault(), row.raw(), row.better());
    }

    /**
     * @param row a row.
     * @return Python's time per operation over ipckit's.
     */
    static String pythonOverIpckit(final ResultRow row)
    {
        return timeRatio(row.python(), row.ipckitDefault(), row.better());
    }

    /**
     * @param slow   the figure on top, as time when lower is better.
     * @param fast   the figure below.
     * @param better which way the figures improve.
     * @return slow's time over fast's time.
     */
    private static String timeRatio(final double slow, final double fast, final ResultRow.Better better)
    {
        if (slow == ResultRow.NONE || fast == ResultRow.NONE)
        {
            return NONE;
        }
        final double ratio = better == ResultRow.Better.LOWER ? slow / fast : fast / slow;
        return ratio(ratio);
    }

    /**
     * @param ratio a ratio.
     * @return its cell: two decimals below 10, one below 100, none above; {@code n/a} when not a positive number.
     */
    static String ratio(final double ratio)
    {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio) || ratio <= 0)
        {
            return MISSING;
        }
        if (ratio >= 100)
        {
            return String.format(Locale.ROOT, "%,.0f", ratio);
        }
        return String.format(Locale.ROOT, ratio >= 10 ? "%.1f" : "%.2f", ratio);
    }
}
