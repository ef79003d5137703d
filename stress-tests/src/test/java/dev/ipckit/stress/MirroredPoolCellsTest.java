package dev.ipckit.stress;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The pool size that covers a jcstress stride, and how the gate reads the stride it passes on. */
class MirroredPoolCellsTest
{
    @Test
    void aStrideGetsThePowerOfTwoThatCoversItsStatesWithTheEstimatorsMargin()
    {
        assertEquals(16_384, MirroredPool.cellsFor(256, 40), "the default stride: 12,288 states at most");
        assertEquals(1_024, MirroredPool.cellsFor(64, 10), "the short pass: 768");
        assertEquals(1_024, MirroredPool.cellsFor(1, 1), "never fewer than a termination pool");
        assertEquals(2_048, MirroredPool.cellsFor(64, 20), "1,536");
        assertThrows(IllegalArgumentException.class, () -> MirroredPool.cellsFor(256, 80));
    }

    @Test
    void theGateReadsTheStrideFromTheOptions()
    {
        final List<String> options = List.of("-sc", "false", "-strideSize", "64", "-strideCount", "10");
        assertEquals(64, JcstressGate.optionValue(options, "-strideSize", 256));
        assertEquals(10, JcstressGate.optionValue(options, "-strideCount", 40));
        assertEquals(40, JcstressGate.optionValue(List.of(), "-strideCount", 40));
        assertThrows(IllegalArgumentException.class,
            () -> JcstressGate.optionValue(List.of("-strideSize"), "-strideSize", 256));
    }
}
