package dev.ipckit.sync;

import org.agrona.concurrent.IdleStrategy;

import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition on shared memory with a {@link WaitStrategy}: there is no futex across JVMs, so a waiter
 * polls, and the strategy decides how much CPU that costs.
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
     * @return true when {@code done} became true, false on timeout.
     * @throws InterruptedException when interrupted while waiting.
     */
    static boolean await(final BooleanSupplier done, final WaitStrategy strategy, final long timeoutNanos)
        throws InterruptedException
    {
        if (done.getAsBoolean())
        {
            return true;
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        final long start = System.nanoTime();
        final IdleStrategy idle = strategy.newIdleStrategy();
        while (true)
        {
            if (timeoutNanos != Long.MAX_VALUE && System.nanoTime() - start >= timeoutNanos)
            {
                return done.getAsBoolean();
            }
            idle.idle();
            if (done.getAsBoolean())
            {
                return true;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException();
            }
        }
    }
}
