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
        EXECUTOR.schedule(() -> unmapNow(buffer, mapped), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void unmapNow(final UnsafeBuffer buffer, final MappedByteBuffer mapped)
    {
        // Address 0 from now on: a straggler that skipped every check faults at once instead of reaching whatever is
        // mapped at the old address next.
        buffer.wrap(0L, 0);
        MappingBudget.unmap(mapped);   // unmaps and gives the mapping back to the budget
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
