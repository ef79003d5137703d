package dev.ipckit.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResultRowTest
{
    @Test
    void factoriesSayWhichWayIsBetter()
    {
        assertEquals(ResultRow.Better.LOWER, ResultRow.lower("op", "µs", 1, 2, 3, 4).better());
        assertEquals(ResultRow.Better.HIGHER, ResultRow.higher("op", "k msg/s", 1, 2, 3, 4).better());
    }

    @Test
    void aRowNeedsAnOperationAndAUnit()
    {
        assertThrows(IllegalArgumentException.class, () -> ResultRow.lower(" ", "µs", 1, 2, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> ResultRow.lower("op", "", 1, 2, 3, 4));
        assertThrows(NullPointerException.class, () -> new ResultRow("op", "µs", null, 1, 2, 3, 4));
    }
}
