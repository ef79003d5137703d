package dev.ipckit.benchmarks;

import java.util.Objects;

/**
 * One measured operation as data: ipckit with the default wait strategy and with busy-spin, the raw Agrona/Chronicle
 * reference and Python's {@code multiprocessing}, all in one unit, from one run. A figure is {@link Double#NaN} when
 * it was not measured in this run (no {@code python3}, say) and {@link #NONE} when it does not apply to the
 * operation (no busy-spin variant, no raw reference).
 *
 * @param operation      what was measured, without its unit.
 * @param unit           the unit of every figure of the row, say {@code µs} or {@code k msg/s}.
 * @param better         whether lower figures (costs, latencies) or higher ones (throughputs, speedups) are better.
 * @param ipckitDefault  ipckit with the default wait strategy.
 * @param ipckitBusySpin ipckit with {@code WaitStrategy.busySpin()}.
 * @param raw            the raw Agrona/Chronicle reference.
 * @param python         Python's {@code multiprocessing}.
 */
public record ResultRow(
    String operation, String unit, Better better, double ipckitDefault, double ipckitBusySpin, double raw,
    double python)
{
    /** A figure that does not apply to its row. */
    public static final double NONE = Double.NEGATIVE_INFINITY;

    /**
     * Which way a row's figures improve.
     */
    public enum Better
    {
        /** Costs and latencies. */
        LOWER,
        /** Throughputs and speedups. */
        HIGHER
    }

    /**
     * @throws NullPointerException     when a text or the direction is missing.
     * @throws IllegalArgumentException when the operation or unit is blank.
     */
    public ResultRow
    {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(better, "better");
        if (operation.isBlank() || unit.isBlank())
        {
            throw new IllegalArgumentException("a row needs an operation and a unit: '" + operation + "', '" + unit +
                "'");
        }
    }

    /**
     * A row where lower is better.
     *
     * @param operation      what was measured.
     * @param unit           the unit.
     * @param ipckitDefault  ipckit, default wait.
     * @param ipckitBusySpin ipckit, busy-spin.
     * @param raw            the raw reference.
     * @param python         Python.
     * @return the row.
     */
    public static ResultRow lower(
        final String operation, final String unit, final double ipckitDefault, final double ipckitBusySpin,
        final double raw, final double python)
    {
        return new ResultRow(operation, unit, Better.LOWER, ipckitDefault, ipckitBusySpin, raw, python);
    }

    /**
     * A row where higher is better.
     *
     * @param operation      what was measured.
     * @param unit           the unit.
     * @param ipckitDefault  ipckit, default wait.
     * @param ipckitBusySpin ipckit, busy-spin.
     * @param raw            the raw reference.
     * @param python         Python.
     * @return the row.
     */
    public static ResultRow higher(
        final String operation, final String unit, final double ipckitDefault, final double ipckitBusySpin,
        final double raw, final double python)
    {
        return new ResultRow(operation, unit, Better.HIGHER, ipckitDefault, ipckitBusySpin, raw, python);
    }
}
