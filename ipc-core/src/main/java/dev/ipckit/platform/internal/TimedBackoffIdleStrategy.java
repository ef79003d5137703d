package dev.ipckit.platform.internal;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Agrona's {@link BackoffIdleStrategy} with its spinning measured in time instead of in spins: spin (with
 * {@link Thread#onSpinWait()}) for {@code spinNanos}, then yield {@code yields} times, then park from
 * {@code minParkNanos} doubling up to {@code maxParkNanos}.
 * <p>
 * Why time: a spin's cost differs tenfold between processors ({@code PAUSE} is about 3 ns on some, 25 ns on the
 * EPYC of the reference VMs, 40 ns on recent Intel), so a spin count that suits one is five microseconds on another,
 * shorter than the scheduler hiccups of a shared machine. A waiter should spin at least as long as waking it from a
 * sleep would cost (see {@code WaitStrategy}). The clock is read
 * every {@value #SPINS_PER_CLOCK_READ} spins (a read costs about as much as a spin).
 * <p>
 * {@link #counted} makes one that counts its spins as Agrona's does (a {@code WaitStrategy.backoff(spins, ...)}): the
 * same phases, so that a wait on such a strategy can sleep on a doorbell too.
 * <p>
 * {@link #isSpinning()} and {@link #isParking()} tell a {@link TimedWait} which phase comes next, so it can read its
 * own clock on the spinning cadence and replace parks with a doorbell sleep. Not thread-safe: one per waiting thread.
 */
public final class TimedBackoffIdleStrategy implements IdleStrategy
{
    /** Spins between two clock reads (a power of two). */
    static final int SPINS_PER_CLOCK_READ = 16;

    private static final int NOT_IDLE = 0;
    private static final int SPINNING = 1;
    private static final int YIELDING = 2;
    private static final int PARKING = 3;

    /** How long to spin; 0 when {@link #maxSpins} counts the spins instead. */
    private final long spinNanos;
    private final int maxSpins;
    private final int yields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private int state = NOT_IDLE;
    private long spinStart;
    private int spins;
    private int yielded;
    private long parkNanos;

    /**
     * @param spinNanos    how long to spin before yielding.
     * @param yields       how many yields before parking.
     * @param minParkNanos the first park.
     * @param maxParkNanos the longest park.
     */
    public TimedBackoffIdleStrategy(
        final long spinNanos, final int yields, final long minParkNanos, final long maxParkNanos)
    {
        this(spinNanos, 0, yields, minParkNanos, maxParkNanos);
    }

    /**
     * One that counts its spins, as Agrona's {@link BackoffIdleStrategy} does.
     *
     * @param spins        how many spins before yielding.
     * @param yields       how many yields before parking.
     * @param minParkNanos the first park.
     * @param maxParkNanos the longest park.
     * @return the strategy.
     */
    public static TimedBackoffIdleStrategy counted(
        final int spins, final int yields, final long minParkNanos, final long maxParkNanos)
    {
        return new TimedBackoffIdleStrategy(0, spins, yields, minParkNanos, maxParkNanos);
    }

    private TimedBackoffIdleStrategy(
        final long spinNanos, final int maxSpins, final int yields, final long minParkNanos, final long maxParkNanos)
    {
        this.spinNanos = spinNanos;
        this.maxSpins = maxSpins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        switch (state)
        {
            case NOT_IDLE:
                state = SPINNING;
                spins = 0;
                spinStart = spinNanos == 0 ? 0 : System.nanoTime();
                Thread.onSpinWait();
                break;
            case SPINNING:
                Thread.onSpinWait();
                if (spinNanos == 0 ? ++spins >= maxSpins :
                    (++spins & (SPINS_PER_CLOCK_READ - 1)) == 0 && System.nanoTime() - spinStart >= spinNanos)
                {
                    state = yields > 0 ? YIELDING : PARKING;
                    yielded = 0;
                    parkNanos = minParkNanos;
                }
                break;
            case YIELDING:
                Thread.yield();
                if (++yielded >= yields)
                {
                    state = PARKING;
                }
                break;
            default:
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos << 1, maxParkNanos);
                break;
        }
    }

    @Override
    public void reset()
    {
        state = NOT_IDLE;
    }

    /**
     * Whether the next {@link #idle()} spins.
     *
     * @return true before the first idle and while the spinning time lasts.
     */
    public boolean isSpinning()
    {
        return state <= SPINNING;
    }

    /**
     * Whether the next {@link #idle()} parks: the spins and yields are used up.
     *
     * @return true once parking.
     */
    public boolean isParking()
    {
        return state == PARKING;
    }

    @Override
    public String alias()
    {
        return "timed-backoff";
    }

    @Override
    public String toString()
    {
        return "TimedBackoffIdleStrategy{spin=" + (spinNanos == 0 ? maxSpins + " spins" : spinNanos + "ns") +
            ", yields=" + yields + ", park=" + minParkNanos + ".." + maxParkNanos + "ns}";
    }
}
