package dev.ipckit.sync;

import dev.ipckit.platform.internal.TimedWait;

import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition on shared memory with a {@link WaitStrategy}, in the one waiting loop ({@link TimedWait}):
 * there is no futex across JVMs, so a waiter polls, and the strategy decides how much CPU that costs.
 */
final class Polling
{
    private Polling()
    {
    }

    /**
     * Polls {@code done} until it is true, the timeout passes, or the thread is interrupted.
     *
     * @param timeoutNanos how long; {@link Long#MAX_VALUE} for ever; zero or less checks once.
     * @param waitingFor   what is waited for, named by an {@link InterruptedException}.
     * @return true when {@code done} became true, false on timeout.
     * @throws InterruptedException when interrupted while waiting.
     */
    static boolean await(
        final BooleanSupplier done, final WaitStrategy strategy, final long timeoutNanos, final Object waitingFor)
        throws InterruptedException
    {
        if (done.getAsBoolean())
        {
            return true;
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before waiting for " + waitingFor);
        }
        final TimedWait wait = new TimedWait(strategy.newIdleStrategy(), strategy.isBusySpin())
            .begin(timeoutNanos, TimedWait.NO_CHECK, TimedWait.Interrupts.THROW, waitingFor);
        while (!done.getAsBoolean())
        {
            if (wait.miss() == TimedWait.TIMED_OUT)
            {
                return false;
            }
        }
        return true;
    }
}
