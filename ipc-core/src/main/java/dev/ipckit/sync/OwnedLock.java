package dev.ipckit.sync;

import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.RegionException;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ProcessIdentity;

import java.util.OptionalLong;
import java.util.concurrent.locks.Lock;

/**
 * What {@link SharedLock} and {@link SharedRLock} share: the robust owner word, the queries on it, and conditions.
 * The two differ only in what locking again from the holding thread does.
 */
abstract class OwnedLock extends SyncObject implements Lock
{
    private static final long serialVersionUID = 1L;

    final transient RobustMutex lock;

    OwnedLock(
        final SharedRegion region, final RegionEntry entry, final WaitStrategy waitStrategy, final long deadOwnerCheckNanos)
    {
        super(region, entry, waitStrategy, deadOwnerCheckNanos);
        this.lock = new RobustMutex(this, region.buffer(), entry.offset(), waitStrategy, deadOwnerCheckNanos);
    }

    /**
     * A new condition of this lock with its own wait set, as {@link Lock#newCondition()} specifies: signalling one
     * condition never wakes a waiter of another (the bounded-buffer idiom's {@code notFull} and {@code notEmpty}).
     * Each call creates a condition in the region named {@code <lock name>.cond.<n>}, with the first {@code n} from
     * 1 that is free, so calls in several processes never share one by accident.
     * <p>
     * Other processes reach the condition through it, not through another call: a task that captures the
     * condition (or the condition sent through a queue or pipe) re-attaches to the same wait set, as does
     * {@link SharedCondition#open} with its {@link SharedCondition#name()}. For a condition that every process finds by
     * a name of its choosing, use {@link #newCondition(String)}.
     * <p>
     * Each condition takes a directory entry and about 4 KiB of the region for the region's lifetime: create the
     * conditions a lock needs once and share them, not one per wait.
     *
     * @return the new condition.
     * @throws IllegalArgumentException when the lock's name leaves no room for the suffix in a 64-byte object name
     *                                  (use {@link #newCondition(String)}).
     */
    @Override
    public SharedCondition newCondition()
    {
        for (int n = 1; ; n++)
        {
            final String conditionName = name() + SharedCondition.NAME_INFIX + n;
            if (region.lookup(conditionName).isPresent())
            {
                continue;
            }
            try
            {
                return SharedCondition.create(region, conditionName, this);
            }
            catch (final RegionException ex)
            {
                // Another thread or process took this n between the lookup and the create: try the next.
                if (ex.reason() != RegionException.Reason.OBJECT_EXISTS)
                {
                    throw ex;
                }
            }
        }
    }

    /**
     * A named condition of this lock, found or created in the region.
     *
     * @param conditionName the condition's name in the region.
     * @return the condition.
     */
    public SharedCondition newCondition(final String conditionName)
    {
        return SharedCondition.openOrCreate(region, conditionName, this);
    }

    /**
     * @return whether any thread of any process holds the lock.
     */
    public boolean isLocked()
    {
        return lock.owner() != ProcessIdentity.NONE;
    }

    /**
     * @return whether the calling thread holds the lock.
     */
    public boolean isHeldByCurrentThread()
    {
        return lock.isHeldBy(Thread.currentThread().getId());
    }

    /**
     * @return the pid of the holding process, empty when free.
     */
    public OptionalLong ownerPid()
    {
        final long owner = lock.owner();
        return owner == ProcessIdentity.NONE ? OptionalLong.empty() : OptionalLong.of(ProcessIdentity.pid(owner));
    }

    /**
     * Whether the holding process is running: false when the lock is free, and when its holder died holding it (the
     * next locker takes it over). A snapshot, for tools such as {@code ipckit ls}.
     *
     * @return true while a live process holds the lock.
     */
    public boolean ownerAlive()
    {
        return ProcessIdentity.isAlive(lock.owner());
    }

    /**
     * For the current holder: whether it took the lock over from a process that died holding it. The data the lock
     * guards may then be inconsistent and should be repaired before use.
     *
     * @return true when the previous owner died holding the lock.
     * @throws IllegalMonitorStateException when the calling thread does not hold the lock.
     */
    public boolean previousOwnerDied()
    {
        if (!isHeldByCurrentThread())
        {
            throw notHeld();
        }
        return lock.diedOwner() != ProcessIdentity.NONE;
    }

    /**
     * @return how many times, ever, a locker took this lock over from a dead owner.
     */
    public long deadOwnerTakeovers()
    {
        return lock.takeovers();
    }

    RobustMutex robustMutex()
    {
        return lock;
    }

    IllegalMonitorStateException notHeld()
    {
        return new IllegalMonitorStateException(getClass().getSimpleName() + " '" + name() +
            "' is not held by this thread (owner: " + ProcessIdentity.toString(lock.owner()) + ")");
    }

    String describe(final String extra)
    {
        if (regionClosed())
        {
            return getClass().getSimpleName() + "{" + name() + ", region closed}";
        }
        final long owner = lock.owner();
        return getClass().getSimpleName() + "{" + name() + ", " +
            (owner == ProcessIdentity.NONE ? "unlocked" : "held by " + ProcessIdentity.toString(owner) + extra) + "}";
    }
}
