package dev.ipckit.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResultRowTest
{
    private static final RowIds IDS = RowIds.waits("area.op", "raw.lib.op", "python.op");

    @Test
    void factoriesSayWhichWayIsBetter()
    {
        assertEquals(ResultRow.Better.LOWER, ResultRow.lower(IDS, "op", "µs", 1, 2, 3, 4).better());
        assertEquals(ResultRow.Better.HIGHER, ResultRow.higher(IDS, "op", "k msg/s", 1, 2, 3, 4).better());
    }

    @Test
    void aRowNeedsAnOperationAndAUnit()
    {
        assertThrows(IllegalArgumentException.class, () -> ResultRow.lower(IDS, " ", "µs", 1, 2, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> ResultRow.lower(IDS, "op", "", 1, 2, 3, 4));
        assertThrows(NullPointerException.class,
            () -> new ResultRow(IDS, "op", "µs", null, 1, 2, 3, 4, java.util.Map.of()));
    }

    @Test
    void everyFigureThatAppliesHasAnId()
    {
        final RowIds noRaw = RowIds.single("area.op", null, "python.op");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ResultRow.lower(noRaw, "op", "ns", 1, ResultRow.NONE, 3, 4));
        assertEquals("the raw Agrona/Chronicle figure of 'op' has no id", ex.getMessage());
        // A figure that does not apply needs none; one not measured in this run (NaN) keeps its id.
        assertEquals(Double.NaN, ResultRow.lower(noRaw, "op", "ns", 1, ResultRow.NONE, ResultRow.NONE,
            Double.NaN).python());
    }

    @Test
    void idsAreDottedLowerCaseWords()
    {
        assertEquals("pipe.journal.rtt.p50.busyspin", RowIds.waits("pipe.journal.rtt.p50", null, null).ipckitBusySpin());
        for (final String bad : new String[] {"pipe", "Pipe.rtt", "pipe..rtt", "pipe.rtt.", ".pipe", "pipe rtt.p50",
            "pipe-journal.rtt", "pipe.rtt.µs"})
        {
            assertThrows(IllegalArgumentException.class, () -> RowIds.single(bad, null, null), bad);
        }
        assertEquals("", RowIds.qualifier(8, 8, "b"));
        assertEquals(".64b", RowIds.qualifier(64, 8, "b"));
    }

    @Test
    void aHistogramBecomesACurveInMicroseconds()
    {
        final org.HdrHistogram.Histogram histogram = new org.HdrHistogram.Histogram(10_000_000_000L, 3);
        for (long nanos = 1_000; nanos <= 100_000; nanos += 1_000)
        {
            histogram.recordValue(nanos);
        }
        final LatencyCurve curve = LatencyCurve.micros(histogram);
        assertEquals(LatencyCurve.PERCENTILES.length, curve.points().size());
        assertEquals(1.0, curve.at(0), 0.01, "p0 is the smallest");
        assertEquals(50.0, curve.at(50), 0.1);
        assertEquals(99.0, curve.at(99), 0.1);
        assertEquals(100.0, curve.at(100), 0.1, "p100 is the largest");
    }

    @Test
    void curvesStayWithTheirFigure()
    {
        final LatencyCurve curve = LatencyCurve.parse("0:1.5,50:2,99.99:40,100:41");
        final ResultRow row = ResultRow.lower(IDS, "op", "µs", 2, 3, 1, 40).withCurve(Variant.PYTHON, curve);
        assertEquals(java.util.Map.of(Variant.PYTHON, curve), row.curves());
        assertEquals(2, curve.at(50));
        assertEquals(41, curve.at(100));
        assertThrows(IllegalArgumentException.class, () -> LatencyCurve.parse("50:2,0:1"));
        assertThrows(IllegalArgumentException.class, () -> LatencyCurve.parse("50=2"));
    }
}
