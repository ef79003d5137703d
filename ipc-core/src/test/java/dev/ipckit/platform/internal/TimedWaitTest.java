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
        int roundsWithoutAllocation = 0;
        // The first rounds warm up and may allocate while compiling; after the other tests of this class ran other
        // idle strategies through the same code, a deoptimization in a later round allocated 136 bytes once, under
        // load. An allocation per miss would be megabytes per round.
        for (int round = 0; round < 8; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            wait.begin(TimedWait.FOREVER, TimeUnit.MICROSECONDS.toNanos(1), TimedWait.Interrupts.THROW, "x");
            for (int i = 0; i < 100_000; i++)
            {
                wait.miss();
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round >= 3)
            {
                assertTrue(allocated < 1024, "bytes allocated by 100,000 misses in round " + round + ": " + allocated);
                roundsWithoutAllocation += allocated == 0 ? 1 : 0;
            }
        }
        assertTrue(roundsWithoutAllocation > 0, "some round of 100,000 misses allocated nothing");
    }

    @Test
    void aWaitWhoseConditionRingsSleepsOnABellInsteadOfParking() throws InterruptedException
    {
        final StubRinger ringer = new StubRinger();
        final TimedWait wait = new TimedWait(new TimedBackoffIdleStrategy(1_000, 0, 1_000, 200_000), false);
        wait.begin(TimeUnit.MILLISECONDS.toNanos(300), TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, "x", ringer);
        int misses = 0;
        while (wait.miss() == TimedWait.LOOK)
        {
            misses++;
        }
        wait.end();
        assertNotEquals(0, ringer.lastBell, "the ringer was asked to ring a bell");
        // Parks of at most 200 µs would take thousands of misses in 300 ms; sleeps of up to 100 ms take a handful.
        assertTrue(misses < 300, misses + " misses");
        assertTrue(wait.sleeps() >= 2, wait.sleeps() + " sleeps");
        assertEquals(ringer.asked, ringer.withdrawn, "every ask was withdrawn by the end");
    }

    @Test
    void aRingEndsTheSleepAndTheWaitLooksAgain() throws Exception
    {
        final StubRinger ringer = new StubRinger();
        final TimedWait wait = new TimedWait(new TimedBackoffIdleStrategy(1_000, 0, 1_000, 200_000), false);
        final java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
        final Thread writer = new Thread(() ->
        {
            while (ringer.holding == 0)
            {
                Thread.onSpinWait();
            }
            final int bell = ringer.holding;
            // Long enough for the waiter to look once more and fall asleep; far shorter than its 100 ms sleep.
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            ready.set(true);
            Doorbells.ring(bell);
        });
        wait.begin(TimedWait.FOREVER, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, "x", ringer);
        writer.start();
        while (!ready.get())
        {
            wait.miss();
        }
        wait.end();
        writer.join();
        assertEquals(1, wait.sleeps(), "one sleep");
        assertEquals(1, wait.rungSleeps(), "the ring ended it, not its 100 ms limit");
    }

    @Test
    void aRingerThatCannotTakeTheBellLeavesTheWaitParking() throws InterruptedException
    {
        final StubRinger ringer = new StubRinger();
        ringer.answer = BellRinger.LOOK_AGAIN_SOON;
        final TimedWait wait = new TimedWait(new TimedBackoffIdleStrategy(1_000, 0, 1_000, 1_000), false);
        wait.begin(TimeUnit.MILLISECONDS.toNanos(50), TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, "x", ringer);
        while (wait.miss() == TimedWait.LOOK)
        {
            // parks of 1 µs
        }
        wait.end();
        assertEquals(0, wait.sleeps());
        assertTrue(ringer.asked > 0);
        assertEquals(0, ringer.withdrawn, "nothing to withdraw: it never took the bell");
    }

    /** Takes the bell and records it; rings nothing by itself. */
    private static final class StubRinger implements BellRinger
    {
        long answer = TimeUnit.SECONDS.toNanos(10);
        volatile int holding;
        int lastBell;
        int asked;
        int withdrawn;

        @Override
        public long ringWhenReady(final int bell)
        {
            asked++;
            lastBell = bell;
            if (answer != LOOK_AGAIN_SOON)
            {
                holding = bell;
            }
            return answer;
        }

        @Override
        public void stopRinging(final int bell)
        {
            withdrawn++;
            holding = 0;
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
