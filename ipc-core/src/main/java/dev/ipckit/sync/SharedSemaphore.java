package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.TimedWait;
import org.agrona.concurrent.AtomicBuffer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore in a shared region (Python's {@code multiprocessing.Semaphore} and
 * {@code BoundedSemaphore}, with {@link java.util.concurrent.Semaphore}'s method names).
 * <p>
 * <b>Process death.</b> Each process's net permits (acquired minus released) are recorded; permits a dead process
 * still held come back to the semaphore within the dead-owner check interval of a waiter needing them. Releases a
 * dead process made stay released. This suits a semaphore that guards a pool of resources; a semaphore used to count
 * produced items should not be acquired by a consumer that might die after consuming.
 * <p>
 * A bounded semaphore refuses a release that would raise the permits above the initial count
 * ({@link IllegalStateException}, permits unchanged). At most 64 processes may hold a non-zero net count at once.
 * <pre>
 * Slot layout, {@link #LENGTH} bytes
 *   0    GUARD       RobustMutex (64 bytes): every change below happens under it; held for a few instructions
 *   64   AVAILABLE   long  permits available; written under GUARD with release, read with volatile for fast checks
 *   72   BASE        long  initial permits plus the net releases of departed processes
 *   80   INITIAL     long  the initial permits (the bound of a bounded semaphore)
 *   88   BOUNDED     int   1 when bounded
 *   92   PENDING_ROW int   redo record of a fold in progress: the row being folded into BASE, -1 when none
 *   96   PENDING_BASE long the BASE value that fold produces
 *   128  ROWS        64 rows of 16 bytes: process identity (long, 0 = free row), net permits held (long)
 * Invariant: AVAILABLE == BASE - sum(net of used rows). A guard taken over from a dead holder recomputes AVAILABLE
 * from the rows, so a holder that died mid-update never leaks or invents permits. Folding a dead process's releases
 * into BASE changes two words, so it is written as a redo record first (PENDING_BASE, then PENDING_ROW) and replayed
 * by the next guard holder if its writer died half-way; replaying is idempotent.
 * </pre>
 */
public final class SharedSemaphore extends SyncObject
{
    private static final long serialVersionUID = 1L;

    static final int GUARD_OFFSET = 0;
    static final int AVAILABLE_OFFSET = 64;
    static final int BASE_OFFSET = 72;
    static final int INITIAL_OFFSET = 80;
    static final int BOUNDED_OFFSET = 88;
    static final int PENDING_ROW_OFFSET = 92;
    static final int PENDING_BASE_OFFSET = 96;
    static final int ROWS_OFFSET = 128;
    static final int ROW_LENGTH = 16;
    /** The slot's size, owned by {@link ObjectType#SEMAPHORE} (which a region allocates). */
    static final int LENGTH = SlotLayout.requireFits(ObjectType.SEMAPHORE, ROWS_OFFSET + ROW_LENGTH);
    /** As many rows as the slot holds after the header. */
    static final int ROWS = (LENGTH - ROWS_OFFSET) / ROW_LENGTH;

    static
    {
        SlotLayout.requireFits("SharedSemaphore's guard", GUARD_OFFSET + RobustMutex.LENGTH, AVAILABLE_OFFSET);
        SlotLayout.requireFits("SharedSemaphore's header", PENDING_BASE_OFFSET + Long.BYTES, ROWS_OFFSET);
        if (ROWS_OFFSET + ROWS * ROW_LENGTH != LENGTH)
        {
            throw new IllegalStateException("the SEMAPHORE slot (" + LENGTH + " bytes) must be the " + ROWS_OFFSET +
                "-byte header and whole " + ROW_LENGTH + "-byte rows");
        }
    }

    private final transient AtomicBuffer buffer;
    private final transient int offset;
    private final transient RobustMutex guard;
    /** This view's guess at this process's row; read and written under the guard only. */
    private transient int rowHint;

    private SharedSemaphore(
        final SharedRegion region, final RegionEntry entry, final WaitStrategy waitStrategy, final long deadOwnerCheckNanos)
    {
        super(region, entry, waitStrategy, deadOwnerCheckNanos);
        this.buffer = region.buffer();
        this.offset = entry.offset();
        this.guard = new RobustMutex(this, buffer, offset + GUARD_OFFSET, WaitStrategy.backoff(), deadOwnerCheckNanos);
    }

    /**
     * Creates a semaphore; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the semaphore's name.
     * @param permits initial permits, zero or more.
     * @return the semaphore.
     */
    public static SharedSemaphore create(final SharedRegion region, final String name, final long permits)
    {
        return of(region, region.allocate(name, ObjectType.SEMAPHORE, 1, 0, initializer(permits, false)));
    }

    /**
     * Creates a bounded semaphore: releasing above {@code permits} is an {@link IllegalStateException}.
     *
     * @param region  the region.
     * @param name    the semaphore's name.
     * @param permits initial and maximum permits, zero or more.
     * @return the semaphore.
     */
    public static SharedSemaphore createBounded(final SharedRegion region, final String name, final long permits)
    {
        return of(region, region.allocate(name, ObjectType.SEMAPHORE, 1, 0, initializer(permits, true)));
    }

    /**
     * Opens an existing semaphore, bounded or not.
     *
     * @param region the region.
     * @param name   the semaphore's name.
     * @return the semaphore.
     */
    public static SharedSemaphore open(final SharedRegion region, final String name)
    {
        return of(region, region.find(name, ObjectType.SEMAPHORE));
    }

    /**
     * Opens the semaphore, or creates it with {@code permits}.
     *
     * @param region  the region.
     * @param name    the semaphore's name.
     * @param permits initial permits when creating.
     * @param bounded whether a created semaphore is bounded.
     * @return the semaphore.
     */
    public static SharedSemaphore openOrCreate(
        final SharedRegion region, final String name, final long permits, final boolean bounded)
    {
        return of(region, region.findOrAllocate(name, ObjectType.SEMAPHORE, 1, 0, initializer(permits, bounded)));
    }

    private static dev.ipckit.memory.internal.ObjectInitializer initializer(final long permits, final boolean bounded)
    {
        if (permits < 0)
        {
            throw new IllegalArgumentException("initial permits must be zero or more: " + permits);
        }
        return (b, o, l) ->
        {
            b.putLong(o + AVAILABLE_OFFSET, permits);
            b.putLong(o + BASE_OFFSET, permits);
            b.putLong(o + INITIAL_OFFSET, permits);
            b.putInt(o + BOUNDED_OFFSET, bounded ? 1 : 0);
            b.putInt(o + PENDING_ROW_OFFSET, -1);
        };
    }

    private static SharedSemaphore of(final SharedRegion region, final RegionEntry entry)
    {
        return new SharedSemaphore(region, entry, WaitStrategy.backoff(), DEFAULT_DEAD_OWNER_CHECK_NANOS);
    }

    /**
     * The same semaphore, waiting with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same semaphore.
     */
    public SharedSemaphore withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedSemaphore(region, entry, Objects.requireNonNull(strategy, "strategy"), deadOwnerCheckNanos);
    }

    /**
     * The same semaphore, reclaiming dead processes' permits at this interval while a waiter waits.
     *
     * @param interval a positive interval.
     * @return a view of the same semaphore.
     */
    public SharedSemaphore withDeadOwnerCheck(final Duration interval)
    {
        return new SharedSemaphore(region, entry, waitStrategy, checkInterval(interval));
    }

    /**
     * Takes one permit, waiting as long as it takes; interruptible.
     *
     * @throws InterruptedException when interrupted while waiting.
     */
    public void acquire() throws InterruptedException
    {
        acquire(1);
    }

    /**
     * Takes {@code permits} permits at once, waiting as long as it takes; interruptible.
     *
     * @param permits one or more.
     * @throws InterruptedException when interrupted while waiting.
     */
    public void acquire(final long permits) throws InterruptedException
    {
        tryAcquire(permits, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Takes one permit if one is available now.
     *
     * @return true when taken.
     */
    public boolean tryAcquire()
    {
        return tryAcquire(1);
    }

    /**
     * Takes {@code permits} permits if they are available now.
     *
     * @param permits one or more.
     * @return true when taken.
     */
    public boolean tryAcquire(final long permits)
    {
        checkPermits(permits);
        return live().getLongVolatile(offset + AVAILABLE_OFFSET) >= permits && takeIfAvailable(permits);
    }

    /**
     * Takes one permit, waiting up to the timeout (negative counts as zero); interruptible.
     *
     * @param timeout how long to wait.
     * @param unit    its unit.
     * @return true when taken, false on timeout.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean tryAcquire(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return tryAcquire(1, timeout, unit);
    }

    /**
     * Takes {@code permits} permits at once, waiting up to the timeout (negative counts as zero); interruptible.
     *
     * @param permits one or more.
     * @param timeout how long to wait; {@link Long#MAX_VALUE} nanoseconds for ever.
     * @param unit    its unit.
     * @return true when taken, false on timeout.
     * @throws InterruptedException when interrupted while waiting.
     */
    public boolean tryAcquire(final long permits, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        checkPermits(permits);
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before acquiring " + this);
        }
        // The uncommon wait below reads the clock and makes an idle strategy; a free permit is taken before that.
        if (live().getLongVolatile(offset + AVAILABLE_OFFSET) >= permits && takeIfAvailable(permits))
        {
            return true;
        }
        final long timeoutNanos = unit == TimeUnit.NANOSECONDS && timeout == Long.MAX_VALUE ?
            Long.MAX_VALUE : RobustMutex.toNanos(timeout, unit);
        final TimedWait wait = new TimedWait(waitStrategy.newIdleStrategy(), waitStrategy.isBusySpin())
            .begin(timeoutNanos, deadOwnerCheckNanos, TimedWait.Interrupts.THROW, this);
        while (true)
        {
            if (live().getLongVolatile(offset + AVAILABLE_OFFSET) >= permits && takeIfAvailable(permits))
            {
                return true;
            }
            switch (wait.miss())
            {
                case TimedWait.CHECK:
                    reclaimDeadHolders();
                    break;
                case TimedWait.TIMED_OUT:
                    return false;
                default:
                    break;
            }
        }
    }

    /**
     * Returns one permit.
     *
     * @throws IllegalStateException for a bounded semaphore already at its initial permits.
     */
    public void release()
    {
        release(1);
    }

    /**
     * Returns {@code permits} permits; any process may release, as with {@link java.util.concurrent.Semaphore}.
     *
     * @param permits one or more.
     * @throws IllegalStateException for a bounded semaphore that would exceed its initial permits; nothing changes.
     */
    public void release(final long permits)
    {
        checkPermits(permits);
        final long me = lockGuard();
        try
        {
            final long available = live().getLong(offset + AVAILABLE_OFFSET);
            final long initial = live().getLong(offset + INITIAL_OFFSET);
            if (isBounded() && available + permits > initial)
            {
                throw new IllegalStateException("bounded semaphore '" + name() + "' released too often: " + available +
                    " available + " + permits + " would exceed its " + initial + " permits");
            }
            addToRow(me, -permits);
            // Release: a process that acquires this permit sees everything written before the release.
            live().putLongRelease(offset + AVAILABLE_OFFSET, available + permits);
        }
        finally
        {
            guard.release();
        }
    }

    /**
     * @return the permits available now.
     */
    public long availablePermits()
    {
        return live().getLongVolatile(offset + AVAILABLE_OFFSET);
    }

    /**
     * @return whether releases above the initial permits are refused.
     */
    public boolean isBounded()
    {
        return live().getInt(offset + BOUNDED_OFFSET) != 0;
    }

    /**
     * Returns the permits of dead processes now, instead of waiting for a blocked acquirer to do it.
     *
     * @return the permits returned.
     */
    public long reclaimDeadHolders()
    {
        lockGuard();
        try
        {
            long reclaimed = 0;
            for (int row = 0; row < ROWS; row++)
            {
                final int rowOffset = offset + ROWS_OFFSET + row * ROW_LENGTH;
                final long identity = live().getLong(rowOffset);
                if (identity != ProcessIdentity.NONE && !ProcessIdentity.isAlive(identity))
                {
                    final long net = live().getLong(rowOffset + 8);
                    if (net < 0)
                    {
                        // Its releases stay: fold them into BASE so AVAILABLE does not change.
                        foldIntoBase(row, live().getLong(offset + BASE_OFFSET) - net);
                    }
                    else
                    {
                        reclaimed += net;
                        // One store frees the row: AVAILABLE is recomputed from the rows if we die before updating it.
                        live().putLongRelease(rowOffset, ProcessIdentity.NONE);
                    }
                }
            }
            if (reclaimed > 0)
            {
                live().putLongRelease(offset + AVAILABLE_OFFSET, live().getLong(offset + AVAILABLE_OFFSET) + reclaimed);
            }
            return reclaimed;
        }
        finally
        {
            guard.release();
        }
    }

    @Override
    public String toString()
    {
        if (regionClosed())
        {
            return "SharedSemaphore{" + name() + ", region closed}";
        }
        return "SharedSemaphore{" + name() + ", " + availablePermits() + " available" + (isBounded() ? ", bounded" : "") + "}";
    }

    private boolean takeIfAvailable(final long permits)
    {
        final long me = lockGuard();
        try
        {
            final long available = live().getLong(offset + AVAILABLE_OFFSET);
            if (available < permits)
            {
                return false;
            }
            addToRow(me, permits);
            live().putLongRelease(offset + AVAILABLE_OFFSET, available - permits);
            return true;
        }
        finally
        {
            guard.release();
        }
    }

    /** Takes the guard; after a takeover from a dead holder, restores the invariant from the rows. */
    private long lockGuard()
    {
        guard.acquireUninterruptibly(Thread.currentThread().getId());
        if (guard.diedOwner() != ProcessIdentity.NONE)
        {
            final int pendingRow = live().getInt(offset + PENDING_ROW_OFFSET);
            if (pendingRow >= ROWS)
            {
                // Damaged: the row would lie outside the slot. Let the guard go (no live waiter is left blocked).
                guard.release();
                throw RegionChecks.corrupt(region.path(), "semaphore '" + name() + "' PENDING_ROW", pendingRow,
                    "outside -1.." + (ROWS - 1));
            }
            if (pendingRow >= 0)
            {
                foldIntoBase(pendingRow, live().getLong(offset + PENDING_BASE_OFFSET));
            }
            long held = 0;
            for (int row = 0; row < ROWS; row++)
            {
                final int rowOffset = offset + ROWS_OFFSET + row * ROW_LENGTH;
                if (live().getLong(rowOffset) != ProcessIdentity.NONE)
                {
                    held += live().getLong(rowOffset + 8);
                }
            }
            live().putLong(offset + AVAILABLE_OFFSET, live().getLong(offset + BASE_OFFSET) - held);
        }
        return ProcessIdentity.current();
    }

    /**
     * Frees {@code row} and sets BASE to {@code base} as one recoverable step: the redo record is written first, with
     * release stores so that its parts become visible in order, and cleared last.
     */
    private void foldIntoBase(final int row, final long base)
    {
        final int rowOffset = offset + ROWS_OFFSET + row * ROW_LENGTH;
        live().putLongRelease(offset + PENDING_BASE_OFFSET, base);
        live().putIntRelease(offset + PENDING_ROW_OFFSET, row);
        live().putLongRelease(offset + BASE_OFFSET, base);
        live().putLongRelease(rowOffset, ProcessIdentity.NONE);
        live().putLongRelease(rowOffset + 8, 0);
        live().putIntRelease(offset + PENDING_ROW_OFFSET, -1);
    }

    /**
     * Adds {@code delta} to this process's row; called under the guard. A process keeps its row while it lives (the
     * view remembers where, so the common case reads one row); rows whose net is 0 carry nothing and are given to
     * other processes only when the table is full.
     */
    private void addToRow(final long me, final long delta)
    {
        int rowOffset = rowOffset(rowHint);
        if (live().getLong(rowOffset) != me)
        {
            rowOffset = claimRow(me);
        }
        live().putLong(rowOffset + 8, live().getLong(rowOffset + 8) + delta);
    }

    /** Finds this process's row, or takes a free one with a net of 0; called under the guard. */
    private int claimRow(final long me)
    {
        int free = -1;
        for (int row = 0; row < ROWS; row++)
        {
            final long identity = live().getLong(rowOffset(row));
            if (identity == me)
            {
                rowHint = row;
                return rowOffset(row);
            }
            if (identity == ProcessIdentity.NONE && free < 0)
            {
                free = row;
            }
        }
        if (free < 0)
        {
            for (int row = 0; row < ROWS && free < 0; row++)
            {
                if (live().getLong(rowOffset(row) + 8) == 0)
                {
                    free = row; // a row with nothing held or owed: its process gets another when it needs one
                }
            }
        }
        if (free < 0)
        {
            throw new IllegalStateException("semaphore '" + name() + "': more than " + ROWS +
                " processes hold or owe permits at once");
        }
        final int rowOffset = rowOffset(free);
        // The net first, then the identity that makes the row count: a row half-written by a dying holder is free.
        live().putLong(rowOffset + 8, 0);
        live().putLongRelease(rowOffset, me);
        rowHint = free;
        return rowOffset;
    }

    private int rowOffset(final int row)
    {
        return offset + ROWS_OFFSET + row * ROW_LENGTH;
    }

    private void checkPermits(final long permits)
    {
        if (permits < 1)
        {
            throw new IllegalArgumentException("permits must be one or more: " + permits);
        }
    }
}
