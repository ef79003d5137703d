package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.RowIds;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CellsTest
{
    private static final RowIds IDS = RowIds.waits("area.op", "raw.lib.op", "python.op");

    @Test
    void figuresKeepAboutThreeSignificantDigits()
    {
        assertEquals("3,080", Cells.figure(3_080.4));
        assertEquals("271", Cells.figure(270.8));
        assertEquals("45.6", Cells.figure(45.61));
        assertEquals("1.95", Cells.figure(1.9549));
        assertEquals("0.153", Cells.figure(0.15349));
        assertEquals("0.00120", Cells.figure(0.0012));
        assertEquals("0.00", Cells.figure(0));
        assertEquals("-12.0", Cells.figure(-12));
    }

    @Test
    void missingAndNotApplyingFiguresAreMarked()
    {
        assertEquals("n/a", Cells.figure(Double.NaN));
        assertEquals("-", Cells.figure(ResultRow.NONE));
        assertEquals("n/a", Cells.figure(Double.POSITIVE_INFINITY));
    }

    @Test
    void latencyRatiosDivideTheFigures()
    {
        final ResultRow row = ResultRow.lower(IDS, "round trip", "µs", 0.56, 0.68, 0.50, 45.6);
        assertEquals("1.12", Cells.ipckitOverRaw(row));
        assertEquals("81.4", Cells.pythonOverIpckit(row));
    }

    @Test
    void throughputRatiosCompareTimePerMessage()
    {
        // ipckit moves 3,080 k msg/s, raw 2,790 k, Python 538 k: ipckit takes less time than raw, Python more.
        final ResultRow row = ResultRow.higher(IDS, "one-way", "k msg/s", 3_080, 2_870, 2_790, 538);
        assertEquals("0.91", Cells.ipckitOverRaw(row));
        assertEquals("5.72", Cells.pythonOverIpckit(row));
    }

    @Test
    void ratiosOnMissingOrNotApplyingFiguresAreMarked()
    {
        final ResultRow noPython = ResultRow.lower(IDS, "lock", "ns", 10, ResultRow.NONE, ResultRow.NONE, Double.NaN);
        assertEquals("-", Cells.ipckitOverRaw(noPython));
        assertEquals("n/a", Cells.pythonOverIpckit(noPython));
        final ResultRow floor = ResultRow.lower(IDS, "floor", "µs", ResultRow.NONE, ResultRow.NONE, 0.18, ResultRow.NONE);
        assertEquals("-", Cells.ipckitOverRaw(floor));
        assertEquals("-", Cells.pythonOverIpckit(floor));
        final ResultRow zero = ResultRow.higher(IDS, "stalled", "k msg/s", 0, 0, 10, 10);
        assertEquals("n/a", Cells.ipckitOverRaw(zero));
    }

    @Test
    void ratiosGetFewerDecimalsAsTheyGrow()
    {
        assertEquals("1.00", Cells.ratio(1));
        assertEquals("12.3", Cells.ratio(12.34));
        assertEquals("158", Cells.ratio(157.9));
        assertEquals("1,234", Cells.ratio(1_234.4));
        assertEquals("n/a", Cells.ratio(-1));
        assertEquals("n/a", Cells.ratio(Double.NaN));
    }
}
