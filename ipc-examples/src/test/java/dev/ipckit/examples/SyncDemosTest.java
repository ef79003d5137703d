package dev.ipckit.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.ipckit.examples.DemoOutput.*;
import static org.junit.jupiter.api.Assertions.*;

/** The synchronization lessons run, and their output shows the facts they teach, children's lines included. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SyncDemosTest
{
    @Test
    void lockKeepsCriticalSectionsApartAndLosesNoUpdate() throws Exception
    {
        final String out = capture(LockDemo::run);
        assertEquals(6, count(out, "\\[worker-\\d pid=\\d+\\] round \\d: holds the lock, 1 inside"), out);
        assertHas(out, "most processes inside the critical section at once: 1");
        assertHas(out, "counter = 30000 (expected 30000)");
    }

    @Test
    void rlockHoldCountRisesAndFallsAndAPlainLockRefusesItsHolder() throws Exception
    {
        final String out = capture(RLockDemo::run);
        for (final String child : new String[] {"recursive-1", "recursive-2"})
        {
            assertFinds(out, "\\[" + child + " pid=\\d+\\] level 1: took the RLock, hold count 3");
            assertFinds(out, "\\[" + child + " pid=\\d+\\] level 1: released it, hold count 2");
            assertFinds(out, "\\[" + child + " pid=\\d+\\] level 3: released it, hold count 0");
        }
        assertHas(out, "a plain SharedLock taken again by its holder: IllegalStateException");
    }

    @Test
    void semaphoreAdmitsAtMostItsPermitsAtOnce() throws Exception
    {
        final String out = capture(SemaphoreDemo::run);
        assertEquals(4, count(out, "\\[worker-\\d pid=\\d+\\] got a permit: [12] inside"), out);
        final int most = Integer.parseInt(group(out, "most processes inside at once: (\\d+) \\(limit 2\\)"));
        assertTrue(most >= 1 && most <= SemaphoreDemo.PERMITS, out);
        assertHas(out, "permits after everyone left: 2");
    }

    @Test
    void eventReleasesEveryWaiterAndATimedWaitOnAClearedEventFails() throws Exception
    {
        final String out = capture(EventDemo::run);
        assertEquals(2, count(out, "\\[waiter-\\d pid=\\d+\\] waiting for the event \\(isSet=false\\)"), out);
        assertEquals(2, count(out, "\\[waiter-\\d pid=\\d+\\] the event is set: going on"), out);
        assertHas(out, "both waiters went on; isSet=true");
        assertHas(out, "cleared: isSet=false; await(100 ms) returned false");
    }

    @Test
    void conditionWakesWaitingConsumersAndEachTakesOneItem() throws Exception
    {
        final String out = capture(ConditionDemo::run);
        assertEquals(2, count(out, "\\[consumer-\\d pid=\\d+\\] waiting for stock \\(stock=0\\)"), out);
        assertEquals(2, count(out, "\\[producer pid=\\d+\\] made item \\d \\(stock=1\\): signalAll"), out);
        assertEquals(2, count(out, "\\[consumer-\\d pid=\\d+\\] woken with stock: took an item, 0 left"), out);
        assertHas(out, "every consumer got an item; stock left: 0");
    }

    @Test
    void barrierReleasesThePartiesTogetherAfterItsActionRanOnce() throws Exception
    {
        final String out = capture(BarrierDemo::run);
        assertEquals(1, count(out, "\\[party-\\d pid=\\d+\\] barrier action: all 3 parties arrived"), out);
        for (int index = 0; index < 3; index++)
        {
            assertEquals(1, count(out, "passed the barrier \\(arrival index " + index + "\\); parties done with " +
                "phase 1: 3 of 3"), out);
        }
        assertHas(out, "the barrier tripped 1 time(s); broken: false");
    }
}
