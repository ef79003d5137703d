package dev.ipckit.pool;

import dev.ipckit.memory.internal.ObjectType;
import dev.ipckit.memory.internal.RegionChecks;
import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.platform.internal.ClassCache;
import dev.ipckit.process.SerializableRunnable;
import dev.ipckit.sync.WaitStrategy;

/**
 * The task a pool's worker process runs: the {@link WorkerLoop} over its slot's two rings in the pool's region, until
 * STOP, its task limit, or its parent's death (the child's watchdog halts it). An {@link Error} (out of memory, say)
 * ends the worker, and the pool replaces it.
 */
final class PoolWorker implements SerializableRunnable
{
    private static final long serialVersionUID = 1L;

    private final SharedRegion region;
    private final int slot;
    private final int ringCapacity;
    private final SerializableRunnable initializer;
    private final int maxTasks;
    private final WaitStrategy waitStrategy;

    PoolWorker(
        final SharedRegion region, final int slot, final int ringCapacity, final SerializableRunnable initializer,
        final int maxTasks, final WaitStrategy waitStrategy)
    {
        this.region = region;
        this.slot = slot;
        this.ringCapacity = ringCapacity;
        this.initializer = initializer;
        this.maxTasks = maxTasks;
        this.waitStrategy = waitStrategy;
    }

    @Override
    public void run()
    {
        final RegionEntry entry = region.find(PoolLayout.slotName(slot), ObjectType.BYTES);
        // The two rings must lie inside the slot the directory gives (a damaged entry is CORRUPT, not a ring over
        // the neighbouring slot).
        RegionChecks.inSlot(region, entry, "pool slot '" + entry.name() + "' LENGTH", 0, PoolLayout.slotLength(ringCapacity));
        new WorkerLoop(PoolLayout.slotName(slot), ringCapacity, new ClassCache(PoolWorker.class.getClassLoader()))
            .run(new WorkerLoop.RingTasks(PoolLayout.tasks(region.buffer(), entry.offset(), ringCapacity), waitStrategy,
                    region.waiters(), entry.offset()),
                new WorkerLoop.RingResults(PoolLayout.results(region.buffer(), entry.offset(), ringCapacity), waitStrategy),
                initializer, maxTasks);
    }
}
