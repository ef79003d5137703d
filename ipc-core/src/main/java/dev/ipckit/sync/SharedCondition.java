package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * A condition variable in a shared region, bound to a {@link SharedLock} or {@link SharedRLock} (Python's
 * {@code multiprocessing.Condition}, with {@link Condition}'s contract), usable from any thread of any process.
 * <p>
 * Every waiter takes a row in the condition's waiter table while holding the lock, then releases the lock (fully,
 * for a reentrant lock) and polls its row. {@link #signal()} marks the oldest waiting row, {@link #signalAll()}
 * every row; both do nothing when nobody waits, so a signal is never stored for a later waiter. A waiter that times
 * out or is interrupted gives its row back under the lock, so a signal cannot be spent on it. A signal is delivered
 * to a live waiter: rows of dead processes are skipped and freed. The table has a fixed capacity (64 waiters by
 * default); one more waiter is an {@link IllegalStateException}.
 * <p>
 * <b>Process death.</b> A dead waiter strands nobody (its row is skipped). A lock holder that dies leaves the
 * waiters to wake at their timeout or signal; they then take the lock over as {@link SharedLock} describes.
 * <pre>
 * Slot layout, {@link #HEADER_LENGTH} bytes then CAPACITY rows of {@link #ROW_LENGTH} bytes
 *   0    LOCK_TYPE         int   ObjectType code of the lock's entry (LOCK, RLOCK, or a value that carries a lock)
 *   4    LOCK_NAME_LENGTH  int   bytes of the lock's UTF-8 name
 *   8    CAPACITY          int   rows in the table
 *   16   TICKETS           long  tickets handed out so far; changed under the lock
 *   64   LOCK_NAME         64 bytes of UTF-8
 * Row, each on its own cache line
 *   0    STATE             long  FREE, WAITING or SIGNALLED. Changed only under the lock; the waiter polls it
 *                                without the lock, so SIGNALLED is a volatile store and the poll a volatile load.
 *   8    PROCESS           long  ProcessIdentity of the waiter
 *   16   THREAD            long  the waiting thread's id
 *   24   TICKET            long  arrival order: signal() picks the smallest waiting ticket
 * </pre>
 */
public final class SharedCondition extends SyncObject implements Condition
{
    private static final long serialVersionUID = 1L;

    /** What {@link SharedLock#newCondition()} puts between the lock's name and the condition's number. */
    public static final String NAME_INFIX = ".cond.";
    /** Waiters a condition holds at once unless created with another capacity. */
    public static final int DEFAULT_CAPACITY = 64;

    static final int LOCK_TYPE_OFFSET = 0;
    static final int LOCK_NAME_LENGTH_OFFSET = 4;
    static final int CAPACITY_OFFSET = 8;
    static final int TICKETS_OFFSET = 16;
    static final int LOCK_NAME_OFFSET = 64;
    static final int MAX_LOCK_NAME_BYTES = 64;
    static final int HEADER_LENGTH = 128;

    static final int ROW_LENGTH = 64;
    static final int ROW_STATE_OFFSET = 0;
    static final int ROW_PROCESS_OFFSET = 8;
    static final int ROW_THREAD_OFFSET = 16;
    static final int ROW_TICKET_OFFSET = 24;

    static final long FREE = 0;
    static final long WAITING = 1;
    static final long SIGNALLED = 2;

    private final transient Lock lock;
    private final transient RobustMutex owner;
    private final transient AtomicBuffer buffer;
    private final transient int offset;
    private final transient int capacity;

    private SharedCondition(
        final SharedRegion region, final RegionEntry entry, final Lock lock, final WaitStrategy waitStrategy)
    {
        super(region, entry, waitStrategy, DEFAULT_DEAD_OWNER_CHECK_NANOS);
        this.lock = lock;
        this.owner = ownerOf(lock);
        this.buffer = region.buffer();
        this.offset = entry.offset();
        this.capacity = RegionChecks.intInRange(region.path(), "condition '" + entry.name() + "' CAPACITY",
            live().getInt(offset + CAPACITY_OFFSET), 1, (int)((entry.length() - HEADER_LENGTH) / ROW_LENGTH));
    }

    /**
     * Creates a condition of {@code lock} with room for {@link #DEFAULT_CAPACITY} waiters; fails if the name exists.
     *
     * @param region the region; the lock must live in it.
     * @param name   the condition's name.
     * @param lock   a {@link SharedLock} or {@link SharedRLock} of the same region.
     * @return the condition.
     */
    public static SharedCondition create(final SharedRegion region, final String name, final Lock lock)
    {
        return create(region, name, lock, DEFAULT_CAPACITY);
    }

    /**
     * Creates a condition of {@code lock}; fails if the name exists.
     *
     * @param region   the region; the lock must live in it.
     * @param name     the condition's name.
     * @param lock     a {@link SharedLock} or {@link SharedRLock} of the same region.
     * @param capacity how many threads, across all processes, may wait at once; 1 to 4096.
     * @return the condition.
     */
    public static SharedCondition create(final SharedRegion region, final String name, final Lock lock, final int capacity)
    {
        final SyncObject lockObject = checkLock(region, lock);
        final RegionEntry entry = region.allocate(
            name, ObjectType.CONDITION, slotLength(capacity), 0, initializer(lockObject, capacity));
        return checkBoundTo(new SharedCondition(region, entry, lock, WaitStrategy.backoff()), lockObject);
    }

    /**
     * Opens an existing condition and the lock it was created with.
     *
     * @param region the region.
     * @param name   the condition's name.
     * @return the condition.
     */
    public static SharedCondition open(final SharedRegion region, final String name)
    {
        final RegionEntry entry = region.find(name, ObjectType.CONDITION);
        return new SharedCondition(region, entry, lockOf(region, entry), WaitStrategy.backoff());
    }

    /**
     * Opens the condition, or creates it for {@code lock} with room for {@link #DEFAULT_CAPACITY} waiters.
     *
     * @param region the region.
     * @param name   the condition's name.
     * @param lock   the lock; an existing condition must belong to this very lock.
     * @return the condition.
     */
    public static SharedCondition openOrCreate(final SharedRegion region, final String name, final Lock lock)
    {
        final SyncObject lockObject = checkLock(region, lock);
        final RegionEntry entry = region.findOrAllocate(
            name, ObjectType.CONDITION, slotLength(DEFAULT_CAPACITY), 0, initializer(lockObject, DEFAULT_CAPACITY));
        return checkBoundTo(new SharedCondition(region, entry, lock, WaitStrategy.backoff()), lockObject);
    }

    /**
     * The same condition, waiting for signals with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same condition.
     */
    public SharedCondition withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedCondition(region, entry, lock, Objects.requireNonNull(strategy, "strategy"));
    }

    /**
     * The lock this condition belongs to.
     *
     * @return the lock, a {@link SharedLock} or {@link SharedRLock}.
     */
    public Lock lock()
    {
        return lock;
    }

    @Override
    public void await() throws InterruptedException
    {
        awaitSignal(Long.MAX_VALUE, true);
    }

    @Override
    public void awaitUninterruptibly()
    {
        try
        {
            awaitSignal(Long.MAX_VALUE, false);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException("unreachable: uninterruptible wait was interrupted", ex);
        }
    }

    @Override
    public long awaitNanos(final long nanosTimeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + Math.max(0, nanosTimeout);
        awaitSignal(Math.max(0, nanosTimeout), true);
        return deadline - System.nanoTime();
    }

    /**
     * Waits for a signal or the timeout (negative counts as zero). As with {@link Condition}, the lock is held again
     * on return, which may take longer than the timeout when another thread holds it.
     *
     * @return true when signalled, false when the timeout passed first.
     */
    @Override
    public boolean await(final long time, final TimeUnit unit) throws InterruptedException
    {
        return awaitSignal(RobustMutex.toNanos(time, unit), true);
    }

    @Override
    public boolean awaitUntil(final Date deadline) throws InterruptedException
    {
        final long millis = deadline.getTime() - System.currentTimeMillis();
        return awaitSignal(TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis)), true);
    }

    /**
     * Waits until {@code predicate} holds (Python's {@code wait_for}): the predicate is evaluated under the lock,
     * first before any wait and again after every wake-up, until it is true or the timeout passes.
     *
     * @param predicate the condition to wait for, read under the lock.
     * @param timeout   how long at most (negative counts as zero).
     * @param unit      its unit.
     * @return the predicate's last value: false when the timeout passed first.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean waitFor(final BooleanSupplier predicate, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        Objects.requireNonNull(predicate, "predicate");
        checkHeld("waitFor");
        final long deadline = System.nanoTime() + RobustMutex.toNanos(timeout, unit);
        boolean result = predicate.getAsBoolean();
        while (!result)
        {
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                break;
            }
            awaitSignal(remaining, true);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Wakes the longest-waiting live waiter, if any. The caller must hold the lock. */
    @Override
    public void signal()
    {
        checkHeld("signal");
        final long me = ProcessIdentity.current();
        while (true)
        {
            int oldest = -1;
            long oldestTicket = Long.MAX_VALUE;
            for (int row = 0; row < capacity; row++)
            {
                final int at = rowOffset(row);
                if (live().getLongVolatile(at + ROW_STATE_OFFSET) == WAITING)
                {
                    final long ticket = live().getLong(at + ROW_TICKET_OFFSET);
                    if (ticket < oldestTicket)
                    {
                        oldestTicket = ticket;
                        oldest = at;
                    }
                }
            }
            if (oldest < 0)
            {
                return;
            }
            final long process = live().getLong(oldest + ROW_PROCESS_OFFSET);
            if (process == me || ProcessIdentity.isAlive(process))
            {
                // Volatile store: the waiter polls STATE without the lock.
                live().putLongVolatile(oldest + ROW_STATE_OFFSET, SIGNALLED);
                return;
            }
            live().putLongVolatile(oldest + ROW_STATE_OFFSET, FREE);
        }
    }

    /** Wakes every waiter. The caller must hold the lock. */
    @Override
    public void signalAll()
    {
        checkHeld("signalAll");
        for (int row = 0; row < capacity; row++)
        {
            final int at = rowOffset(row);
            if (live().getLongVolatile(at + ROW_STATE_OFFSET) == WAITING)
            {
                live().putLongVolatile(at + ROW_STATE_OFFSET, SIGNALLED);
            }
        }
    }

    /**
     * @return how many threads wait on this condition now, in every process.
     */
    public int waiters()
    {
        int waiting = 0;
        for (int row = 0; row < capacity; row++)
        {
            if (live().getLongVolatile(rowOffset(row) + ROW_STATE_OFFSET) == WAITING)
            {
                waiting++;
            }
        }
        return waiting;
    }

    /**
     * @return how many threads may wait at once.
     */
    public int capacity()
    {
        return capacity;
    }

    @Override
    public String toString()
    {
        if (regionClosed())
        {
            return "SharedCondition{" + name() + ", region closed}";
        }
        return "SharedCondition{" + name() + ", lock=" + lockName() + ", waiters=" + waiters() + "}";
    }

    /**
     * The wait itself: take a row, release the lock, poll the row, take the lock back, give the row back.
     *
     * @return whether a signal reached this waiter.
     */
    private boolean awaitSignal(final long timeoutNanos, final boolean interruptible) throws InterruptedException
    {
        final long threadId = checkHeld("await");
        if (interruptible && Thread.interrupted())
        {
            throw new InterruptedException("interrupted before waiting on " + this);
        }
        final int row = claimRow(threadId);
        final int holds = owner.holds();
        owner.release();

        final TimedWait wait = new TimedWait(waitStrategy.newIdleStrategy(), waitStrategy.isBusySpin())
            .begin(timeoutNanos, TimedWait.NO_CHECK, TimedWait.Interrupts.REPORT, this);
        boolean interrupted = false;
        waiting:
        while (live().getLongVolatile(row + ROW_STATE_OFFSET) != SIGNALLED)
        {
            switch (wait.miss())
            {
                case TimedWait.TIMED_OUT:
                    break waiting;
                case TimedWait.INTERRUPTED:
                    interrupted = true;
                    if (interruptible)
                    {
                        break waiting;
                    }
                    break;
                default:
                    break;
            }
        }

        reacquire(threadId, holds);
        // Under the lock again: a signal that arrived after the timeout or interrupt still counts, and the row is
        // freed before anyone else can signal, so no signal is spent on a waiter that is leaving.
        final boolean signalled = live().getLongVolatile(row + ROW_STATE_OFFSET) == SIGNALLED;
        live().putLongVolatile(row + ROW_STATE_OFFSET, FREE);
        if (interrupted)
        {
            if (interruptible && !signalled)
            {
                throw new InterruptedException("interrupted while waiting on " + this);
            }
            Thread.currentThread().interrupt();
        }
        return signalled;
    }

    private void reacquire(final long threadId, final int holds)
    {
        owner.acquireUninterruptibly(threadId);
        owner.holds(holds);
    }

    /** Takes a free row, or one whose waiter died; called under the lock. */
    private int claimRow(final long threadId)
    {
        int free = findRow(false);
        if (free < 0)
        {
            free = findRow(true);
        }
        if (free < 0)
        {
            throw new IllegalStateException("SharedCondition '" + name() + "' already has " + capacity +
                " waiters, its capacity; create it with a larger capacity");
        }
        final long ticket = live().getLong(offset + TICKETS_OFFSET) + 1;
        live().putLong(offset + TICKETS_OFFSET, ticket);
        live().putLong(free + ROW_PROCESS_OFFSET, ProcessIdentity.current());
        live().putLong(free + ROW_THREAD_OFFSET, threadId);
        live().putLong(free + ROW_TICKET_OFFSET, ticket);
        live().putLongVolatile(free + ROW_STATE_OFFSET, WAITING);
        return free;
    }

    private int findRow(final boolean reclaimDead)
    {
        for (int row = 0; row < capacity; row++)
        {
            final int at = rowOffset(row);
            final long state = live().getLongVolatile(at + ROW_STATE_OFFSET);
            if (state == FREE || (reclaimDead && !ProcessIdentity.isAlive(live().getLong(at + ROW_PROCESS_OFFSET))))
            {
                return at;
            }
        }
        return -1;
    }

    private long checkHeld(final String operation)
    {
        live(); // a closed region is this condition's error, not its lock's
        final long threadId = Thread.currentThread().getId();
        if (!owner.isHeldBy(threadId))
        {
            throw new IllegalMonitorStateException(
                "SharedCondition '" + name() + "': " + operation + " needs the lock '" + lockName() + "' held by this thread");
        }
        return threadId;
    }

    private int rowOffset(final int row)
    {
        return offset + HEADER_LENGTH + row * ROW_LENGTH;
    }

    private String lockName()
    {
        return ((SyncObject)lock).name();
    }

    private static long slotLength(final int capacity)
    {
        if (capacity < 1 || capacity > 4096)
        {
            throw new IllegalArgumentException("condition capacity must be 1 to 4096 waiters: " + capacity);
        }
        return HEADER_LENGTH + (long)capacity * ROW_LENGTH;
    }

    private static dev.ipckit.memory.internal.ObjectInitializer initializer(final SyncObject lock, final int capacity)
    {
        final byte[] lockName = lock.entry.name().getBytes(StandardCharsets.UTF_8);
        return (b, o, l) ->
        {
            b.putInt(o + LOCK_TYPE_OFFSET, lock.entry.type().code());
            b.putInt(o + LOCK_NAME_LENGTH_OFFSET, lockName.length);
            b.putInt(o + CAPACITY_OFFSET, capacity);
            b.putBytes(o + LOCK_NAME_OFFSET, lockName);
        };
    }

    private static SyncObject checkLock(final SharedRegion region, final Lock lock)
    {
        Objects.requireNonNull(lock, "lock");
        if (!(lock instanceof OwnedLock))
        {
            throw new IllegalArgumentException(
                "a shared condition needs a SharedLock or SharedRLock, not " + lock.getClass().getName());
        }
        final SyncObject lockObject = (SyncObject)lock;
        if (!lockObject.region.path().equals(region.path()))
        {
            throw new IllegalArgumentException("lock '" + lockObject.name() + "' lives in region " +
                lockObject.region.name() + ", not in " + region.name() + " where the condition is");
        }
        return lockObject;
    }

    private static SharedCondition checkBoundTo(final SharedCondition condition, final SyncObject lock)
    {
        final String boundTo = condition.storedLockName();
        if (!boundTo.equals(lock.entry.name()) ||
            condition.live().getInt(condition.offset + LOCK_TYPE_OFFSET) != lock.entry.type().code())
        {
            throw new IllegalArgumentException("SharedCondition '" + condition.name() + "' belongs to lock '" + boundTo +
                "', not to '" + lock.entry.name() + "'");
        }
        return condition;
    }

    private String storedLockName()
    {
        final int length = lockNameLength(region, entry);
        final byte[] bytes = new byte[length];
        live().getBytes(offset + LOCK_NAME_OFFSET, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int lockNameLength(final SharedRegion region, final RegionEntry entry)
    {
        return RegionChecks.intInRange(region.path(), "condition '" + entry.name() + "' LOCK_NAME_LENGTH",
            region.buffer().getInt(entry.offset() + LOCK_NAME_LENGTH_OFFSET), 1, MAX_LOCK_NAME_BYTES);
    }

    private static Lock lockOf(final SharedRegion region, final RegionEntry entry)
    {
        final AtomicBuffer buffer = region.buffer();
        final int length = lockNameLength(region, entry);
        final byte[] bytes = new byte[length];
        buffer.getBytes(entry.offset() + LOCK_NAME_OFFSET, bytes);
        final String lockName = new String(bytes, StandardCharsets.UTF_8);
        final ObjectType lockType = ObjectType.fromCode(buffer.getInt(entry.offset() + LOCK_TYPE_OFFSET));
        return (Lock)Locks.open(region, lockName, lockType);
    }

    private static RobustMutex ownerOf(final Lock lock)
    {
        return ((OwnedLock)lock).robustMutex();
    }
}
