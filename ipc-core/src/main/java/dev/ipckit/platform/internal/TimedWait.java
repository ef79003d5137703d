package dev.ipckit.platform.internal;

import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.util.concurrent.TimeUnit;

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
 * ends at most {@value #CHECK_EVERY} idles late. With a {@link TimedBackoffIdleStrategy} "spinning" is that
 * strategy's spinning time, whatever the number of misses.
 * <p>
 * A sleep instead of parks: a call whose condition can ring a doorbell ({@link BellRinger}: a pipe end, a queue) passes
 * it to {@link #begin(long, long, Interrupts, Object, BellRinger)}. Once a {@link TimedBackoffIdleStrategy} has
 * spun and yielded, the wait takes a {@link Doorbell}, asks the ringer to ring it and returns {@link #LOOK} (the
 * caller's look comes after that fence, so a writer either sees the bell or wrote before the look); the next miss
 * sleeps on the bell until a writer rings it, the ringer's period passes, or at most {@value #LONGEST_SLEEP_MILLIS}
 * ms, the timeout or the next periodic check, whichever is first. A writer that rings wakes the waiter in one
 * kernel wake-up instead of at the end of a park that had grown to hundreds of microseconds. Where no bell can be
 * had, or the ringer cannot take one, the parks go on as before. Not thread-safe: one per waiting thread; reusable
 * with {@link #begin}. Allocation-free (a bell comes from {@link Doorbells}' pool and goes back at {@link #end()}).
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
    /** Misses counted as spinning with an idle strategy whose phase is unknown: about Agrona's default spins. */
    static final int SPIN_MISSES = 256;
    /** The longest doorbell sleep: a ring lost to a writer killed between its CAS and its byte costs no more. */
    static final long LONGEST_SLEEP_MILLIS = 100;
    private static final long LONGEST_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(LONGEST_SLEEP_MILLIS);

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
    /** {@link #idle} when it is one: its phase says when the wait spins and when it would park. */
    private final TimedBackoffIdleStrategy timedIdle;
    private final boolean busySpin;
    private long timeoutNanos;
    private long periodNanos;
    private Interrupts interrupts;
    private Object waitingFor;
    private long start;
    private long lastCheck;
    private int misses;
    private boolean deferredInterrupt;
    /** What rings this call's bell; null for none, or once bells failed. */
    private BellRinger ringer;
    /** The bell of this call's sleeps, taken at the first one, given back at {@link #end()}. */
    private Doorbell bell;
    /** Whether the ringer holds the bell now (asked, not yet withdrawn). */
    private boolean ringing;
    /** What the ringer answered: the longest sleep without a ring. */
    private long ringerSleepNanos;
    /** Sleeps on the bell so far, and how many of them a ring ended (for tests: counts, not times). */
    private long sleeps;
    private long rungSleeps;

    /**
     * @param idle     how to idle between looks.
     * @param busySpin whether {@code idle} never parks (the clock is then read every {@value #CHECK_EVERY} misses
     *                 throughout).
     */
    public TimedWait(final IdleStrategy idle, final boolean busySpin)
    {
        this.idle = idle;
        this.timedIdle = idle instanceof TimedBackoffIdleStrategy ? (TimedBackoffIdleStrategy)idle : null;
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
        return begin(timeoutNanos, periodNanos, interrupts, waitingFor, null);
    }

    /**
     * Starts a call's wait whose condition can ring a doorbell: once spun and yielded, the wait sleeps until rung
     * (see the class comment). Reads no clock. {@link #end()} must follow.
     *
     * @param timeoutNanos how long the call may wait; {@link #FOREVER}; zero or less: not at all.
     * @param periodNanos  how often {@link #CHECK} is due; {@link #NO_CHECK} for never.
     * @param interrupts   what an interrupt does.
     * @param waitingFor   what is waited for, named in the {@link InterruptedException}.
     * @param ringer       what rings the bell when the condition may have changed; null for parks only.
     * @return this.
     */
    public TimedWait begin(
        final long timeoutNanos, final long periodNanos, final Interrupts interrupts, final Object waitingFor,
        final BellRinger ringer)
    {
        this.ringer = ringer;
        this.ringing = false;
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
        if (missed < CHECK_EVERY || (isSpinning() && (missed & (CHECK_EVERY - 1)) != 0))
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
        if (ringer != null && timedIdle != null && timedIdle.isParking())
        {
            sleepOnBell(now);
            return LOOK;
        }
        idle.idle();
        return LOOK;
    }

    /**
     * Instead of a park: takes a bell and has the ringer hold it (the caller then looks once more), or, when it
     * holds it already and that look missed, sleeps on it and withdraws it.
     */
    private void sleepOnBell(final long now)
    {
        if (bell == null)
        {
            bell = Doorbells.acquire();
            if (bell == null)
            {
                ringer = null; // no bells in this JVM: parks, for this call
                idle.idle();
                return;
            }
            try
            {
                bell.drain(); // a ring meant for an earlier wait would end the first sleep for nothing
            }
            catch (final IOException | ClosedSelectorException ex)
            {
                discardBell();
                idle.idle();
                return;
            }
        }
        if (!ringing)
        {
            final long allowed = ringer.ringWhenReady(bell.id());
            if (allowed == BellRinger.LOOK_AGAIN_SOON)
            {
                idle.idle(); // its waiter table is full: a park, and ask again next time
                return;
            }
            ringing = true;
            ringerSleepNanos = allowed;
            return; // the caller looks after the fence ringWhenReady made
        }
        long sleep = Math.min(ringerSleepNanos, LONGEST_SLEEP_NANOS);
        if (timeoutNanos != FOREVER)
        {
            sleep = Math.min(sleep, timeoutNanos - (now - start));
        }
        if (periodNanos != NO_CHECK)
        {
            sleep = Math.min(sleep, periodNanos - (now - lastCheck));
        }
        try
        {
            if (sleep > 0)
            {
                sleeps++;
                if (bell.sleep(sleep))
                {
                    rungSleeps++;
                }
            }
        }
        catch (final IOException | ClosedSelectorException ex)
        {
            stopRinging();
            discardBell();
            return;
        }
        stopRinging();
    }

    private void stopRinging()
    {
        if (ringing)
        {
            ringing = false;
            ringer.stopRinging(bell.id());
        }
    }

    /** A bell whose socket or selector failed: closed, and this call parks from now on. */
    private void discardBell()
    {
        Doorbells.discard(bell);
        bell = null;
        ringer = null;
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
     * Whether the wait still spins, so its looks come a few nanoseconds apart: false once it yields, parks or sleeps
     * (a caller may then do per look what it does only every so many looks while spinning, such as reading a clock).
     *
     * @return true while spinning.
     */
    public boolean isSpinning()
    {
        return busySpin || (timedIdle != null ? timedIdle.isSpinning() : misses < SPIN_MISSES);
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

    /** Sleeps on a doorbell so far, over every call of this wait. */
    long sleeps()
    {
        return sleeps;
    }

    /** Of {@link #sleeps()}, those a ring ended. */
    long rungSleeps()
    {
        return rungSleeps;
    }

    /** Ends the call: an interrupt deferred by {@link Interrupts#DEFER} is set on the thread again. */
    public void end()
    {
        if (bell != null)
        {
            stopRinging();
            Doorbells.release(bell);
            bell = null;
        }
        ringer = null;
        if (deferredInterrupt)
        {
            deferredInterrupt = false;
            Thread.currentThread().interrupt();
        }
    }
}
