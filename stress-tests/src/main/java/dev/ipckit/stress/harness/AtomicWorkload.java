package dev.ipckit.stress.harness;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.SharedEvent;
import dev.ipckit.value.SharedLong;
import dev.ipckit.value.SharedLongArray;

import java.util.List;

/**
 * {@code atomic}: participants {@code incrementAndGet} a shared long without a lock, then add one to their own
 * acknowledged count.
 * <p>
 * Invariant: {@code total - sum(acknowledged)} is at least 0 (no lost update) and at most the participants killed
 * (one killed between its increment and its acknowledgement leaves the total one ahead).
 */
final class AtomicWorkload extends SupervisedWorkload
{
    private SharedRegion region;
    private SharedLong total;
    private SharedLongArray acknowledged;
    private SharedEvent stop;
    private Participants incrementers;

    @Override
    List<Participants> open(final WorkloadContext context)
    {
        final int slots = context.options().processes();
        region = SharedRegion.create("atomic", 1 << 20, context.regionOptions());
        total = SharedLong.createRaw(region, "total", 0);
        acknowledged = SharedLongArray.createRaw(region, "acknowledged", slots);
        stop = SharedEvent.create(region, "stop");
        final SharedLongArray ready = SharedLongArray.createRaw(region, "ready", slots);
        final SharedLong total = this.total;
        final SharedLongArray acknowledged = this.acknowledged;
        final SharedEvent stop = this.stop;
        incrementers = new Participants("incrementer", ready, context.readyLimitNanos(), slot -> IpcProcess.of(
            (SerializableCallable<Long>)() -> increment(total, acknowledged, stop, ready, slot))
            .name("atomic-" + slot).daemon(true).jvmOptions(WorkloadContext.SMALL_JVM), (slot, code) -> { });
        return List.of(incrementers);
    }

    /** A participant's loop, in the child. */
    static long increment(final SharedLong total, final SharedLongArray acknowledged, final SharedEvent stop,
        final SharedLongArray ready, final int slot)
    {
        Participants.signalReady(ready, slot);
        long done = 0;
        while (!stop.isSet())
        {
            for (int i = 0; i < 64; i++)
            {
                total.incrementAndGet();
                // Only this slot's process writes it; release so the harness reads a count no older than the total.
                acknowledged.setRelease(slot, acknowledged.getPlain(slot) + 1);
            }
            done += 64;
        }
        return done;
    }

    @Override
    long operations()
    {
        return CounterWorkload.sum(acknowledged);
    }

    @Override
    void signalStop()
    {
        stop.set();
    }

    @Override
    void check(final WorkloadReport report)
    {
        final long ahead = total.get() - CounterWorkload.sum(acknowledged);
        report.check(Check.between("total - sum(acknowledged): >= 0 (no lost update), <= participants killed",
            ahead, 0, incrementers.killed()));
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
