package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A non-reentrant mutual-exclusion lock in a shared region, usable from any thread of any process (Python's
 * {@code multiprocessing.Lock}, with {@link Lock}'s contract).
 * <p>
 * The lock is held by a thread of a process. {@link #lock()} or {@link #lockInterruptibly()} again from the holding
 * thread is an {@link IllegalStateException}, not a deadlock; {@link #tryLock()} from the holding thread returns
 * false, as {@link Lock#tryLock()} specifies for a lock that is not available (and as Python's
 * {@code acquire(False)} does), and so does {@link #tryLock(long, TimeUnit)}, at once: a non-reentrant lock its
 * caller holds cannot become available while the caller waits, so waiting out the timeout would change nothing
 * but the time. Unlocking it from any other thread is an {@link IllegalMonitorStateException}.
 * <p>
 * <b>Process death.</b> When the holding process dies, the next locker takes the lock over within the dead-owner
 * check interval (100 ms by default) and {@link #previousOwnerDied()} tells it so, in the spirit of POSIX
 * {@code EOWNERDEAD}: the data the lock protects may be half-updated and is the new holder's to repair. A live
 * owner, however slow or stopped (SIGSTOP), is never broken, and a reused pid never makes a dead owner look alive.
 * <p>
 * Waiting polls shared memory with the lock's {@link WaitStrategy}; {@link #lockInterruptibly()} and the timed
 * {@link #tryLock(long, TimeUnit)} honour interruption, {@link #lock()} does not (as {@link Lock} allows).
 */
public final class SharedLock extends OwnedLock
{
    private static final long serialVersionUID = 1L;

    private SharedLock(
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
    public static SharedLock create(final SharedRegion region, final String name)
    {
        return of(region, region.allocate(name, ObjectType.LOCK, 1, 0, null));
    }

    /**
     * Opens an existing lock, checking its type.
     *
     * @param region the region.
     * @param name   the lock's name.
     * @return the lock.
     */
    public static SharedLock open(final SharedRegion region, final String name)
    {
        return of(region, region.find(name, ObjectType.LOCK));
    }

    /**
     * Opens the lock, or creates it unlocked.
     *
     * @param region the region.
     * @param name   the lock's name.
     * @return the lock.
     */
    public static SharedLock openOrCreate(final SharedRegion region, final String name)
    {
        return of(region, region.findOrAllocate(name, ObjectType.LOCK, 1, 0, null));
    }

    private static SharedLock of(final SharedRegion region, final RegionEntry entry)
    {
        return new SharedLock(region, entry, WaitStrategy.backoff(), DEFAULT_DEAD_OWNER_CHECK_NANOS);
    }

    /**
     * The same lock, waiting with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same lock.
     */
    public SharedLock withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedLock(region, entry, java.util.Objects.requireNonNull(strategy, "strategy"), deadOwnerCheckNanos);
    }

    /**
     * The same lock, checking a blocking owner's liveness at this interval (which bounds how long a dead owner
     * delays the next locker).
     *
     * @param interval a positive interval.
     * @return a view of the same lock.
     */
    public SharedLock withDeadOwnerCheck(final Duration interval)
    {
        return new SharedLock(region, entry, waitStrategy, checkInterval(interval));
    }

    @Override
    public void lock()
    {
        // CAS first: reading the word before the CAS would cost a second coherence round trip when contended.
        final long threadId = Thread.currentThread().getId();
        if (!lock.tryAcquire(threadId))
        {
            checkNotHeld(threadId);
            lock.acquireUninterruptibly(threadId);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException
    {
        final long threadId = Thread.currentThread().getId();
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before locking " + this);
        }
        if (!lock.tryAcquire(threadId))
        {
            checkNotHeld(threadId);
            lock.acquire(threadId, Long.MAX_VALUE, true);
        }
    }

    /**
     * Takes the lock if it is free now.
     *
     * @return true when taken; false when any thread holds it, the calling thread included.
     */
    @Override
    public boolean tryLock()
    {
        return lock.tryAcquire(Thread.currentThread().getId());
    }

    /**
     * Takes the lock, waiting up to the timeout for it; honours interruption. Called by the thread that holds the
     * lock, returns false at once (the lock cannot become free while its holder waits).
     *
     * @return true when taken; false when the timeout passed first or the calling thread holds the lock.
     */
    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException
    {
        final long threadId = Thread.currentThread().getId();
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before locking " + this);
        }
        if (lock.tryAcquire(threadId))
        {
            return true;
        }
        if (lock.isHeldBy(threadId))
        {
            return false;
        }
        return lock.acquire(threadId, RobustMutex.toNanos(time, unit), true);
    }

    @Override
    public void unlock()
    {
        if (!lock.isHeldBy(Thread.currentThread().getId()))
        {
            throw notHeld();
        }
        lock.release();
    }

    @Override
    public String toString()
    {
        return describe("");
    }

    private void checkNotHeld(final long threadId)
    {
        if (lock.isHeldBy(threadId))
        {
            throw new IllegalStateException(
                "SharedLock '" + name() + "' is already held by this thread and is not reentrant (use SharedRLock)");
        }
    }
}
