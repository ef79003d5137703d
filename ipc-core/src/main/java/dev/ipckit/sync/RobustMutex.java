package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import org.agrona.concurrent.AtomicBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The mutual-exclusion word every owned primitive is built on, robust against process death: what POSIX calls a
 * robust mutex ({@code PTHREAD_MUTEX_ROBUST}, whose next locker learns {@code EOWNERDEAD}), in a region's slot.
 * <pre>
 * Lock slot, {@link #LENGTH} bytes, on its own pair of cache lines
 *   0   OWNER        long  ProcessIdentity of the holding process, 0 when free. Taken by CAS (acquire);
 *                          freed by a release store, which publishes everything written under the lock.
 *   8   THREAD       long  id of the holding thread in OWNER; written by the holder after its CAS, set to 0 before
 *                          the release store, so no other thread ever reads its own id here unless it holds the lock.
 *   16  HOLDS        int   re-entrant hold count, holder only
 *   20  (reserved)
 *   24  DIED_OWNER   long  identity of the dead process the current holder took the lock from, 0 if none;
 *                          written by the holder only.
 *   32  TAKEOVERS    long  count of takeovers from dead owners, ever
 * </pre>
 * A waiter that finds the owner's process dead takes the lock with a CAS against the exact identity it saw, so a
 * live owner — slow, or stopped with SIGSTOP — is never broken, and two waiters cannot both take over. Owner
 * liveness is checked at most every {@code deadOwnerCheckNanos} of waiting, since it reads {@code /proc}.
 */
final class RobustMutex
{
    static final int OWNER_OFFSET = 0;
    static final int THREAD_OFFSET = 8;
    static final int HOLDS_OFFSET = 16;
    static final int DIED_OWNER_OFFSET = 24;
    static final int TAKEOVERS_OFFSET = 32;
    /** Where the last field ends. */
    static final int FIELDS_END = TAKEOVERS_OFFSET + Long.BYTES;
    /** The slot's size, owned by {@link ObjectType#LOCK} (which a region allocates); every field must end inside it. */
    static final int LENGTH = SlotLayout.requireFits(ObjectType.LOCK, FIELDS_END);

    static
    {
        SlotLayout.requireFits(ObjectType.RLOCK, FIELDS_END);
        if (ObjectType.RLOCK.elementLength() != LENGTH)
        {
            throw new IllegalStateException("the RLOCK slot (" + ObjectType.RLOCK.elementLength() +
                " bytes) must be the LOCK slot (" + LENGTH + "): both are RobustMutex words");
        }
    }

    private final SyncObject object;
    private final AtomicBuffer buffer;
    private final int offset;
    private final WaitStrategy waitStrategy;
    private final long deadOwnerCheckNanos;

    /**
     * @param object the primitive this word belongs to: a closed region is reported as that object's error.
     */
    RobustMutex(
        final SyncObject object, final AtomicBuffer buffer, final int offset, final WaitStrategy waitStrategy,
        final long deadOwnerCheckNanos)
    {
        this.object = object;
        this.buffer = buffer;
        this.offset = offset;
        this.waitStrategy = waitStrategy;
        this.deadOwnerCheckNanos = deadOwnerCheckNanos;
    }

    /** One CAS from free; no waiting. */
    boolean tryAcquire(final long threadId)
    {
        if (live().compareAndSetLong(offset + OWNER_OFFSET, ProcessIdentity.NONE, ProcessIdentity.current()))
        {
            onAcquired(threadId, ProcessIdentity.NONE);
            return true;
        }
        return false;
    }

    /**
     * Waits until acquired, the deadline passes or (when {@code interruptible}) the thread is interrupted.
     *
     * @param timeoutNanos how long to wait; {@link Long#MAX_VALUE} for ever.
     * @return true when acquired.
     */
    boolean acquire(final long threadId, final long timeoutNanos, final boolean interruptible) throws InterruptedException
    {
        if (tryAcquire(threadId))
        {
            return true;
        }
        final long me = ProcessIdentity.current();
        final TimedWait wait = new TimedWait(waitStrategy.newIdleStrategy(), waitStrategy.isBusySpin()).begin(
            timeoutNanos, deadOwnerCheckNanos, interruptible ? TimedWait.Interrupts.THROW : TimedWait.Interrupts.DEFER,
            "a shared lock");
        try
        {
            while (true)
            {
                final long owner = live().getLongVolatile(offset + OWNER_OFFSET);
                if (owner == ProcessIdentity.NONE)
                {
                    if (live().compareAndSetLong(offset + OWNER_OFFSET, ProcessIdentity.NONE, me))
                    {
                        onAcquired(threadId, ProcessIdentity.NONE);
                        return true;
                    }
                    continue;
                }
                switch (wait.miss())
                {
                    case TimedWait.CHECK:
                        if (owner != me && !ProcessIdentity.isAlive(owner) &&
                            live().compareAndSetLong(offset + OWNER_OFFSET, owner, me))
                        {
                            live().getAndAddLong(offset + TAKEOVERS_OFFSET, 1);
                            onAcquired(threadId, owner);
                            return true;
                        }
                        break;
                    case TimedWait.TIMED_OUT:
                        return false;
                    default:
                        break;
                }
            }
        }
        finally
        {
            wait.end();
        }
    }

    /** Waits for ever, not interruptibly (the interrupt status is kept for the caller). */
    void acquireUninterruptibly(final long threadId)
    {
        try
        {
            acquire(threadId, Long.MAX_VALUE, false);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException("unreachable: an uninterruptible acquire was interrupted", ex);
        }
    }

    private void onAcquired(final long threadId, final long diedOwner)
    {
        live().putLong(offset + THREAD_OFFSET, threadId);
        live().putInt(offset + HOLDS_OFFSET, 1);
        live().putLong(offset + DIED_OWNER_OFFSET, diedOwner);
    }

    /** Frees the lock; the caller has checked that it holds it. */
    void release()
    {
        live().putLong(offset + THREAD_OFFSET, 0);
        live().putInt(offset + HOLDS_OFFSET, 0);
        // Release: publishes every write made while holding the lock to the next acquirer's CAS.
        live().putLongRelease(offset + OWNER_OFFSET, ProcessIdentity.NONE);
    }

    boolean isHeldBy(final long threadId)
    {
        return live().getLongVolatile(offset + OWNER_OFFSET) == ProcessIdentity.current() &&
            live().getLong(offset + THREAD_OFFSET) == threadId;
    }

    int holds()
    {
        return live().getInt(offset + HOLDS_OFFSET);
    }

    void holds(final int holds)
    {
        live().putInt(offset + HOLDS_OFFSET, holds);
    }

    long owner()
    {
        return live().getLongVolatile(offset + OWNER_OFFSET);
    }

    long diedOwner()
    {
        return live().getLong(offset + DIED_OWNER_OFFSET);
    }

    long takeovers()
    {
        return live().getLongVolatile(offset + TAKEOVERS_OFFSET);
    }

    /** The buffer, checked on every access, so that every poll of a wait notices a closed region. */
    private AtomicBuffer live()
    {
        if (object.region.isClosed())
        {
            throw object.closedError();
        }
        return buffer;
    }

    static long toNanos(final long time, final TimeUnit unit)
    {
        return Math.max(0, unit.toNanos(time));
    }
}
