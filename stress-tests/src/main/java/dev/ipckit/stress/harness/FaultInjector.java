package dev.ipckit.stress.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Injects faults into a workload's participants on its own thread: SIGKILL and SIGSTOP, each as a Poisson process of
 * its rate, and SIGCONT after a random pause of up to the maximum. Targets are chosen among the live participants
 * the supplier names at that moment; a stopped process is not chosen again (nor killed) until it is continued.
 * <p>
 * The random source is seeded: the same seed gives the same sequence of decisions (which kind of fault, which
 * participant by position, how long a pause), not the same timing, since participants start and die at the pace
 * of the machine.
 */
final class FaultInjector implements AutoCloseable
{
    private static final long MIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Random random;
    private final double killRate;
    private final double stopRate;
    private final long maxPauseNanos;
    private final Supplier<List<Long>> targets;
    private final PriorityQueue<long[]> stopped = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private final AtomicLong kills = new AtomicLong();
    private final AtomicLong stops = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param name      the workload, for the thread name.
     * @param seed      the seed.
     * @param killRate  SIGKILLs per second.
     * @param stopRate  SIGSTOPs per second.
     * @param maxPause  the longest pause between SIGSTOP and SIGCONT, in nanoseconds.
     * @param targets   the pids that may be hit now.
     */
    FaultInjector(final String name, final long seed, final double killRate, final double stopRate,
        final long maxPause, final Supplier<List<Long>> targets)
    {
        this.random = new Random(seed);
        this.killRate = killRate;
        this.stopRate = stopRate;
        this.maxPauseNanos = Math.max(MIN_PAUSE_NANOS, maxPause);
        this.targets = targets;
        this.thread = new Thread(this::run, "stress-faults-" + name);
        this.thread.setDaemon(true);
    }

    FaultInjector start()
    {
        thread.start();
        return this;
    }

    long kills()
    {
        return kills.get();
    }

    long stops()
    {
        return stops.get();
    }

    /**
     * Stops injecting and continues every stopped participant; waits for the thread (bounded).
     */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        synchronized (stopped)
        {
            while (!stopped.isEmpty())
            {
                Signals.resume(stopped.poll()[1]);
            }
        }
    }

    private void run()
    {
        final double rate = killRate + stopRate;
        long nextFault = rate > 0 ? System.nanoTime() + interval(rate) : Long.MAX_VALUE;
        while (running)
        {
            final long now = System.nanoTime();
            resumeDue(now);
            if (now - nextFault >= 0)
            {
                inject(random.nextDouble() * rate < killRate);
                nextFault = now + interval(rate);
            }
            LockSupport.parkNanos(IDLE_NANOS);
        }
    }

    /** The exponentially distributed time to the next fault of a Poisson process of this rate. */
    private long interval(final double rate)
    {
        return (long)(-Math.log(1 - random.nextDouble()) / rate * 1e9);
    }

    private void inject(final boolean kill)
    {
        final int pick = random.nextInt(Integer.MAX_VALUE);
        final long pause = MIN_PAUSE_NANOS + (long)(random.nextDouble() * (maxPauseNanos - MIN_PAUSE_NANOS));
        final List<Long> candidates = new ArrayList<>(targets.get());
        synchronized (stopped)
        {
            for (final long[] entry : stopped)
            {
                candidates.remove(Long.valueOf(entry[1]));
            }
        }
        if (candidates.isEmpty())
        {
            return;
        }
        final long pid = candidates.get(pick % candidates.size());
        if (kill)
        {
            // Counted before the signal: whoever sees the process die must already see the kill counted.
            kills.incrementAndGet();
            if (!Signals.kill(pid))
            {
                kills.decrementAndGet();
            }
        }
        else if (Signals.stop(pid))
        {
            stops.incrementAndGet();
            synchronized (stopped)
            {
                stopped.add(new long[] {System.nanoTime() + pause, pid});
            }
        }
    }

    private void resumeDue(final long now)
    {
        while (true)
        {
            final long pid;
            synchronized (stopped)
            {
                final long[] first = stopped.peek();
                if (first == null || now - first[0] < 0)
                {
                    return;
                }
                pid = stopped.poll()[1];
            }
            Signals.resume(pid);
        }
    }
}
