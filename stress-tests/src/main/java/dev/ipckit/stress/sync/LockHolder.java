package dev.ipckit.stress.sync;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived thread that locks and later unlocks shared locks for termination tests. A shared lock belongs to
 * the thread that locked it, and jcstress gives no guarantee that a state's constructor and its {@code @Signal} run
 * on the same thread, so neither may hold the lock: this thread does, for every state, and each request waits for
 * it to finish so that a failure surfaces as a test error.
 */
final class LockHolder
{
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "ipckit-lock-holder");
        thread.setDaemon(true);
        return thread;
    });

    private LockHolder()
    {
    }

    /** Runs {@code action} on the holder thread and waits for it (bounded: the holder never blocks for long). */
    static void run(final Runnable action)
    {
        final Future<?> done = THREAD.submit(action);
        try
        {
            done.get(30, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("lock holder failed: " + ex.getCause(), ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the lock holder", ex);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("lock holder did not answer within 30 s", ex);
        }
    }
}
