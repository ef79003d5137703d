package dev.ipckit.queue;

import dev.ipckit.sync.WaitStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * One blocked call's wait, reused by its thread: reads the clock only once the call has to wait, idles with the
 * queue's strategy, honours interruption. Not thread-safe: one per thread.
 */
final class TimedWait
{
    private final IdleStrategy idle;
    private long timeoutNanos;
    private boolean interruptible;
    private long start;

    TimedWait(final WaitStrategy strategy)
    {
        this.idle = strategy.newIdleStrategy();
    }

    /** Starts a call that may wait {@code timeoutNanos} ({@link Long#MAX_VALUE}: for ever; 0 or less: not at all). */
    TimedWait begin(final long timeoutNanos, final boolean interruptible)
    {
        this.timeoutNanos = timeoutNanos;
        this.interruptible = interruptible;
        this.start = 0;
        return this;
    }

    /** Time left; the whole timeout until the call first waits. */
    long remaining()
    {
        if (timeoutNanos == Long.MAX_VALUE || start == 0)
        {
            return timeoutNanos;
        }
        return timeoutNanos - (System.nanoTime() - start);
    }

    /** Whether the call has waited at least once (its clock runs). */
    boolean waiting()
    {
        return start != 0;
    }

    /**
     * Waits once.
     *
     * @return false when the time is up (or the call may not wait).
     * @throws InterruptedException when interruptible and interrupted.
     */
    boolean idle() throws InterruptedException
    {
        if (timeoutNanos <= 0)
        {
            return false;
        }
        if (start == 0)
        {
            start = System.nanoTime();
            idle.reset();
        }
        else if (remaining() <= 0)
        {
            return false;
        }
        idle.idle();
        if (interruptible && Thread.interrupted())
        {
            throw new InterruptedException();
        }
        return true;
    }
}
