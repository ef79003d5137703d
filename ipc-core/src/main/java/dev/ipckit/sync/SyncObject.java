package dev.ipckit.sync;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.platform.Attachable;
import org.agrona.concurrent.AtomicBuffer;

import java.io.ObjectStreamException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What every shared synchronization object has: its region, directory entry and waiting configuration, and the
 * handle it travels as to other processes.
 */
abstract class SyncObject implements Attachable
{
    private static final long serialVersionUID = 1L;

    /** Default bound on how long a dead owner can keep a waiter waiting before it is taken over. */
    static final long DEFAULT_DEAD_OWNER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    final transient SharedRegion region;
    final transient RegionEntry entry;
    final transient WaitStrategy waitStrategy;
    final transient long deadOwnerCheckNanos;
    private final transient AtomicBuffer buffer;

    SyncObject(
        final SharedRegion region, final RegionEntry entry, final WaitStrategy waitStrategy, final long deadOwnerCheckNanos)
    {
        this.region = region;
        this.entry = entry;
        this.waitStrategy = waitStrategy;
        this.deadOwnerCheckNanos = deadOwnerCheckNanos;
        this.buffer = region.buffer();
    }

    /**
     * The region's buffer, checked: every operation and every poll of a wait starts here, so that one on a closed
     * region throws CLOSED instead of touching memory (see {@link SharedRegion#isClosed()}).
     *
     * @return the region's buffer.
     * @throws dev.ipckit.memory.RegionException CLOSED when the region is closed in this process.
     */
    final AtomicBuffer live()
    {
        if (region.isClosed())
        {
            throw closedError();
        }
        return buffer;
    }

    /** Whether the region is closed in this process, for {@code toString}, which must not throw. */
    final boolean regionClosed()
    {
        return region.isClosed();
    }

    RuntimeException closedError()
    {
        return region.closedError(getClass().getSimpleName() + " '" + name() + "'");
    }

    /**
     * The object's name in its region.
     *
     * @return the name.
     */
    public String name()
    {
        return entry.name();
    }

    /**
     * The region that holds the object.
     *
     * @return the region.
     */
    public SharedRegion region()
    {
        return region;
    }

    /**
     * How this view waits.
     *
     * @return the wait strategy.
     */
    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    static long checkInterval(final Duration interval)
    {
        if (interval == null || interval.isNegative() || interval.isZero())
        {
            throw new IllegalArgumentException("dead-owner check interval must be positive: " + interval);
        }
        return interval.toNanos();
    }

    /**
     * Serialization replaces the object with its handle (subclasses inherit this because it is not private).
     *
     * @return the handle.
     * @throws ObjectStreamException never.
     */
    protected final Object writeReplace() throws ObjectStreamException
    {
        return new SyncHandle(region, entry.name(), entry.type(), waitStrategy, deadOwnerCheckNanos);
    }
}
