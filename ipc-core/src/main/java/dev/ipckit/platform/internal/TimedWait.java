package dev.ipckit.platform.internal;

import org.agrona.concurrent.IdleStrategy;

/**
 * The one waiting loop of ipckit (AQS's lesson: one acquire loop, the sites supply the condition). A waiting call
 * looks at its condition itself and, after each look that finds it false, calls {@link #miss()}, which owns the rest:
 * when to read the clock, the timeout, the cadence of the call's periodic check (is a lock's owner alive, has a
 * barrier party died), the interrupt policy, and the idle strategy between looks.
 * <pre>{@code
 * final TimedWait wait = new TimedWait(strategy.newIdleStrategy(), strategy.isBusySpin());
 * wait.begin(timeoutNanos, checkPeriodNanos, TimedWait.Interrupts.THROW, "a shared lock");
 * while (!tryAcquire()) {
 *     switch (wait.miss()) {
 *         case TimedWait.CHECK -> takeOverIfOwnerDied();
 *         case TimedWait.TIMED_OUT -> { return false; }
 *         default -> { } // LOOK: it idled; look again
 *     }
 * }
 * }</pre>
 * The clock is read only once a call misses (a call that never waits pays nothing), then, while the wait is still
 * spinning (its first {@value #SPIN_MISSES} misses, or always with a busy-spin strategy), every
 * {@value #CHECK_EVERY}-th miss: a clock read costs more than a spin. Once it parks, every miss reads it (a park is
 * far longer). The timeout, the periodic check and the interrupt are looked at only when the clock is read, so a wait
 * ends at most {@value #CHECK_EVERY} idles late. Not thread-safe: one per waiting thread; reusable with
 * {@link #begin}. Allocation-free.
 */
public final class TimedWait
{
    /** {@link #miss()}: it idled; look at the condition again. */
    public static final int LOOK = 0;
    /** {@link #miss()}: the call's periodic check is due; run it, then look again (no idle happened). */
    public static final int CHECK = 1;
    /** {@link #miss()}: the time is up (a zero or negative timeout is up at the first miss). */
    public static final int TIMED_OUT = 2;
    /** {@link #miss()}: the thread was interrupted, with {@link Interrupts#REPORT} only; the flag is cleared. */
    public static final int INTERRUPTED = 3;

    /** {@link #step()}: interrupted, with {@link Interrupts#THROW}. */
    private static final int MUST_THROW = -1;

    /** A timeout that never ends. */
    public static final long FOREVER = Long.MAX_VALUE;
    /** A periodic check that is never due. */
    public static final long NO_CHECK = Long.MAX_VALUE;

    /** While spinning, the clock is read every this many misses (a power of two). */
    static final int CHECK_EVERY = 16;
    /** Misses counted as spinning: about the spins and yields of the default strategy before it parks. */
    static final int SPIN_MISSES = 256;

    /** What an interrupt does to the wait. */
    public enum Interrupts
    {
        /** {@link #miss()} throws {@link InterruptedException}. */
        THROW,
        /** The wait goes on; {@link #end()} sets the thread's flag again (an uninterruptible wait). */
        DEFER,
        /** {@link #miss()} returns {@link #INTERRUPTED}; the caller decides. */
        REPORT
    }

    private final IdleStrategy idle;
    private final boolean busySpin;
    private long timeoutNanos;
    private long periodNanos;
    private Interrupts interrupts;
    private Object waitingFor;
    private long start;
    private long lastCheck;
    private int misses;
    private boolean deferredInterrupt;

    /**
     * @param idle     how to idle between looks.
     * @param busySpin whether {@code idle} never parks (the clock is then read every {@value #CHECK_EVERY} misses
     *                 throughout).
     */
    public TimedWait(final IdleStrategy idle, final boolean busySpin)
    {
        this.idle = idle;
        this.busySpin = busySpin;
    }

