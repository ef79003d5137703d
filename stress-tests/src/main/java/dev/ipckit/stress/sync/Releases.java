package dev.ipckit.stress.sync;

import dev.ipckit.sync.SharedSemaphore;

/** Releasing a bounded semaphore, recording a refusal as a result instead of an error. */
final class Releases
{
    private Releases()
    {
    }

    /**
     * Releases one permit.
     *
     * @return true when the bounded semaphore refused the release with {@link IllegalStateException}.
     */
    static boolean refused(final SharedSemaphore semaphore)
    {
        try
        {
            semaphore.release();
            return false;
        }
        catch (final IllegalStateException expected)
        {
            return true;
        }
    }
}
