package dev.ipckit.stress.sync;

import dev.ipckit.sync.SharedSemaphore;

/** Resets a pooled semaphore to a number of permits with its own public operations. */
final class Permits
{
    private Permits()
    {
    }

    /**
     * Brings {@code semaphore} to exactly {@code permits} available permits. Called from a state constructor, when
     * no actor uses the semaphore.
     */
    static void reset(final SharedSemaphore semaphore, final long permits)
    {
        long available = semaphore.availablePermits();
        if (available > permits && !semaphore.tryAcquire(available - permits))
        {
            throw new IllegalStateException("cannot reset " + semaphore + " to " + permits + " permits");
        }
        if (available < permits)
        {
            semaphore.release(permits - available);
        }
        available = semaphore.availablePermits();
        if (available != permits)
        {
            throw new IllegalStateException("reset " + semaphore + " to " + permits + " permits, found " + available);
        }
    }
}
