package dev.ipckit.pool;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The pool dispatcher's scheduling policy, apart from its rings and processes so that it can be tested on its own:
 * which ready worker gets the next job, how many jobs a worker may have at once (judged by how long recent jobs ran),
 * and how long the dispatcher may park while workers run. Used by the dispatcher's thread only.
 */
final class DispatchPolicy
{
    /** The most jobs a worker has at once (short jobs). */
    static final int MAX_IN_FLIGHT = 8;
    /** Jobs a ready worker is handed ahead while other workers are still starting, and before any job has ended. */
    static final int STARTING_IN_FLIGHT = 2;
    /**
     * A worker is handed about this much work ahead of the job it runs, judged by recent jobs' lengths: short jobs
     * stream (up to {@link #MAX_IN_FLIGHT}), jobs longer than this go one at a time, so that at the end of a map no
     * job waits behind a long one while another worker idles.
     */
    static final long AHEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How many jobs' run times judge how long jobs run. */
    static final int RECENT_JOBS = 4;
    /** The shortest park while workers run. */
    static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final WorkerSlot[] slots;
    private final int maxTasksPerChild;
    private final long maxParkNanos;
    /** The run times in their workers of the last {@link #RECENT_JOBS} jobs, a ring. */
    private final long[] recentJobNanos = new long[RECENT_JOBS];
    private long jobsEnded;
    /**
     * How long jobs run: the least of the recent run times, so that one job slowed by a GC pause or a preemption
     * does not make the dispatcher park as if jobs were long; -1 before the first result.
     */
    private long jobNanos = -1;

    /**
     * @param slots            the pool's workers.
     * @param maxTasksPerChild jobs a worker runs before it is replaced, 0 for no limit: it is handed no more.
     * @param maxParkNanos     the longest park (the dispatcher's liveness check period).
     */
    DispatchPolicy(final WorkerSlot[] slots, final int maxTasksPerChild, final long maxParkNanos)
    {
        this.slots = slots;
        this.maxTasksPerChild = maxTasksPerChild;
        this.maxParkNanos = maxParkNanos;
    }

    /** @return how long jobs run, as judged; -1 before the first result. */
    long jobNanos()
    {
        return jobNanos;
    }

    /**
     * How long until the first worker's job is due to end, from the recent jobs' length; 0 if one is overdue or
     * nothing is known yet.
     */
    long nanosUntilResultDue(final long now)
    {
        if (jobNanos < 0)
        {
            return 0;
        }
        long until = Long.MAX_VALUE;
        for (final WorkerSlot slot : slots)
        {
            if (!slot.inFlight.isEmpty())
            {
                until = Math.min(until, slot.headStartNanos + jobNanos - now);
            }
        }
        return Math.max(0, until);
    }

    /**
     * How long to park while workers run their jobs, the least over the workers of: half the time until a job is
     * due (so the wakes thin out while no job is near its end, and come close together when one is), a quarter of
     * how long past due it is, an eighth of how long it has run while no job length is known; between
     * {@link #MIN_PARK_NANOS} and the dispatcher's longest park, which keeps the liveness checks going. Each wake of
     * this thread can preempt a worker (on a 2-CPU VM a preemption cost a CPU-bound task ~20 µs).
     */
    long parkNanos(final long now)
    {
        long park = maxParkNanos;
        for (final WorkerSlot slot : slots)
        {
            if (slot.inFlight.isEmpty())
            {
                continue;
            }
            final long running = now - slot.headStartNanos;
            if (jobNanos < 0)
            {
                park = Math.min(park, running / 8);
            }
            else if (running < jobNanos)
            {
                park = Math.min(park, (jobNanos - running) / 2);
            }
            else
            {
                park = Math.min(park, (running - jobNanos) / 4);
            }
        }
        return Math.max(MIN_PARK_NANOS, park);
    }

    boolean anyInFlight()
    {
        for (final WorkerSlot slot : slots)
        {
            if (!slot.inFlight.isEmpty())
            {
                return true;
            }
        }
        return false;
    }

    WorkerSlot leastBusyReadyWorker(final Iterable<?> pending)
    {
        final int inFlightLimit = inFlightLimit(pending);
        WorkerSlot best = null;
        final int maxTasks = maxTasksPerChild;
        for (final WorkerSlot slot : slots)
        {
            if (!slot.ready || slot.inFlight.size() >= inFlightLimit ||
                (maxTasks > 0 && slot.dispatched >= maxTasks))
            {
                continue;
            }
            if (best == null || slot.inFlight.size() < best.inFlight.size())
            {
                best = slot;
            }
        }
        return best;
    }

    /**
     * How many jobs a worker may have. While workers are still starting and before the first result: few (a ready
     * worker leaves the rest for the others). Short jobs: the one it runs plus about {@link #AHEAD_NANOS} of work,
     * so that they stream. Long jobs: the one it runs and its next, so that it goes on without waiting for this
     * thread; but at the end of the queue only an idle worker takes one, so that no job waits behind a long one
     * while another worker idles.
     */
    int inFlightLimit(final Iterable<?> pending)
    {
        for (final WorkerSlot slot : slots)
        {
            if (!slot.ready)
            {
                return STARTING_IN_FLIGHT;
            }
        }
        if (jobNanos < 0)
        {
            return STARTING_IN_FLIGHT;
        }
        if (jobNanos < AHEAD_NANOS)
        {
            return (int)Math.min(MAX_IN_FLIGHT, 1 + AHEAD_NANOS / Math.max(1, jobNanos));
        }
        return morePendingThan(pending, slots.length) ? 2 : 1;
    }

    private static boolean morePendingThan(final Iterable<?> pending, final int count)
    {
        int seen = 0;
        for (final Iterator<?> it = pending.iterator(); it.hasNext() && seen <= count; it.next())
        {
            seen++;
        }
        return seen > count;
    }

    /** A job ended after running this long in its worker. */
    void jobEnded(final long runNanos)
    {
        recentJobNanos[(int)(jobsEnded++ % RECENT_JOBS)] = Math.max(0, runNanos);
        long least = Long.MAX_VALUE;
        for (int i = 0, n = (int)Math.min(jobsEnded, RECENT_JOBS); i < n; i++)
        {
            least = Math.min(least, recentJobNanos[i]);
        }
        jobNanos = least;
    }
}
