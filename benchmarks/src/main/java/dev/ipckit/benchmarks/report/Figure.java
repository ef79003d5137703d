package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.LatencyCurve;
import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.RowIds;
import dev.ipckit.benchmarks.Variant;

import java.util.Objects;

/**
 * One measured figure of a run under its stable id: a row of the JSON report.
 *
 * @param id        the stable id, say {@code pipe.journal.rtt.p50}.
 * @param operation what was measured (the report row's text).
 * @param unit      the unit, as printed: {@code ns}, {@code µs}, {@code ms}, {@code M ops/s}, {@code k msg/s}, ...
 * @param better    which way the figure improves.
 * @param variant   ipckit (default wait or busy-spin), the raw reference or Python.
 * @param suite     the harness that measured it, as {@code --only} names it.
 * @param value     the figure, a finite number.
 * @param curve     the latency distribution behind it, or {@code null}.
 */
record Figure(
    String id, String operation, String unit, ResultRow.Better better, Variant variant, String suite, double value,
    LatencyCurve curve)
{
    /**
     * @throws IllegalArgumentException when the id is malformed or the value not a finite number.
     */
    Figure
    {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(better, "better");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(suite, "suite");
        if (!RowIds.FORM.matcher(id).matches())
        {
            throw new IllegalArgumentException("malformed figure id '" + id + "'");
        }
        if (!Double.isFinite(value))
        {
            throw new IllegalArgumentException("figure " + id + " is not a finite number: " + value);
        }
    }
}
