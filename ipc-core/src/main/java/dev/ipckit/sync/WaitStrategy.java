package dev.ipckit.sync;

import dev.ipckit.platform.internal.TimedBackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * How a blocked caller waits for another process: spin, then yield, then park with exponential backoff. There is no
 * futex across JVMs, so a waiter polls; the park ceiling bounds how late it notices a release. A wait whose object
 * rings a doorbell (a pipe end, a queue) sleeps on it instead of parking, and is woken by the writer. Immutable.
 * <p>
 * The default spins for {@value #DEFAULT_SPIN_MICROS} µs, measured by the clock, not counted, before it yields and
 * sleeps: longer than waking a sleeping thread takes on the reference VMs (about 50 µs, up to 100 under load; a
 * spinning hand-off through shared memory costs 0.3). Spinning shorter than a wake-up lets two processes that answer
 * each other fall into step asleep: each reply wakes a peer that had already given up, so every round trip costs two
 * wake-ups (measured: 50 µs of spinning put a pipe round trip's p99 at 24-111 µs, 100 µs at 0.6-6 µs; 200 spins, the
 * old default, were 5 µs on this VM's EPYC and put it at 25-32 µs). The cost is up to 100 µs of one core per wait that
 * ends in a sleep; spinning is bounded, since on a 2-core machine an unbounded spinning waiter starves the very process
 * it waits for.
 */
public final class WaitStrategy implements Serializable
{
    private static final long serialVersionUID = 1L;

    /** How long the default strategy spins before it yields. */
    public static final long DEFAULT_SPIN_MICROS = 100;

    private static final WaitStrategy BACKOFF = new WaitStrategy(TimeUnit.MICROSECONDS.toNanos(DEFAULT_SPIN_MICROS),
        0, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
    private static final WaitStrategy BUSY_SPIN = new WaitStrategy(0, -1, 0, 0, 0);

    /** Spinning time of a timed strategy; 0 for one that counts its spins. */
    private final long spinNanos;
    private final int spins;
    private final int yields;
    private final long minParkNanos;
    private final long maxParkNanos;

    private WaitStrategy(
        final long spinNanos, final int spins, final int yields, final long minParkNanos, final long maxParkNanos)
    {
        this.spinNanos = spinNanos;
        this.spins = spins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    /**
     * The default: spins for {@value #DEFAULT_SPIN_MICROS} µs, yields 10 times, then parks from 1 µs doubling to
     * 200 µs, or sleeps until rung where the object rings.
     *
     * @return the default strategy.
     */
    public static WaitStrategy backoff()
    {
        return BACKOFF;
    }

    /**
     * Spin, yield, then park from {@code minPark} doubling up to {@code maxPark} (or sleep until rung where the object
     * rings): the spins counted, not timed.
     *
     * @param spins        busy spins before yielding.
     * @param yields       yields before parking.
     * @param minPark      first park, at least 1 ns.
     * @param maxPark      longest park, at least {@code minPark}.
     * @param unit         unit of the park times.
     * @return the strategy.
     */
    public static WaitStrategy backoff(
        final int spins, final int yields, final long minPark, final long maxPark, final TimeUnit unit)
    {
        final long min = unit.toNanos(minPark);
        final long max = unit.toNanos(maxPark);
        if (spins < 0 || yields < 0 || min < 1 || max < min)
        {
            throw new IllegalArgumentException("need spins >= 0, yields >= 0, 1 ns <= minPark <= maxPark: spins=" + spins +
                " yields=" + yields + " minPark=" + min + "ns maxPark=" + max + "ns");
        }
        return new WaitStrategy(0, spins, yields, min, max);
    }

    /**
     * Spin for {@code spin}, measured by the clock, yield {@code yields} times, then park from {@code minPark} doubling
     * up to {@code maxPark} (or sleep until rung where the object rings): the default's shape with other figures.
     *
     * @param spin    how long to spin, at least 1 µs.
     * @param yields  yields before parking.
     * @param minPark first park, at least 1 ns.
     * @param maxPark longest park, at least {@code minPark}.
     * @param unit    unit of the three times.
     * @return the strategy.
     */
    public static WaitStrategy spinFor(
        final long spin, final int yields, final long minPark, final long maxPark, final TimeUnit unit)
    {
        final long spinNanos = unit.toNanos(spin);
        final long min = unit.toNanos(minPark);
        final long max = unit.toNanos(maxPark);
        if (spinNanos < 1_000 || yields < 0 || min < 1 || max < min)
        {
            throw new IllegalArgumentException("need spin >= 1 µs, yields >= 0, 1 ns <= minPark <= maxPark: spin=" +
                spinNanos + "ns yields=" + yields + " minPark=" + min + "ns maxPark=" + max + "ns");
        }
        return new WaitStrategy(spinNanos, 0, yields, min, max);
    }

    /**
     * Never yields the CPU: the lowest latency, and on a machine with fewer free cores than spinning waiters, the
     * worst throughput. For benchmarks and dedicated cores.
     *
     * @return the busy-spin strategy.
     */
    public static WaitStrategy busySpin()
    {
        return BUSY_SPIN;
    }

    /**
     * A fresh idle strategy for one wait (idle strategies keep state and are not thread-safe).
     *
     * @return the idle strategy.
     */
    public IdleStrategy newIdleStrategy()
    {
        if (spins < 0)
        {
            return new BusySpinIdleStrategy();
        }
        // Counted spins too in ipckit's strategy, whose phases a wait can see: it sleeps on a doorbell, not in parks.
        return spinNanos > 0 ?
            new TimedBackoffIdleStrategy(spinNanos, yields, minParkNanos, maxParkNanos) :
            TimedBackoffIdleStrategy.counted(spins, yields, minParkNanos, maxParkNanos);
    }

    /**
     * Whether this strategy never parks ({@link #busySpin()}): a waiter then reads the clock on a fixed cadence of
     * looks throughout, instead of on every look once it parks.
     *
     * @return true for busy-spin.
     */
    public boolean isBusySpin()
    {
        return spins < 0;
    }

    @Override
    public String toString()
    {
        if (spins < 0)
        {
            return "busySpin";
        }
        return (spinNanos > 0 ? "spinFor(" + spinNanos + "ns" : "backoff(spins=" + spins) + ", yields=" + yields +
            ", park=" + minParkNanos + ".." + maxParkNanos + "ns)";
    }
}
