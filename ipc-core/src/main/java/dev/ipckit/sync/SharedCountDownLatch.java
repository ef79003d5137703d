package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import org.agrona.concurrent.AtomicBuffer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link java.util.concurrent.CountDownLatch} across processes: waiters pass once the count reaches zero. Writes
 * made before a {@link #countDown()} are visible to a waiter that passes (the decrement is a CAS, the wait an
 * acquire load). A process that dies before counting down leaves the latch short: waiters use timeouts.
 */
public final class SharedCountDownLatch extends SyncObject
{
    private static final long serialVersionUID = 1L;

    static
    {
        SlotLayout.requireFits(ObjectType.COUNT_DOWN_LATCH, Long.BYTES); // one word at the slot's start
    }

    private final transient AtomicBuffer buffer;
    private final transient int offset;

    private SharedCountDownLatch(final SharedRegion region, final RegionEntry entry, final WaitStrategy waitStrategy)
    {
        super(region, entry, waitStrategy, DEFAULT_DEAD_OWNER_CHECK_NANOS);
        this.buffer = region.buffer();
        this.offset = entry.offset();
    }

    /**
     * Creates a latch; fails if the name exists.
     *
     * @param region the region.
     * @param name   the latch's name.
     * @param count  the count, zero or more.
     * @return the latch.
     */
    public static SharedCountDownLatch create(final SharedRegion region, final String name, final long count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count must be zero or more: " + count);
        }
        return new SharedCountDownLatch(region,
            region.allocate(name, ObjectType.COUNT_DOWN_LATCH, 1, 0, (b, o, l) -> b.putLong(o, count)), WaitStrategy.backoff());
    }

    /**
     * Opens an existing latch.
     *
     * @param region the region.
     * @param name   the latch's name.
     * @return the latch.
     */
    public static SharedCountDownLatch open(final SharedRegion region, final String name)
    {
        return new SharedCountDownLatch(region, region.find(name, ObjectType.COUNT_DOWN_LATCH), WaitStrategy.backoff());
    }

    /**
     * The same latch, waiting with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same latch.
     */
    public SharedCountDownLatch withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedCountDownLatch(region, entry, Objects.requireNonNull(strategy, "strategy"));
    }

    /** Decrements the count unless it is already zero. */
    public void countDown()
    {
        while (true)
        {
            final long count = live().getLongVolatile(offset);
            if (count == 0 || live().compareAndSetLong(offset, count, count - 1))
            {
                return;
            }
        }
    }

    /**
     * @return the current count.
     */
    public long getCount()
    {
        return live().getLongVolatile(offset);
    }

    /**
     * Waits until the count reaches zero.
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    public void await() throws InterruptedException
    {
        Polling.await(() -> live().getLongAcquire(offset) == 0, waitStrategy, Long.MAX_VALUE, this);
    }

    /**
     * Waits until the count reaches zero or the timeout passes (negative counts as zero).
     *
     * @param timeout how long.
     * @param unit    its unit.
     * @return true when the count reached zero.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return Polling.await(() -> live().getLongAcquire(offset) == 0, waitStrategy, RobustMutex.toNanos(timeout, unit), this);
    }

    @Override
    public String toString()
    {
        if (regionClosed())
        {
            return "SharedCountDownLatch{" + name() + ", region closed}";
        }
        return "SharedCountDownLatch{" + name() + ", count=" + getCount() + "}";
    }
}
