package dev.ipckit.pool;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link DispatchPolicy} on its own, over worker slots without rings or processes: what the pool's scheduling does
 * could only be seen through worker JVMs before it was its own class.
 */
class DispatchPolicyTest
{
    private static final long MAX_PARK = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MICROS = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long MILLIS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void whileAWorkerStartsOrBeforeAnyResultAReadyWorkerTakesOnlyAFew()
    {
        final WorkerSlot[] slots = slots(2);
        slots[0].ready = true;
        final DispatchPolicy policy = new DispatchPolicy(slots, 0, MAX_PARK);
        assertEquals(DispatchPolicy.STARTING_IN_FLIGHT, policy.inFlightLimit(pending(100)), "the other is starting");
        slots[1].ready = true;
        assertEquals(DispatchPolicy.STARTING_IN_FLIGHT, policy.inFlightLimit(pending(100)), "no job has ended yet");
        assertEquals(-1, policy.jobNanos());
    }

    @Test
    void shortJobsStreamUpToTheMostInFlightAndLongOnesGoOneOrTwoAtATime()
    {
        final WorkerSlot[] slots = readySlots(2);
        final DispatchPolicy policy = new DispatchPolicy(slots, 0, MAX_PARK);
        policy.jobEnded(10 * MICROS);
        assertEquals(DispatchPolicy.MAX_IN_FLIGHT, policy.inFlightLimit(pending(100)), "10 µs jobs: 2 ms ahead is many");
        policy.jobEnded(0); // never below one job's worth: a zero run time still streams
        assertEquals(DispatchPolicy.MAX_IN_FLIGHT, policy.inFlightLimit(pending(100)));

        final DispatchPolicy longJobs = new DispatchPolicy(slots, 0, MAX_PARK);
        longJobs.jobEnded(500 * MICROS);
        assertEquals(5, longJobs.inFlightLimit(pending(100)), "1 + 2 ms / 0.5 ms");
        final DispatchPolicy veryLong = new DispatchPolicy(slots, 0, MAX_PARK);
        veryLong.jobEnded(30 * MILLIS);
        assertEquals(2, veryLong.inFlightLimit(pending(3)), "more jobs than workers wait: the next one goes ahead");
        assertEquals(1, veryLong.inFlightLimit(pending(2)), "the end of the queue: only an idle worker takes one");
    }

    @Test
    void howLongJobsRunIsTheLeastOfTheLastFourSoOneSlowJobDoesNotCount()
    {
        final DispatchPolicy policy = new DispatchPolicy(readySlots(1), 0, MAX_PARK);
        policy.jobEnded(100 * MICROS);
        policy.jobEnded(50 * MILLIS); // a GC pause
        assertEquals(100 * MICROS, policy.jobNanos());
        for (int i = 0; i < DispatchPolicy.RECENT_JOBS; i++)
        {
            policy.jobEnded(3 * MILLIS);
        }
        assertEquals(3 * MILLIS, policy.jobNanos(), "the short one has left the window");
        policy.jobEnded(-5); // a clock that went backwards counts as zero
        assertEquals(0, policy.jobNanos());
    }

    @Test
    void theLeastBusyReadyWorkerUnderItsLimitsGetsTheJob()
    {
        final WorkerSlot[] slots = readySlots(3);
        final DispatchPolicy policy = new DispatchPolicy(slots, 5, MAX_PARK);
        policy.jobEnded(10 * MICROS);
        give(slots[0], 3);
        give(slots[1], 1);
        give(slots[2], 2);
        assertSame(slots[1], policy.leastBusyReadyWorker(pending(10)));
        slots[1].dispatched = 5;
        assertSame(slots[2], policy.leastBusyReadyWorker(pending(10)), "one at maxTasksPerChild gets no more");
        give(slots[0], DispatchPolicy.MAX_IN_FLIGHT - 3);
        give(slots[2], DispatchPolicy.MAX_IN_FLIGHT - 2);
        assertNull(policy.leastBusyReadyWorker(pending(10)), "every worker full or retiring: the job waits");
    }

    @Test
    void aWorkerThatIsNotReadyGetsNothingAndTheOthersTakeOnlyAFewMeanwhile()
    {
        final WorkerSlot[] slots = slots(2);
        slots[0].ready = true;
        final DispatchPolicy policy = new DispatchPolicy(slots, 0, MAX_PARK);
        policy.jobEnded(10 * MICROS);
        give(slots[0], 1);
        assertSame(slots[0], policy.leastBusyReadyWorker(pending(10)), "the idle one is still starting");
        give(slots[0], 1);
        assertNull(policy.leastBusyReadyWorker(pending(10)), "STARTING_IN_FLIGHT reached: the rest wait for the other");
    }

    @Test
    void theDispatcherParksLongerTheFurtherTheNextResultIsAndNeverOutsideItsBounds()
    {
        final WorkerSlot[] slots = readySlots(2);
        final DispatchPolicy policy = new DispatchPolicy(slots, 0, MAX_PARK);
        final long now = 1_000 * MILLIS;
        assertFalse(policy.anyInFlight());
        assertEquals(MAX_PARK, policy.parkNanos(now), "nothing runs: the longest park");
        assertEquals(0, policy.nanosUntilResultDue(now), "no job length known yet");

        give(slots[0], 1);
        slots[0].headStartNanos = now - 8 * MILLIS;
        assertTrue(policy.anyInFlight());
        assertEquals(MILLIS, policy.parkNanos(now), "no length known: an eighth of how long it has run");

        policy.jobEnded(4 * MILLIS);
        slots[0].headStartNanos = now - MILLIS;
        assertEquals(3 * MILLIS, policy.nanosUntilResultDue(now));
        assertEquals(1500 * MICROS, policy.parkNanos(now), "half the time until it is due");
        slots[0].headStartNanos = now - 6 * MILLIS;
        assertEquals(0, policy.nanosUntilResultDue(now), "overdue");
        assertEquals(500 * MICROS, policy.parkNanos(now), "a quarter of how long past due it is");
        slots[0].headStartNanos = now - 4 * MILLIS;
        assertEquals(DispatchPolicy.MIN_PARK_NANOS, policy.parkNanos(now), "due now: the shortest park");
    }

    private static WorkerSlot[] slots(final int count)
    {
        final WorkerSlot[] slots = new WorkerSlot[count];
        for (int i = 0; i < count; i++)
        {
            slots[i] = new WorkerSlot(i, false, 0, 0, null, null);
        }
        return slots;
    }

    private static WorkerSlot[] readySlots(final int count)
    {
        final WorkerSlot[] slots = slots(count);
        for (final WorkerSlot slot : slots)
        {
            slot.ready = true;
        }
        return slots;
    }

    private static void give(final WorkerSlot slot, final int jobs)
    {
        for (int i = 0; i < jobs; i++)
        {
            slot.inFlight.addLast(new Job(i, 0, new byte[0], 0, Job.Helper.NONE));
        }
    }

    private static List<Object> pending(final int count)
    {
        return Collections.nCopies(count, "job");
    }
}
