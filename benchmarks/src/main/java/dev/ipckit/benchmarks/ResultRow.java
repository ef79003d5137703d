package dev.ipckit.benchmarks;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One measured operation as data: ipckit with the default wait strategy and with busy-spin, the raw Agrona/Chronicle
 * reference and Python's {@code multiprocessing}, all in one unit, from one run, each figure with its stable id. A
 * figure is {@link Double#NaN} when it was not measured in this run (no {@code python3}, say) and {@link #NONE} when
 * it does not apply to the operation (no busy-spin variant, no raw reference). A latency row may carry the
 * distribution behind a figure as a {@link LatencyCurve}.
 *
 * @param ids            the figures' ids; every figure other than {@link #NONE} has one.
 * @param operation      what was measured, without its unit.
 * @param unit           the unit of every figure of the row, say {@code µs} or {@code k msg/s}.
 * @param better         whether lower figures (costs, latencies) or higher ones (throughputs, speedups) are better.
 * @param ipckitDefault  ipckit with the default wait strategy.
 * @param ipckitBusySpin ipckit with {@code WaitStrategy.busySpin()}.
 * @param raw            the raw Agrona/Chronicle reference.
 * @param python         Python's {@code multiprocessing}.
 * @param curves         the latency distributions behind some figures, by variant (usually none).
 */
public record ResultRow(
    RowIds ids, String operation, String unit, Better better, double ipckitDefault, double ipckitBusySpin, double raw,
    double python, Map<Variant, LatencyCurve> curves)
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
     * @throws NullPointerException     when the ids, a text or the direction is missing.
     * @throws IllegalArgumentException when the operation or unit is blank, or a figure that applies has no id.
     */
    public ResultRow
    {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(better, "better");
        if (operation.isBlank() || unit.isBlank())
        {
            throw new IllegalArgumentException("a row needs an operation and a unit: '" + operation + "', '" + unit +
                "'");
        }
        final double[] figures = {ipckitDefault, ipckitBusySpin, raw, python};
        for (final Variant variant : Variant.values())
        {
            if (figures[variant.ordinal()] != NONE && ids.of(variant) == null)
            {
                throw new IllegalArgumentException("the " + variant.label() + " figure of '" + operation +
                    "' has no id");
            }
        }
        final Map<Variant, LatencyCurve> copy = new EnumMap<>(Variant.class);
        copy.putAll(Objects.requireNonNull(curves, "curves"));
        curves = Map.copyOf(copy);
    }

    /**
     * A row where lower is better.
     *
     * @param ids            the figures' ids.
     * @param operation      what was measured.
     * @param unit           the unit.
     * @param ipckitDefault  ipckit, default wait.
     * @param ipckitBusySpin ipckit, busy-spin.
     * @param raw            the raw reference.
     * @param python         Python.
     * @return the row.
     */
    public static ResultRow lower(
        final RowIds ids, final String operation, final String unit, final double ipckitDefault,
        final double ipckitBusySpin, final double raw, final double python)
    {
        return new ResultRow(ids, operation, unit, Better.LOWER, ipckitDefault, ipckitBusySpin, raw, python, Map.of());
    }

    /**
     * A row where higher is better.
     *
     * @param ids            the figures' ids.
     * @param operation      what was measured.
     * @param unit           the unit.
     * @param ipckitDefault  ipckit, default wait.
     * @param ipckitBusySpin ipckit, busy-spin.
     * @param raw            the raw reference.
     * @param python         Python.
     * @return the row.
     */
    public static ResultRow higher(
        final RowIds ids, final String operation, final String unit, final double ipckitDefault,
        final double ipckitBusySpin, final double raw, final double python)
    {
        return new ResultRow(ids, operation, unit, Better.HIGHER, ipckitDefault, ipckitBusySpin, raw, python,
            Map.of());
    }

    /**
     * @param variant a variant.
     * @param curve   the distribution behind its figure, or {@code null} for none.
     * @return this row with that curve.
     */
    public ResultRow withCurve(final Variant variant, final LatencyCurve curve)
    {
        final Map<Variant, LatencyCurve> more = new EnumMap<>(Variant.class);
        more.putAll(curves);
        if (curve != null)
        {
            more.put(variant, curve);
        }
        return new ResultRow(ids, operation, unit, better, ipckitDefault, ipckitBusySpin, raw, python, more);
    }

    /**
     * @param variant a variant.
     * @return its figure.
     */
    public double figure(final Variant variant)
    {
        return switch (variant)
        {
            case IPCKIT -> ipckitDefault;
            case IPCKIT_BUSY_SPIN -> ipckitBusySpin;
            case RAW -> raw;
            case PYTHON -> python;
        };
    }
}
