package dev.ipckit.memory;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.MappedByteBuffer;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Unmaps closed regions after a linger period, as Aeron's client lingers log buffers before unmapping them.
 * <p>
 * {@link SharedRegion#close()} marks the region closed at once, and every ipckit object checks that mark before it
 * touches the buffer: a call that starts after the close throws {@code RegionException} (CLOSED) and touches nothing.
 * A call that passed its check just before another thread's close still reads and writes the region's own pages,
 * because the mapping stays for {@link #LINGER_MILLIS}; only then is the buffer pointed at address 0 with capacity 0
 * (a straggler fails Agrona's bounds check, or faults at address 0 without it) and the mapping released. So no access through a closed region ever lands in
 * memory that is not the region's: not the heap, not a later mapping at the same address.
 */
final class Unmapper
{
    /** How long a closed region's pages stay mapped: far longer than any single access between check and use. */
    static final long LINGER_MILLIS = 1000;

    private static final ScheduledThreadPoolExecutor EXECUTOR = newExecutor();
    /** Guards {@link #pending}; waited on by {@link #awaitPending}. */
    private static final Object PENDING_LOCK = new Object();
    /** Unmaps scheduled and not yet done. */
    private static int pending;

    private Unmapper()
    {
    }

    /**
     * Unmaps {@code mapped} after the linger period.
     *
     * @param buffer the closed region's buffer.
     * @param mapped its mapping.
     */
    static void unmapLater(final UnsafeBuffer buffer, final MappedByteBuffer mapped)
    {
        synchronized (PENDING_LOCK)
        {
            pending++;
        }
        EXECUTOR.schedule(() -> unmapNow(buffer, mapped), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until every unmap scheduled so far is done: for {@link MappingBudget}, which counts a closed region's
     * mapping as given back only once it is unmapped, before it refuses a region.
     *
     * @param timeoutMillis how long to wait at most.
     * @return true when unmaps were pending and all are done now (so a retry may find room), false otherwise.
     */
    static boolean awaitPending(final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (PENDING_LOCK)
        {
            if (pending == 0)
            {
                return false;
            }
            long left;
            while (pending > 0 && (left = deadline - System.nanoTime()) > 0)
            {
                try
                {
                    PENDING_LOCK.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return pending == 0;
        }
    }

    private static void unmapNow(final UnsafeBuffer buffer, final MappedByteBuffer mapped)
    {
        // Address 0 from now on: a straggler that skipped every check faults at once instead of reaching whatever is
        // mapped at the old address next.
        buffer.wrap(0L, 0);
        try
        {
            MappingBudget.unmap(mapped);   // unmaps and gives the mapping back to the budget
        }
        finally
        {
            synchronized (PENDING_LOCK)
            {
                pending--;
                PENDING_LOCK.notifyAll();
            }
        }
    }

    private static ScheduledThreadPoolExecutor newExecutor()
    {
        final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable ->
        {
            final Thread thread = new Thread(runnable, "ipckit-region-unmapper");
            thread.setDaemon(true);
            return thread;
        });
        executor.setKeepAliveTime(LINGER_MILLIS * 2, TimeUnit.MILLISECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
