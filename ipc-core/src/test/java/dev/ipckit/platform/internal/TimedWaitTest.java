package dev.ipckit.platform.internal;

import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TimedWait}, the one waiting loop: timeouts, the periodic check's cadence, the three interrupt policies, the
 * clock read only every {@value TimedWait#CHECK_EVERY} misses while spinning, and no allocation per miss.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimedWaitTest
{
    private final CountingIdle idle = new CountingIdle();

    @AfterEach
    void clearInterrupt()
    {
        Thread.interrupted();
    }

    @Test
    void aZeroTimeoutEndsAtTheFirstMissWithoutIdling() throws InterruptedException
    {
        final TimedWait wait = new TimedWait(idle, false).begin(0, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, "x");
        assertEquals(TimedWait.TIMED_OUT, wait.miss());
        assertEquals(0, idle.idles);
        assertFalse(wait.waited());
        assertEquals(0, wait.remaining());
    }

    @Test
    void aTimeoutEndsTheWaitAndTheClockIsReadOnlyEverySixteenthMissWhileSpinning() throws InterruptedException
    {
        final TimedWait wait = new TimedWait(idle, true)
            .begin(TimeUnit.MILLISECONDS.toNanos(20), TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, "x");
        int misses = 0;
        int result;
        do
        {
            result = wait.miss();
            misses++;
        }
        while (result == TimedWait.LOOK);
        assertEquals(TimedWait.TIMED_OUT, result);
        assertEquals(0, misses % TimedWait.CHECK_EVERY, "a busy-spin wait ends on a clock read: every 16th miss");
        assertTrue(wait.waited());
        assertTrue(wait.remaining() <= 0);
    }

    @Test
    void theCheckIsDueOncePerPeriodAndTheWaitGoesOnAfterIt() throws InterruptedException
    {
        final long period = TimeUnit.MILLISECONDS.toNanos(5);
        final TimedWait wait = new TimedWait(idle, false)
            .begin(TimedWait.FOREVER, period, TimedWait.Interrupts.THROW, "x");
        final long start = System.nanoTime();
        int checks = 0;
        while (checks < 3)
        {
            final int result = wait.miss();
            assertNotEquals(TimedWait.TIMED_OUT, result, "a wait for ever never times out");
            if (result == TimedWait.CHECK)
            {
                checks++;
                assertTrue(System.nanoTime() - start >= checks * period, "check " + checks + " came before its period");
            }
        }
        assertEquals(TimedWait.FOREVER, wait.remaining());
    }

    @Test
    void throwThrowsAtTheNextClockReadWithTheWaitNamedAndTheFlagCleared()
    {
        final TimedWait wait = new TimedWait(idle, false)
            .begin(TimedWait.FOREVER, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, "the answer");
        Thread.currentThread().interrupt();
        final InterruptedException thrown = assertThrows(InterruptedException.class, () ->
        {
            for (int i = 0; i < TimedWait.CHECK_EVERY; i++)
            {
                wait.miss();
            }
        });
        assertTrue(thrown.getMessage().contains("the answer"), thrown.getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
        assertThrows(IllegalStateException.class, wait::missUninterruptibly, "a throwing wait cannot be missed without");
    }

    @Test
    void deferGoesOnWaitingAndEndSetsTheFlagAgain()
    {
        final TimedWait wait = new TimedWait(idle, false)
            .begin(TimedWait.FOREVER, TimedWait.NO_CHECK, TimedWait.Interrupts.DEFER, "x");
        Thread.currentThread().interrupt();
        for (int i = 0; i < 100; i++)
        {
            assertEquals(TimedWait.LOOK, wait.missUninterruptibly());
        }
        assertFalse(Thread.currentThread().isInterrupted(), "cleared while waiting, so parks park");
        wait.end();
        assertTrue(Thread.interrupted(), "set again when the call ends");
        wait.end();
        assertFalse(Thread.currentThread().isInterrupted(), "once");
    }

    @Test
    void reportReturnsInterruptedAndLetsTheCallerDecide()
    {
        final TimedWait wait = new TimedWait(idle, false)
            .begin(TimedWait.FOREVER, TimedWait.NO_CHECK, TimedWait.Interrupts.REPORT, "x");
        Thread.currentThread().interrupt();
        int result = TimedWait.LOOK;
        for (int i = 0; i < TimedWait.CHECK_EVERY && result == TimedWait.LOOK; i++)
        {
            result = wait.missUninterruptibly();
        }
        assertEquals(TimedWait.INTERRUPTED, result);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aMissAllocatesNothing() throws InterruptedException
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final TimedWait wait = new TimedWait(idle, false);
        for (int round = 0; round < 3; round++) // the first rounds warm up (and may allocate while compiling)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            wait.begin(TimedWait.FOREVER, TimeUnit.MICROSECONDS.toNanos(1), TimedWait.Interrupts.THROW, "x");
            for (int i = 0; i < 100_000; i++)
            {
                wait.miss();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2)
            {
                assertEquals(0, allocated, "bytes allocated by 100,000 misses");
            }
        }
    }

    /** Counts idles; never parks. */
    private static final class CountingIdle implements IdleStrategy
    {
        int idles;

        @Override
        public void idle(final int workCount)
        {
            if (workCount <= 0)
            {
                idle();
            }
        }

        @Override
        public void idle()
        {
            idles++;
        }

        @Override
        public void reset()
        {
        }
    }
}
