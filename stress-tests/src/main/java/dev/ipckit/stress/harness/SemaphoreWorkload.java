package dev.ipckit.stress.harness;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ProcessIdentity;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedSemaphore;
import dev.ipckit.value.SharedLong;
import dev.ipckit.value.SharedLongArray;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code semaphore}: participants take one of N permits ({@code processes / 2}, at least 1) of a
 * {@link SharedSemaphore}, stay inside a moment and leave.
 * <p>
 * Who is inside is a bit mask in shared memory, one bit per slot, set with a CAS after the acquire and cleared with a
 * CAS before the release; each admission counts the bits of live holders. A participant killed inside leaves its
 * bit set, and ipc-core gives its permit back when a waiter's dead-owner check finds it dead (SharedSemaphore
 * records each process's net permits; within about 100 ms of waiting), so a new holder may be admitted while the
 * dead one's bit is still set: such a "ghost" is not counted. A bit counts as live only when its slot's process is
 * alive (the same liveness test ipc-core uses) and the slot was not repaired since the admission began; the harness
 * clears a dead slot's bit, then bumps the slot's incarnation, before it starts the slot again.
 * <p>
 * Invariants: live holders never exceed N; after everyone stopped no bit is left and, dead holders reclaimed,
 * exactly N permits are available (none leaked, none invented). Bound on capacity: a dead holder's permit is missing
 * until reclaimed, so while k participants lie dead inside, only N - k are admitted.
 */
final class SemaphoreWorkload extends SupervisedWorkload
{
    private static final int HOLD_SPINS = 2_000;

    private SharedRegion region;
    private SharedSemaphore permits;
    private SharedLong inside;
    private SharedLongArray incarnation;
    private SharedLongArray admissions;
    private SharedLong mostInside;
    private SharedLong mostGhosts;
    private SharedEvent stop;
    private Participants holders;
    private int permitCount;
    private long killedInside;

    @Override
    List<Participants> open(final WorkloadContext context)
    {
        final int slots = context.options().processes();
        permitCount = Math.max(1, slots / 2);
        region = SharedRegion.create("semaphore", 1 << 20, context.regionOptions());
        permits = SharedSemaphore.create(region, "permits", permitCount);
        inside = SharedLong.createRaw(region, "inside", 0);
        final SharedLongArray identity = SharedLongArray.createRaw(region, "identity", slots);
        incarnation = SharedLongArray.createRaw(region, "incarnation", slots);
        admissions = SharedLongArray.createRaw(region, "admissions", slots);
        mostInside = SharedLong.createRaw(region, "most-inside", 0);
        mostGhosts = SharedLong.createRaw(region, "most-ghosts", 0);
        stop = SharedEvent.create(region, "stop");
        final SharedLongArray ready = SharedLongArray.createRaw(region, "ready", slots);
        final Shared shared = new Shared(permits, permitCount, inside, identity, incarnation, admissions, mostInside,
            mostGhosts, stop, ready);
        holders = new Participants("holder", ready, context.readyLimitNanos(), slot -> IpcProcess.of(
            (SerializableCallable<Long>)() -> admit(shared, slot))
            .name("semaphore-" + slot).daemon(true).jvmOptions(WorkloadContext.SMALL_JVM), this::repair);
        return List.of(holders);
    }

    /** The shared objects a participant uses, in one serializable record. */
    record Shared(SharedSemaphore permits, int permitCount, SharedLong inside, SharedLongArray identity,
        SharedLongArray incarnation, SharedLongArray admissions, SharedLong mostInside, SharedLong mostGhosts,
        SharedEvent stop, SharedLongArray ready) implements java.io.Serializable
    {
    }

    /** A participant's loop, in the child. */
    static long admit(final Shared shared, final int slot) throws InterruptedException
    {
        final int slots = shared.identity().length();
        final long[] seen = new long[slots];
        final long bit = 1L << slot;
        shared.identity().setRelease(slot, ProcessIdentity.current());
        Participants.signalReady(shared.ready(), slot);
        long done = 0;
        while (!shared.stop().isSet())
        {
            if (!shared.permits().tryAcquire(WorkloadContext.WAIT_MILLIS, TimeUnit.MILLISECONDS))
            {
                continue;
            }
            try
            {
                for (int s = 0; s < slots; s++)
                {
                    seen[s] = shared.incarnation().get(s);
                }
                final long mask = update(shared.inside(), bit, true);
                int live = 0;
                int ghosts = 0;
                for (int s = 0; s < slots; s++)
                {
                    if ((mask & (1L << s)) == 0)
                    {
                        continue;
                    }
                    // Identity first, then incarnation: a replacement's identity is written after the bump.
                    final long identity = shared.identity().get(s);
                    if (s == slot || shared.incarnation().get(s) == seen[s] && ProcessIdentity.isAlive(identity))
                    {
                        live++;
                    }
                    else
                    {
                        ghosts++;
                    }
                }
                raise(shared.mostInside(), live);
                raise(shared.mostGhosts(), ghosts);
                for (int i = 0; i < HOLD_SPINS; i++)
                {
                    Thread.onSpinWait();        // stay inside a moment, so that some kills land inside
                }
                update(shared.inside(), bit, false);
            }
            finally
            {
                shared.permits().release();
            }
            shared.admissions().setRelease(slot, shared.admissions().getPlain(slot) + 1);
            done++;
        }
        return done;
    }

    /** Sets or clears a bit with a CAS; returns the mask it produced. */
    static long update(final SharedLong mask, final long bit, final boolean set)
    {
        while (true)
        {
            final long before = mask.get();
            final long after = set ? before | bit : before & ~bit;
            if (mask.compareAndSet(before, after))
            {
                return after;
            }
        }
    }

    private static void raise(final SharedLong most, final long value)
    {
        long current;
        while (value > (current = most.get()) && !most.compareAndSet(current, value))
        {
            Thread.onSpinWait();
        }
    }

    /** On the harness's supervising thread, before the slot starts again: clear, then bump (order matters). */
    private void repair(final int slot, final int exitCode)
    {
        final long bit = 1L << slot;
        if ((inside.get() & bit) != 0)
        {
            killedInside++;
            update(inside, bit, false);
        }
        incarnation.incrementAndGet(slot);
    }

    @Override
    long operations()
    {
        return CounterWorkload.sum(admissions);
    }

    @Override
    void signalStop()
    {
        stop.set();
    }

    @Override
    void check(final WorkloadReport report)
    {
        report.check(Check.atMost("live holders inside at once <= permits", mostInside.get(), permitCount));
        report.check(Check.exactly("holders recorded inside after everyone stopped", Long.bitCount(inside.get()), 0));
        final long reclaimed = permits.reclaimDeadHolders();
        report.check(Check.exactly("permits available after stop and reclaim (none leaked or invented)",
            permits.availablePermits(), permitCount));
        report.check(Check.atMost("participants killed inside <= participants killed", killedInside, holders.killed()));
        report.note(permitCount + " permits; " + killedInside + " killed inside; most dead holders inside at once " +
            mostGhosts.get() + "; permits reclaimed by the harness at the end " + reclaimed);
    }

    @Override
    void close()
    {
        if (region != null)
        {
            region.close();
        }
    }
}
