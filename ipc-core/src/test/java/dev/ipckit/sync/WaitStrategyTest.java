package dev.ipckit.sync;

import dev.ipckit.platform.internal.TimedBackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@link WaitStrategy}: the default spins for a time, the counted and busy-spin forms, and what bad figures say. */
class WaitStrategyTest
{
    @Test
    void theDefaultSpinsForATimeAndTheCountedFormCountsInAStrategyWhosePhasesAWaitSees()
    {
        assertInstanceOf(TimedBackoffIdleStrategy.class, WaitStrategy.backoff().newIdleStrategy());
        assertTrue(WaitStrategy.backoff().toString().startsWith("spinFor(100000ns"), WaitStrategy.backoff().toString());
        // Counted spins in ipckit's strategy too: a wait on it can sleep on a doorbell once it would park.
        final TimedBackoffIdleStrategy counted = (TimedBackoffIdleStrategy)
            WaitStrategy.backoff(200, 20, 1, 200, TimeUnit.MICROSECONDS).newIdleStrategy();
        assertTrue(counted.toString().contains("200 spins"), counted.toString());
        assertInstanceOf(BusySpinIdleStrategy.class, WaitStrategy.busySpin().newIdleStrategy());
        assertInstanceOf(TimedBackoffIdleStrategy.class,
            WaitStrategy.spinFor(10, 5, 1, 100, TimeUnit.MICROSECONDS).newIdleStrategy());
        assertFalse(WaitStrategy.backoff().isBusySpin());
        assertTrue(WaitStrategy.busySpin().isBusySpin());
    }

    @Test
    void badFiguresAreRefusedWithTheFigures()
    {
        final IllegalArgumentException shortSpin = assertThrows(IllegalArgumentException.class,
            () -> WaitStrategy.spinFor(999, 1, 1, 2, TimeUnit.NANOSECONDS));
        assertTrue(shortSpin.getMessage().contains("spin=999ns"), shortSpin.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WaitStrategy.spinFor(10, -1, 1, 2, TimeUnit.MICROSECONDS));
        assertThrows(IllegalArgumentException.class, () -> WaitStrategy.spinFor(10, 1, 3, 2, TimeUnit.MICROSECONDS));
    }
}
