package dev.ipckit.platform.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TimedBackoffIdleStrategy}: spins for a time (or a count, {@link TimedBackoffIdleStrategy#counted}), then
 * yields a count, then parks; reset starts over.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimedBackoffIdleStrategyTest
{
    @Test
    void itSpinsUntilItsTimeIsUpThenYieldsThenParks()
    {
        final long spinNanos = TimeUnit.MILLISECONDS.toNanos(20);
        final TimedBackoffIdleStrategy idle = new TimedBackoffIdleStrategy(spinNanos, 3, 1_000, 4_000);
        assertTrue(idle.isSpinning());
        final long start = System.nanoTime();
        long idles = 0;
        while (idle.isSpinning())
        {
            idle.idle();
            idles++;
        }
        final long spun = System.nanoTime() - start;
        assertTrue(spun >= spinNanos, "it spun until its time was up: " + spun + " ns");
        assertTrue(idles > TimedBackoffIdleStrategy.SPINS_PER_CLOCK_READ, "many spins: " + idles);
        assertFalse(idle.isParking(), "yields come first");
        for (int i = 0; i < 3; i++)
        {
            assertFalse(idle.isParking(), "yield " + i);
            idle.idle();
        }
        assertTrue(idle.isParking(), "after three yields it parks");
        idle.idle();
        assertTrue(idle.isParking());
        idle.reset();
        assertTrue(idle.isSpinning(), "reset starts over");
        assertFalse(idle.isParking());
    }

    @Test
    void theCountedFormSpinsItsCountThenYieldsThenParks()
    {
        final TimedBackoffIdleStrategy idle = TimedBackoffIdleStrategy.counted(5, 2, 1_000, 1_000);
        int spins = 0;
        while (idle.isSpinning())
        {
            idle.idle();
            spins++;
        }
        assertEquals(6, spins, "the first idle starts the spinning, then five spins");
        idle.idle();
        assertFalse(idle.isParking(), "one yield of two");
        idle.idle();
        assertTrue(idle.isParking(), "after two yields it parks");
        idle.reset();
        assertTrue(idle.isSpinning(), "reset starts over");
    }

    @Test
    void withoutYieldsItParksRightAfterSpinning()
    {
        final TimedBackoffIdleStrategy idle = new TimedBackoffIdleStrategy(1_000, 0, 1_000, 1_000);
        while (idle.isSpinning())
        {
            idle.idle();
        }
        assertTrue(idle.isParking());
    }

    @Test
    void workResetsAndNoWorkIdles()
    {
        final TimedBackoffIdleStrategy idle = new TimedBackoffIdleStrategy(1_000, 0, 1_000, 1_000);
        while (idle.isSpinning())
        {
            idle.idle(0);
        }
        idle.idle(1);
        assertTrue(idle.isSpinning());
    }
}
