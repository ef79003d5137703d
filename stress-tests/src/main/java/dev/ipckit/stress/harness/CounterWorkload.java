package dev.ipckit.stress.harness;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.value.SharedLong;
import dev.ipckit.value.SharedLongArray;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code counter}: participants add one to a shared long under a {@link SharedLock} with a plain read and write (so
 * only the lock keeps updates from being lost), and then, still under the lock, one to their own acknowledged count.
 * <p>
 * Invariant: {@code total - sum(acknowledged)} is at least 0 (less would be a lost update: the lock let two in) and
 * at most the number of times the lock was taken over from a dead holder (a participant killed between its two
 * stores leaves the total one ahead); takeovers in turn are at most the participants killed.
 */
final class CounterWorkload extends SupervisedWorkload
{
    private static final int HOLD_SPINS = 50;

    private SharedRegion region;
    private SharedLock lock;
    private SharedLong total;
    private SharedLongArray acknowledged;
    private SharedEvent stop;
    private Participants counters;

    @Override
    List<Participants> open(final WorkloadContext context)
    {
        final int slots = context.options().processes();
        region = SharedRegion.create("counter", 1 << 20, context.regionOptions());
        lock = SharedLock.create(region, "lock");
        total = SharedLong.createRaw(region, "total", 0);
        acknowledged = SharedLongArray.createRaw(region, "acknowledged", slots);
        stop = SharedEvent.create(region, "stop");
        final SharedLongArray ready = SharedLongArray.createRaw(region, "ready", slots);
        final SharedLock lock = this.lock;
        final SharedLong total = this.total;
        final SharedLongArray acknowledged = this.acknowledged;
        final SharedEvent stop = this.stop;
        counters = new Participants("counter", ready, context.readyLimitNanos(), slot -> IpcProcess.of(
            (SerializableCallable<Long>)() -> count(lock, total, acknowledged, stop, ready, slot))
            .name("counter-" + slot).daemon(true).jvmOptions(WorkloadContext.SMALL_JVM), (slot, code) -> { });
        return List.of(counters);
    }

    /** A participant's loop, in the child. */
    static long count(final SharedLock lock, final SharedLong total, final SharedLongArray acknowledged,
        final SharedEvent stop, final SharedLongArray ready, final int slot) throws InterruptedException
    {
        Participants.signalReady(ready, slot);
        long done = 0;
        while (!stop.isSet())
        {
            if (lock.tryLock(WorkloadContext.WAIT_MILLIS, TimeUnit.MILLISECONDS))
            {
                try
                {
                    // The lock orders these for the next holder. The release store keeps the total's store before the
                    // acknowledgement's, so a kill between them can only leave the total ahead, never behind.
                    total.setPlain(total.getPlain() + 1);
                    acknowledged.setRelease(slot, acknowledged.getPlain(slot) + 1);
                    done++;
                    for (int i = 0; i < HOLD_SPINS; i++)
                    {
                        Thread.onSpinWait();        // hold the lock a moment, so that some kills land inside
                    }
                }
                finally
                {
                    lock.unlock();
                }
            }
        }
        return done;
    }

    @Override
    long operations()
    {
        return sum(acknowledged);
    }

    @Override
    void signalStop()
    {
        stop.set();
    }

    @Override
    void check(final WorkloadReport report) throws InterruptedException
    {
        // Taking the lock once more takes it over from a participant killed holding it at the very end.
        if (lock.tryLock(10, TimeUnit.SECONDS))
        {
            lock.unlock();
        }
        else
        {
            report.problem("the lock could not be taken after every participant stopped (held by pid " +
                lock.ownerPid() + ")");
        }
        final long takeovers = lock.deadOwnerTakeovers();
        final long ahead = total.get() - sum(acknowledged);
        report.check(Check.between("total - sum(acknowledged): >= 0 (no lost update), <= lock takeovers",
            ahead, 0, takeovers));
        report.check(Check.atMost("lock takeovers from dead holders <= participants killed",
            takeovers, counters.killed()));
    }

    @Override
    void close()
    {
        if (region != null)
        {
            region.close();
        }
    }

    static long sum(final SharedLongArray array)
    {
        long sum = 0;
        for (int i = 0; i < array.length(); i++)
        {
            sum += array.get(i);
        }
        return sum;
    }
}
