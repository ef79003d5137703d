package dev.ipckit.sync;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.Deserialization;
import dev.ipckit.platform.DeserializationRejectedException;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.platform.internal.Serialization;
import dev.ipckit.platform.internal.TimedWait;
import org.agrona.concurrent.AtomicBuffer;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier in a shared region (Python's {@code multiprocessing.Barrier}, with
 * {@link java.util.concurrent.CyclicBarrier}'s contract): {@code parties} threads, in any processes, wait until all
 * have arrived, then all go on and the barrier is ready for the next round.
 * <p>
 * The last party to arrive runs the barrier's action, exactly once per round, before anyone is released; the action
 * is stored serialized in the region, so whichever process arrives last can run it. If the action throws, the
 * barrier breaks and the exception reaches that party. An action that cannot be read in that process, or that the
 * deserialization filter rejects ({@link dev.ipckit.platform.Deserialization}), is never run: the barrier breaks and
 * that party gets a {@link BrokenBarrierException} saying why, as the others do.
 * <p>
 * A barrier <i>breaks</i> when a waiting party times out, is interrupted, or {@link #abort() aborts} it, or when a
 * party that has arrived dies: every waiting party and every latecomer then gets a {@link BrokenBarrierException},
 * until {@link #reset()}. A party that dies before it arrives cannot be told from a late one; timeouts cover that
 * case. {@link #await(long, TimeUnit)} returns the arrival index as {@code CyclicBarrier} does: {@code parties - 1}
 * for the first to arrive, 0 for the last.
 * <pre>
 * Slot layout
 *   0    GUARD           RobustMutex (64 bytes); every change happens under it, for a few instructions
 *   64   STATE           long  generation &lt;&lt; 1 | broken bit. Volatile store under GUARD; waiters poll it.
 *   72   TRIPPED         long  the last generation whose parties all arrived; written (volatile) before STATE
 *                              moves on, so a waiter seeing a later generation can tell a trip from a reset
 *   80   PARTIES         int
 *   84   ARRIVED         int   parties arrived in this generation
 *   88   ACTION_LENGTH   int   bytes of the serialized action, 0 for none
 *   96   DEFAULT_TIMEOUT long  nanoseconds {@link #await()} waits, 0 for no limit; written once at creation
 *   128  ARRIVALS        PARTIES longs: ProcessIdentity of each arrived party, for dead-party checks
 *   then ACTION          ACTION_LENGTH bytes
 * </pre>
 * Generations start at 1. A guard taken over from a process that died holding it finishes a half-done trip or
 * breaks the round, so nobody waits on a barrier its dead updater left inconsistent.
 */
public final class SharedBarrier extends SyncObject
{
    // Why this class is long (about 640 lines): the barrier's generation protocol (arrive, trip, break, reset) and its
    // recovery from a party that dies at any step are one piece, kept beside the layout they write; splitting it
    // would put the two halves of each step in different files.

    private static final long serialVersionUID = 1L;

    /** The action a barrier runs when it trips: serializable, so any process can run it. */
    @FunctionalInterface
    public interface Action extends Runnable, Serializable
    {
    }

    static final int GUARD_OFFSET = 0;
    static final int STATE_OFFSET = 64;
    static final int TRIPPED_OFFSET = 72;
    static final int PARTIES_OFFSET = 80;
    static final int ARRIVED_OFFSET = 84;
    static final int ACTION_LENGTH_OFFSET = 88;
    static final int DEFAULT_TIMEOUT_OFFSET = 96;
    static final int ARRIVALS_OFFSET = 128;
    static final int MAX_PARTIES = 4096;

    /** {@link #DEFAULT_TIMEOUT_OFFSET}'s value for a barrier whose untimed {@link #await()} waits for ever. */
    static final long NO_DEFAULT_TIMEOUT = 0;

    static
    {
        SlotLayout.requireFits("SharedBarrier's guard", GUARD_OFFSET + RobustMutex.LENGTH, STATE_OFFSET);
        SlotLayout.requireFits("SharedBarrier's default timeout", DEFAULT_TIMEOUT_OFFSET + Long.BYTES, ARRIVALS_OFFSET);
    }

    private final transient AtomicBuffer buffer;
    private final transient int offset;
    private final transient int parties;
    private final transient long defaultTimeoutNanos;
    private final transient RobustMutex guard;
    private transient Runnable action;

    private SharedBarrier(
        final SharedRegion region, final RegionEntry entry, final WaitStrategy waitStrategy, final long deadPartyCheckNanos)
    {
        super(region, entry, waitStrategy, deadPartyCheckNanos);
        this.buffer = region.buffer();
        this.offset = entry.offset();
        this.parties = RegionChecks.intInRange(region.path(), "barrier '" + entry.name() + "' PARTIES",
            live().getInt(offset + PARTIES_OFFSET), 1, MAX_PARTIES);
        RegionChecks.inSlot(region, entry, "barrier '" + entry.name() + "' PARTIES", ARRIVALS_OFFSET,
            (long)parties * Long.BYTES);
        this.defaultTimeoutNanos = RegionChecks.inRange(region.path(), "barrier '" + entry.name() + "' DEFAULT_TIMEOUT",
            live().getLong(offset + DEFAULT_TIMEOUT_OFFSET), 0, Long.MAX_VALUE);
        this.guard = new RobustMutex(this, buffer, offset + GUARD_OFFSET, WaitStrategy.backoff(), deadPartyCheckNanos);
    }

    /**
     * Creates a barrier with no action; fails if the name exists.
     *
     * @param region  the region.
     * @param name    the barrier's name.
     * @param parties how many parties trip it, 1 to 4096.
     * @return the barrier.
     */
    public static SharedBarrier create(final SharedRegion region, final String name, final int parties)
    {
        return create(region, name, parties, null);
    }

    /**
     * Creates a barrier whose last arriving party runs {@code action} before the others are released.
     *
     * @param region  the region.
     * @param name    the barrier's name.
     * @param parties how many parties trip it, 1 to 4096.
     * @param action  what to run on each trip, or null; serialized into the region.
     * @return the barrier.
     */
    public static SharedBarrier create(final SharedRegion region, final String name, final int parties, final Action action)
    {
        return create(region, name, parties, action, null);
    }

    /**
     * Creates a barrier with a default timeout (Python's {@code Barrier(parties, action, timeout)}): {@link #await()}
     * waits at most that long, in every process that opens the barrier, and then breaks it.
     *
     * @param region         the region.
     * @param name           the barrier's name.
     * @param parties        how many parties trip it, 1 to 4096.
     * @param action         what to run on each trip, or null; serialized into the region.
     * @param defaultTimeout how long {@link #await()} waits, positive; null to wait for ever.
     * @return the barrier.
     */
    public static SharedBarrier create(
        final SharedRegion region, final String name, final int parties, final Action action, final Duration defaultTimeout)
    {
        final long timeoutNanos = defaultTimeoutNanos(name, defaultTimeout);
        final byte[] actionBytes = serialize(name, action);
        return of(region, region.allocate(name, ObjectType.BARRIER, slotLength(parties, actionBytes), 0,
            initializer(parties, actionBytes, timeoutNanos)));
    }

    /**
     * Opens an existing barrier, with the action it was created with.
     *
     * @param region the region.
     * @param name   the barrier's name.
     * @return the barrier.
     */
    public static SharedBarrier open(final SharedRegion region, final String name)
    {
        return of(region, region.find(name, ObjectType.BARRIER));
    }

    private static SharedBarrier of(final SharedRegion region, final RegionEntry entry)
    {
        return new SharedBarrier(region, entry, WaitStrategy.backoff(), DEFAULT_DEAD_OWNER_CHECK_NANOS);
    }

    /**
     * The same barrier, waiting with another strategy.
     *
     * @param strategy how to wait.
     * @return a view of the same barrier.
     */
    public SharedBarrier withWaitStrategy(final WaitStrategy strategy)
    {
        return new SharedBarrier(region, entry, Objects.requireNonNull(strategy, "strategy"), deadOwnerCheckNanos);
    }

    /**
     * The same barrier, checking at this interval whether an arrived party died (which breaks the barrier).
     *
     * @param interval a positive interval.
     * @return a view of the same barrier.
     */
    public SharedBarrier withDeadPartyCheck(final Duration interval)
    {
        return new SharedBarrier(region, entry, waitStrategy, checkInterval(interval));
    }

    /**
     * Waits until every party has arrived, or at most the barrier's {@linkplain #defaultTimeout() default timeout}.
     *
     * @return the arrival index: {@code parties - 1} for the first, 0 for the last.
     * @throws InterruptedException   when interrupted while waiting (the barrier breaks).
     * @throws BrokenBarrierException when the barrier is or becomes broken, or the default timeout passed (the
     *                                barrier breaks, as Python's {@code wait()} does; the cause is a
     *                                {@link TimeoutException}).
     */
    public int await() throws InterruptedException, BrokenBarrierException
    {
        if (defaultTimeoutNanos == NO_DEFAULT_TIMEOUT)
        {
            try
            {
                return awaitTrip(Long.MAX_VALUE);
            }
            catch (final TimeoutException ex)
            {
                throw new IllegalStateException("unreachable: an untimed wait timed out", ex);
            }
        }
        try
        {
            return awaitTrip(defaultTimeoutNanos);
        }
        catch (final TimeoutException ex)
        {
            final BrokenBarrierException broken = broken("broke: the barrier's default timeout of " +
                Duration.ofNanos(defaultTimeoutNanos) + " passed while this party waited");
            broken.initCause(ex);
            throw broken;
        }
    }

    /**
     * Waits until every party has arrived or the timeout passes (negative counts as zero); a timeout breaks the
     * barrier for every party.
     *
     * @param timeout how long.
     * @param unit    its unit.
     * @return the arrival index: {@code parties - 1} for the first, 0 for the last.
     * @throws InterruptedException   when interrupted while waiting (the barrier breaks).
     * @throws BrokenBarrierException when the barrier is or becomes broken.
     * @throws TimeoutException       when the timeout passed first (the barrier breaks).
     */
    public int await(final long timeout, final TimeUnit unit)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        return awaitTrip(RobustMutex.toNanos(timeout, unit));
    }

    /** Breaks the barrier: every waiting party and every latecomer gets a {@link BrokenBarrierException}. */
    public void abort()
    {
        lockGuard();
        try
        {
            breakRound(live().getLongVolatile(offset + STATE_OFFSET) >>> 1);
        }
        finally
        {
            guard.release();
        }
    }

    /** Breaks the current round for the parties waiting in it, then makes the barrier usable again. */
    public void reset()
    {
        lockGuard();
        try
        {
            final long generation = live().getLongVolatile(offset + STATE_OFFSET) >>> 1;
            // TRIPPED stays behind: waiters of this generation see the next one without a trip, i.e. broken.
            live().putInt(offset + ARRIVED_OFFSET, 0);
            live().putLongVolatile(offset + STATE_OFFSET, (generation + 1) << 1);
        }
        finally
        {
            guard.release();
        }
    }

    /**
     * @return whether the barrier is broken.
     */
    public boolean isBroken()
    {
        return (live().getLongVolatile(offset + STATE_OFFSET) & 1) != 0;
    }

    /**
     * @return how many parties wait at the barrier now.
     */
    public int numberWaiting()
    {
        return isBroken() ? 0 : live().getIntVolatile(offset + ARRIVED_OFFSET);
    }

    /**
     * @return how many parties trip the barrier.
     */
    public int parties()
    {
        return parties;
    }

    /**
     * How long {@link #await()} waits, as given at creation.
     *
     * @return the default timeout, or empty when {@link #await()} waits for ever.
     */
    public Optional<Duration> defaultTimeout()
    {
        return defaultTimeoutNanos == NO_DEFAULT_TIMEOUT ?
            Optional.empty() : Optional.of(Duration.ofNanos(defaultTimeoutNanos));
    }

    @Override
    public String toString()
    {
        if (regionClosed())
        {
            return "SharedBarrier{" + name() + ", region closed}";
        }
        return "SharedBarrier{" + name() + ", parties=" + parties + ", waiting=" + numberWaiting() +
            (isBroken() ? ", broken" : "") + "}";
    }

    private int awaitTrip(final long timeoutNanos)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        final long generation;
        final int index;
        lockGuard();
        try
        {
            final long state = live().getLongVolatile(offset + STATE_OFFSET);
            generation = state >>> 1;
            if ((state & 1) != 0)
            {
                throw broken("is broken");
            }
            if (Thread.interrupted())
            {
                breakRound(generation);
                throw new InterruptedException("interrupted before waiting at " + this);
            }
            final int arrived = live().getInt(offset + ARRIVED_OFFSET);
            if (arrived < 0 || arrived >= parties)
            {
                // Damaged: ARRIVALS + arrived would lie outside the slot. Broken, never a write to the wrong bytes.
                breakRound(generation);
                throw RegionChecks.corrupt(region.path(), "barrier '" + name() + "' ARRIVED", arrived,
                    "outside 0.." + (parties - 1) + "; the barrier is now broken");
            }
            index = parties - 1 - arrived;
            live().putLong(offset + ARRIVALS_OFFSET + arrived * Long.BYTES, ProcessIdentity.current());
            live().putIntVolatile(offset + ARRIVED_OFFSET, arrived + 1);
            if (index == 0)
            {
                runAction(generation);
                trip(generation);
                return 0;
            }
        }
        finally
        {
            guard.release();
        }
        return awaitOthers(generation, index, timeoutNanos);
    }

    private int awaitOthers(final long generation, final int index, final long timeoutNanos)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        final TimedWait wait = new TimedWait(waitStrategy.newIdleStrategy(), waitStrategy.isBusySpin())
            .begin(timeoutNanos, deadOwnerCheckNanos, TimedWait.Interrupts.REPORT, this);
        while (true)
        {
            if (outcome(generation))
            {
                return index;
            }
            switch (wait.miss())
            {
                case TimedWait.CHECK:
                {
                    final long dead = deadParty();
                    if (dead != ProcessIdentity.NONE && !breakUnlessTripped(generation))
                    {
                        throw broken("broke: a party that had arrived died (" + ProcessIdentity.toString(dead) + ")");
                    }
                    break;
                }
                case TimedWait.TIMED_OUT:
                    if (breakUnlessTripped(generation))
                    {
                        return index;
                    }
                    throw new TimeoutException("timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) +
                        " ms waiting at " + this + "; the barrier is now broken");
                case TimedWait.INTERRUPTED:
                    if (breakUnlessTripped(generation))
                    {
                        Thread.currentThread().interrupt();
                        return index;
                    }
                    throw new InterruptedException("interrupted while waiting at " + this + "; the barrier is now broken");
                default:
                    break;
            }
        }
    }

    /**
     * The round's outcome as far as it is known: true when it tripped, false while it is still open.
     *
     * @throws BrokenBarrierException when it broke or was reset.
     */
    private boolean outcome(final long generation) throws BrokenBarrierException
    {
        // Acquire: STATE is written last under the guard, so a later generation seen here makes TRIPPED visible.
        final long state = live().getLongVolatile(offset + STATE_OFFSET);
        if ((state >>> 1) == generation)
        {
            if ((state & 1) != 0)
            {
                throw broken("broke while this party waited");
            }
            return false;
        }
        if (live().getLongVolatile(offset + TRIPPED_OFFSET) >= generation)
        {
            return true;
        }
        throw broken("was reset while this party waited");
    }

    /** Breaks the round under the guard unless it tripped first; returns true when it had tripped. */
    private boolean breakUnlessTripped(final long generation) throws BrokenBarrierException
    {
        lockGuard();
        try
        {
            if (outcome(generation))
            {
                return true;
            }
            breakRound(generation);
            return false;
        }
        finally
        {
            guard.release();
        }
    }

    private long deadParty()
    {
        final int arrived = Math.min(live().getIntVolatile(offset + ARRIVED_OFFSET), parties);
        final long me = ProcessIdentity.current();
        for (int i = 0; i < arrived; i++)
        {
            final long party = live().getLong(offset + ARRIVALS_OFFSET + i * Long.BYTES);
            if (party != me && party != ProcessIdentity.NONE && !ProcessIdentity.isAlive(party))
            {
                return party;
            }
        }
        return ProcessIdentity.NONE;
    }

    /** Called under the guard. */
    private void breakRound(final long generation)
    {
        if (live().getLongVolatile(offset + STATE_OFFSET) == generation << 1)
        {
            live().putLongVolatile(offset + STATE_OFFSET, (generation << 1) | 1);
        }
    }

    /** Called under the guard by the last party, after the action. */
    private void trip(final long generation)
    {
        live().putLongVolatile(offset + TRIPPED_OFFSET, generation);
        live().putInt(offset + ARRIVED_OFFSET, 0);
        // Release: the action's effects and TRIPPED are visible to every waiter that sees the next generation.
        live().putLongVolatile(offset + STATE_OFFSET, (generation + 1) << 1);
    }

    private void runAction(final long generation) throws BrokenBarrierException
    {
        final Runnable toRun;
        try
        {
            toRun = action();
        }
        catch (final BrokenBarrierException | RuntimeException ex)
        {
            // Unreadable, rejected, or a damaged length (RegionException, CORRUPT): never run, and nobody waits on.
            breakRound(generation);
            throw ex;
        }
        if (toRun == null)
        {
            return;
        }
        try
        {
            toRun.run();
        }
        catch (final RuntimeException | Error ex)
        {
            breakRound(generation);
            throw ex;
        }
    }

    /** The action, read once per view; bytes that cannot be read, or that the filter rejects, break the barrier. */
    private Runnable action() throws BrokenBarrierException
    {
        if (action == null)
        {
            // Checked against the slot before use: a damaged length is a RegionException (CORRUPT), which breaks
            // the round (see runAction), never an allocation of whatever the field says.
            final long actionStart = ARRIVALS_OFFSET + (long)parties * Long.BYTES;
            final int length = RegionChecks.inSlot(region, entry, "barrier '" + name() + "' ACTION_LENGTH",
                actionStart, live().getInt(offset + ACTION_LENGTH_OFFSET));
            if (length == 0)
            {
                return null;
            }
            final byte[] bytes = new byte[length];
            live().getBytes(actionOffset(parties), bytes);
            try
            {
                action = (Runnable)Deserialization.fromBytes(bytes);
            }
            catch (final DeserializationRejectedException ex)
            {
                throw unreadableAction("rejected by the deserialization filter: " + ex.getMessage(), ex);
            }
            catch (final Exception | LinkageError ex)
            {
                throw unreadableAction("cannot be read in this process: " + ex, ex);
            }
        }
        return action;
    }

    private BrokenBarrierException unreadableAction(final String problem, final Throwable cause)
    {
        final BrokenBarrierException broken = new BrokenBarrierException("barrier '" + name() + "' in region " +
            region.path() + ": action " + problem + "; the barrier is now broken for every party");
        broken.initCause(cause);
        return broken;
    }

    /** Takes the guard; if its holder died, repairs what that holder may have left half-done. */
    private void lockGuard()
    {
        guard.acquireUninterruptibly(Thread.currentThread().getId());
        if (guard.diedOwner() != ProcessIdentity.NONE)
        {
            final long generation = live().getLongVolatile(offset + STATE_OFFSET) >>> 1;
            if (live().getLongVolatile(offset + TRIPPED_OFFSET) == generation)
            {
                trip(generation);
            }
            else
            {
                breakRound(generation);
            }
        }
    }

    private BrokenBarrierException broken(final String what)
    {
        return new BrokenBarrierException("SharedBarrier '" + name() + "' " + what);
    }

    private static int actionOffset(final int entryOffset, final int parties)
    {
        return entryOffset + ARRIVALS_OFFSET + parties * Long.BYTES;
    }

    private int actionOffset(final int parties)
    {
        return actionOffset(offset, parties);
    }

    private static long slotLength(final int parties, final byte[] actionBytes)
    {
        if (parties < 1 || parties > MAX_PARTIES)
        {
            throw new IllegalArgumentException("a barrier needs 1 to " + MAX_PARTIES + " parties: " + parties);
        }
        return ARRIVALS_OFFSET + (long)parties * Long.BYTES + actionBytes.length;
    }

    private static long defaultTimeoutNanos(final String name, final Duration defaultTimeout)
    {
        if (defaultTimeout == null)
        {
            return NO_DEFAULT_TIMEOUT;
        }
        if (defaultTimeout.isNegative() || defaultTimeout.isZero())
        {
            throw new IllegalArgumentException(
                "the default timeout of barrier '" + name + "' must be positive (null waits for ever): " + defaultTimeout);
        }
        try
        {
            return defaultTimeout.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    private static dev.ipckit.memory.internal.ObjectInitializer initializer(
        final int parties, final byte[] actionBytes, final long defaultTimeoutNanos)
    {
        return (b, o, l) ->
        {
            b.putLong(o + DEFAULT_TIMEOUT_OFFSET, defaultTimeoutNanos);
            b.putLong(o + STATE_OFFSET, 1L << 1);
            b.putLong(o + TRIPPED_OFFSET, 0);
            b.putInt(o + PARTIES_OFFSET, parties);
            b.putInt(o + ACTION_LENGTH_OFFSET, actionBytes.length);
            b.putBytes(actionOffset(o, parties), actionBytes);
        };
    }

    private static byte[] serialize(final String name, final Action action)
    {
        if (action == null)
        {
            return new byte[0];
        }
        try
        {
            return Serialization.toBytes(action);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(
                "the action of barrier '" + name + "' cannot be serialized: " + ex.getMessage(), ex);
        }
    }
}