    /**
     * Starts a call's wait. Reads no clock.
     *
     * @param timeoutNanos how long the call may wait; {@link #FOREVER}; zero or less: not at all.
     * @param periodNanos  how often {@link #CHECK} is due, the first time one period after the first miss;
     *                     {@link #NO_CHECK} for never.
     * @param interrupts   what an interrupt does.
     * @param waitingFor   what is waited for: its {@code toString()} names it in the {@link InterruptedException}'s
     *                     message (called only then, so a call that is not interrupted builds no string).
     * @return this.
     */
    public TimedWait begin(
        final long timeoutNanos, final long periodNanos, final Interrupts interrupts, final Object waitingFor)
    {
        this.timeoutNanos = timeoutNanos;
        this.periodNanos = periodNanos;
        this.interrupts = interrupts;
        this.waitingFor = waitingFor;
        this.misses = 0;
        this.deferredInterrupt = false;
        return this;
    }

    /**
     * After a look that found the condition false: decides what comes next, idling when that is to look again.
     *
     * @return {@link #LOOK}, {@link #CHECK}, {@link #TIMED_OUT} or {@link #INTERRUPTED}.
     * @throws InterruptedException when interrupted, with {@link Interrupts#THROW}.
     */
    public int miss() throws InterruptedException
    {
        final int next = step();
        if (next == MUST_THROW)
        {
            throw new InterruptedException("interrupted while waiting for " + waitingFor);
        }
        return next;
    }

    /**
     * {@link #miss()} for a wait begun with {@link Interrupts#DEFER} or {@link Interrupts#REPORT}, which never throws
     * {@link InterruptedException}.
     *
     * @return {@link #LOOK}, {@link #CHECK}, {@link #TIMED_OUT} or {@link #INTERRUPTED}.
     * @throws IllegalStateException when the wait was begun with {@link Interrupts#THROW}.
     */
    public int missUninterruptibly()
    {
        if (interrupts == Interrupts.THROW)
        {
            throw new IllegalStateException("a wait that throws on interrupt must call miss()");
        }
        return step();
    }

    private int step()
    {
        if (misses == 0)
        {
            if (timeoutNanos <= 0)
            {
                return TIMED_OUT;
            }
            start = System.nanoTime();
            lastCheck = start;
            idle.reset();
        }
        final int missed = ++misses;
        if (missed < CHECK_EVERY || ((busySpin || missed < SPIN_MISSES) && (missed & (CHECK_EVERY - 1)) != 0))
        {
            idle.idle();
            return LOOK;
        }
        final long now = System.nanoTime();
        if (periodNanos != NO_CHECK && now - lastCheck >= periodNanos)
        {
            lastCheck = now;
            return CHECK;
        }
        if (timeoutNanos != FOREVER && now - start >= timeoutNanos)
        {
            return TIMED_OUT;
        }
        if (Thread.interrupted())
        {
            switch (interrupts)
            {
                case THROW:
                    return MUST_THROW;
                case REPORT:
                    return INTERRUPTED;
                default:
                    deferredInterrupt = true;
                    break;
            }
        }
        idle.idle();
        return LOOK;
    }

    /**
     * The time the call has left: the whole timeout until its first miss.
     *
     * @return nanoseconds, {@link #FOREVER} for no limit.
     */
    public long remaining()
    {
        if (timeoutNanos == FOREVER || misses == 0)
        {
            return timeoutNanos;
        }
        return timeoutNanos - (System.nanoTime() - start);
    }

    /**
     * Whether the call has missed at least once (its clock runs).
     *
     * @return true after the first {@link #miss()}.
     */
    public boolean waited()
    {
        return misses != 0;
    }

    /** Ends the call: an interrupt deferred by {@link Interrupts#DEFER} is set on the thread again. */
    public void end()
    {
        if (deferredInterrupt)
        {
            deferredInterrupt = false;
            Thread.currentThread().interrupt();
        }
    }
}
