package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A reentrant lock in a shared region (Python's {@code multiprocessing.RLock}, with
 * {@link java.util.concurrent.locks.ReentrantLock}'s reentrancy): the holding thread may lock it again and must
 * unlock it as often. Process death is handled as by {@link SharedLock}: the next locker takes a dead owner's lock
 * over within the dead-owner check interval, with a fresh hold count of 1, and {@link #previousOwnerDied()} says so.
 */
public final class SharedRLock extends OwnedLock
{
    private static final long serialVersionUID = 1L;

    /** Bytes of a lock slot: what a value or array reserves for its own lock. */
    public static final int SLOT_LENGTH = RobustMutex.LENGTH;

    private SharedRLock(
        final SharedRegion region, final RegionEntry entry, final WaitStrategy waitStrategy, final long deadOwnerCheckNanos)
    {
        super(region, entry, waitStrategy, deadOwnerCheckNanos);
    }

    /**
     * Creates an unlocked lock; fails if the name exists.
     *
     * @param region the region.
     * @param name   the lock's name.
     * @return the lock.
     */
    public static SharedRLock create(final SharedRegion region, final String name)
    {
        return of(region, region.allocate(name, ObjectType.RLOCK, 1, 0, null));
    }

    /**
     * Opens an existing lock, checking its type.
     *
     * @param region the region.
     * @param name   the lock's name.
     * @return the lock.
     */
    public static SharedRLock open(final SharedRegion region, final String name)
    {
        return of(region, region.find(name, ObjectType.RLOCK));
    }

    /**
     * Opens the lock, or creates it unlocked.
     *
     * @param region the region.
     * @param name   the lock's name.
     * @return the lock.
     */
    public static SharedRLock openOrCreate(final SharedRegion region, final String name)
    {
        return of(region, region.findOrAllocate(name, ObjectType.RLOCK, 1, 0, null));
    }

    /**
     * The lock allocated together with a value or array (Python's {@code get_lock()}): a view of that object's lock
     * slot.
     *
     * @param region the region.
     * @param entry  the directory entry of an object created with a lock.
     * @return the lock.
     * @throws IllegalArgumentException when the object was created without a lock (a raw value).
     */
    public static SharedRLock guarding(final SharedRegion region, final RegionEntry entry)
    {
        if (!entry.hasLock())
        {
            throw new IllegalArgumentException(
                "'" + entry.name() + "' (" + entry.type() + ") was created without a lock (a raw value)");
        }
        return of(region, new RegionEntry(entry.name(), entry.type(), entry.lockOffset(), 1, RobustMutex.LENGTH, 0));
    }

    /**
     * Where this lock's state starts in its region: what a value created under this lock records
     * ({@code SharedLong.create(region, name, initial, lock)}), so that every process finds the same lock.
     *
     * @return the byte offset of the lock's slot.
     */
    public int slotOffset()
    {
        return entry.offset();
    }

    private static SharedRLock of(final SharedRegion region, final RegionEntry entry)
    {
        return new SharedRLock(region, entry, WaitStrategy.backoff(), DEFAULT_DEAD_OWNER_CHECK_NANOS);
    }

    /**
     * The same lock, waiting with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same lock.
     */
    public SharedRLock withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedRLock(region, entry, Objects.requireNonNull(strategy, "strategy"), deadOwnerCheckNanos);
    }

    /**
     * The same lock, checking a blocking owner's liveness at this interval.
     *
     * @param interval a positive interval.
     * @return a view of the same lock.
     */
    public SharedRLock withDeadOwnerCheck(final Duration interval)
    {
        return new SharedRLock(region, entry, waitStrategy, checkInterval(interval));
    }

    @Override
    public void lock()
    {
        // CAS first: reading the word before the CAS would cost a second coherence round trip when contended.
        final long threadId = Thread.currentThread().getId();
        if (lock.tryAcquire(threadId) || reenter(threadId))
        {
            return;
        }
        lock.acquireUninterruptibly(threadId);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException
    {
        final long threadId = Thread.currentThread().getId();
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before locking " + this);
        }
        if (!reenter(threadId))
        {
            lock.acquire(threadId, Long.MAX_VALUE, true);
        }
    }

    @Override
    public boolean tryLock()
    {
        final long threadId = Thread.currentThread().getId();
        return lock.tryAcquire(threadId) || reenter(threadId);
    }

    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException
    {
        final long threadId = Thread.currentThread().getId();
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before locking " + this);
        }
        return reenter(threadId) || lock.acquire(threadId, RobustMutex.toNanos(time, unit), true);
    }

    @Override
    public void unlock()
    {
        if (!lock.isHeldBy(Thread.currentThread().getId()))
        {
            throw notHeld();
        }
        final int holds = lock.holds();
        if (holds > 1)
        {
            lock.holds(holds - 1);
        }
        else
        {
            lock.release();
        }
    }

    /**
     * @return how many times the calling thread holds the lock (0 when it does not).
     */
    public int getHoldCount()
    {
        return lock.isHeldBy(Thread.currentThread().getId()) ? lock.holds() : 0;
    }

    @Override
    public String toString()
    {
        return regionClosed() ? describe("") : describe(" x" + lock.holds());
    }

    private boolean reenter(final long threadId)
    {
        if (lock.isHeldBy(threadId))
        {
            final int holds = lock.holds();
            if (holds == Integer.MAX_VALUE)
            {
                throw new Error("SharedRLock '" + name() + "': maximum hold count exceeded");
            }
            lock.holds(holds + 1);
            return true;
        }
        return false;
    }
}
