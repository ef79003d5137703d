package dev.ipckit.benchmarks;

import java.util.Locale;

/**
 * The closing table of a messaging benchmark, printed as markdown: per operation the ipckit figure with the default
 * wait strategy and with busy-spin, the raw reference, Python, and the ratios ipckit/raw and ipckit/Python (each as
 * default / busy-spin). A ratio is always ipckit over the reference: for latencies lower is better, for throughputs
 * higher. {@link Double#NaN} prints as {@code n/a} (not measured in this run), {@link #NONE} as {@code -} (does not
 * apply).
 */
final class ResultTable
{
    /** A cell that does not apply to its row. */
    static final double NONE = ResultRow.NONE;

    private final MarkdownTable table;

    /**
     * @param rawHeader the raw reference's column header.
     */
    ResultTable(final String rawHeader)
    {
        this.table = new MarkdownTable("operation", "ipckit default", "ipckit busy-spin", rawHeader, "Python",
            "ipckit/raw (default / busy-spin)", "ipckit/Python (default / busy-spin)");
    }

    /**
     * Adds a row.
     *
     * @param operation      what was measured, with its unit.
     * @param decimals       decimals of the figures.
     * @param ipckitDefault  ipckit with the default wait strategy.
     * @param ipckitBusySpin ipckit with busy-spin.
     * @param raw            the raw reference.
     * @param python         Python.
     */
    void row(
        final String operation, final int decimals, final double ipckitDefault, final double ipckitBusySpin,
        final double raw, final double python)
    {
        table.row(
            operation, figure(ipckitDefault, decimals), figure(ipckitBusySpin, decimals), figure(raw, decimals),
            figure(python, decimals),
            ratio(ipckitDefault, raw) + " / " + ratio(ipckitBusySpin, raw),
            ratio(ipckitDefault, python) + " / " + ratio(ipckitBusySpin, python));
    }

    /**
     * Adds a line printed under the table.
     *
     * @param note the line.
     */
    void note(final String note)
    {
        table.note(note);
    }

    /**
     * Prints the table and its notes to standard output.
     */
    void print()
    {
        table.print();
    }

    private static String figure(final double value, final int decimals)
    {
        if (value == NONE)
        {
            return "-";
        }
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String ratio(final double ipckit, final double reference)
    {
        if (ipckit == NONE || reference == NONE)
        {
            return "-";
        }
        final double ratio = ipckit / reference;
        if (Double.isNaN(ratio) || Double.isInfinite(ratio))
        {
            return "n/a";
        }
        return ratio >= 100 ? String.format(Locale.ROOT, "%.0f", ratio) : String.format(Locale.ROOT, "%.3g", ratio);
    }
}
