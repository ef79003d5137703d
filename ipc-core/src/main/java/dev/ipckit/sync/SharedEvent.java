package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.wait.internal.RingingWaitable;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A flag that processes wait for (Python's {@code multiprocessing.Event}): {@link #set()} wakes every waiter and
 * lets later waiters through until {@link #clear()}. Writes made before {@code set()} are visible to a waiter that
 * sees the event set (the set is a volatile store, the wait an acquire load).
 * <p>
 * No process owns an event, so a dead process strands nobody: a waiter waits until the event is set or its timeout
 * passes.
 * <p>
 * The event word counts the sets as well as holding the flag, so a waiter that was already waiting when the event
 * was set wakes even if another process clears it again before the waiter looks (as {@code threading.Event} does).
 * <pre>
 * Slot layout: one long at offset 0, (number of clear-to-set transitions) &lt;&lt; 1 | flag
 * </pre>
 */
public final class SharedEvent extends SyncObject implements RingingWaitable
{
    private static final long serialVersionUID = 1L;

    static
    {
        SlotLayout.requireFits(ObjectType.EVENT, Long.BYTES); // one word at the slot's start
    }

    private final transient AtomicBuffer buffer;
    private final transient int offset;

    private SharedEvent(final SharedRegion region, final RegionEntry entry, final WaitStrategy waitStrategy)
    {
        super(region, entry, waitStrategy, DEFAULT_DEAD_OWNER_CHECK_NANOS);
        this.buffer = region.buffer();
        this.offset = entry.offset();
    }

    /**
     * Creates a cleared event; fails if the name exists.
     *
     * @param region the region.
     * @param name   the event's name.
     * @return the event.
     */
    public static SharedEvent create(final SharedRegion region, final String name)
    {
        return new SharedEvent(region, region.allocate(name, ObjectType.EVENT, 1, 0, null), WaitStrategy.backoff());
    }

    /**
     * Opens an existing event.
     *
     * @param region the region.
     * @param name   the event's name.
     * @return the event.
     */
    public static SharedEvent open(final SharedRegion region, final String name)
    {
        return new SharedEvent(region, region.find(name, ObjectType.EVENT), WaitStrategy.backoff());
    }

    /**
     * Opens the event, or creates it cleared.
     *
     * @param region the region.
     * @param name   the event's name.
     * @return the event.
     */
    public static SharedEvent openOrCreate(final SharedRegion region, final String name)
    {
        return new SharedEvent(region, region.findOrAllocate(name, ObjectType.EVENT, 1, 0, null), WaitStrategy.backoff());
    }

    /**
     * The same event, waiting with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same event.
     */
    public SharedEvent withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedEvent(region, entry, Objects.requireNonNull(strategy, "strategy"));
    }

    /** Sets the flag; publishes every write made before it to the waiters that see it (the CAS is volatile). */
    public void set()
    {
        while (true)
        {
            final long word = live().getLongVolatile(offset);
            if ((word & 1) != 0)
            {
                return;
            }
            if (live().compareAndSetLong(offset, word, (((word >>> 1) + 1) << 1) | 1))
            {
                region.waiters().wake(offset);
                return;
            }
        }
    }

    /** Clears the flag. */
    public void clear()
    {
        while (true)
        {
            final long word = live().getLongVolatile(offset);
            if ((word & 1) == 0 || live().compareAndSetLong(offset, word, word & ~1L))
            {
                return;
            }
        }
    }

    /**
     * Whether the event is set, for {@link dev.ipckit.wait.Waiting#any}: {@link #isSet()}.
     *
     * @return true when set.
     */
    @Override
    public boolean isReady()
    {
        return isSet();
    }

    /**
     * Internal, for {@link dev.ipckit.wait.Waiting}: {@link #set()} rings the bell.
     *
     * @param bell the waiter's bell id.
     * @return {@code ONLY_WHEN_RUNG}, or {@code LOOK_AGAIN_SOON} when the region's waiter table is full.
     */
    @Override
    public long ringWhenReady(final int bell)
    {
        live();
        return region.waiters().add(offset, bell) ? ONLY_WHEN_RUNG : LOOK_AGAIN_SOON;
    }

    /**
     * Internal, for {@link dev.ipckit.wait.Waiting}.
     *
     * @param bell the waiter's bell id.
     */
    @Override
    public void stopRinging(final int bell)
    {
        if (!region.isClosed())
        {
            region.waiters().remove(offset, bell);
        }
    }

    /**
     * @return whether the flag is set.
     */
    public boolean isSet()
    {
        return (live().getLongAcquire(offset) & 1) != 0;
    }

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    public void await() throws InterruptedException
    {
        awaitSet(Long.MAX_VALUE);
    }

    /**
     * Waits until the flag is set or the timeout passes (negative counts as zero).
     *
     * @param timeout how long.
     * @param unit    its unit.
     * @return whether the flag was set, or was set and cleared again, during the wait (Python's
     *         {@code wait(timeout)} result).
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return awaitSet(RobustMutex.toNanos(timeout, unit));
    }

    private boolean awaitSet(final long timeoutNanos) throws InterruptedException
    {
        // Acquire loads: a waiter that sees the flag, or a later set count, sees what the setter wrote before.
        final long before = live().getLongAcquire(offset);
        return Polling.await(() ->
        {
            final long word = live().getLongAcquire(offset);
            return (word & 1) != 0 || (word >>> 1) != (before >>> 1);
        }, waitStrategy, timeoutNanos, this);
    }

    @Override
    public String toString()
    {
        if (regionClosed())
        {
            return "SharedEvent{" + name() + ", region closed}";
        }
        return "SharedEvent{" + name() + ", " + (isSet() ? "set" : "clear") + "}";
    }
}
