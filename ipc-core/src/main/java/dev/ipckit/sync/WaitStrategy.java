package dev.ipckit.sync;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * How a blocked caller waits for another process: spin, then yield, then park with exponential backoff (Agrona's
 * {@link BackoffIdleStrategy}). There is no futex across JVMs, so a waiter polls; the park ceiling bounds how late
 * it notices a release. Immutable.
 * <p>
 * On a 2-core machine an unbounded spinning waiter starves the very process it waits for, so the default spins only
 * briefly: a cross-CPU wake-up through the kernel costs about 47 µs on the reference VMs, a spinning hand-off through
 * shared memory about 0.3 µs.
 */
public final class WaitStrategy implements Serializable
{
    private static final long serialVersionUID = 1L;

    private static final WaitStrategy BACKOFF = new WaitStrategy(
        200, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(200));
    private static final WaitStrategy BUSY_SPIN = new WaitStrategy(-1, 0, 0, 0);

    private final int spins;
    private final int yields;
    private final long minParkNanos;
    private final long maxParkNanos;

    private WaitStrategy(final int spins, final int yields, final long minParkNanos, final long maxParkNanos)
    {
        this.spins = spins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    /**
     * The default: 200 spins, 20 yields, then parks from 1 µs doubling to 200 µs.
     *
     * @return the default strategy.
     */
    public static WaitStrategy backoff()
    {
        return BACKOFF;
    }

    /**
     * Spin, yield, then park from {@code minPark} doubling up to {@code maxPark}.
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
        return new WaitStrategy(spins, yields, min, max);
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
        return spins < 0 ? new BusySpinIdleStrategy() : new BackoffIdleStrategy(spins, yields, minParkNanos, maxParkNanos);
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
        return spins < 0 ? "busySpin" :
            "backoff(spins=" + spins + ", yields=" + yields + ", park=" + minParkNanos + ".." + maxParkNanos + "ns)";
    }
}
