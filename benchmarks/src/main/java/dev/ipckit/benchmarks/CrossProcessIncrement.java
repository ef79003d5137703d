package dev.ipckit.benchmarks;

import dev.ipckit.memory.ObjectType;
import dev.ipckit.memory.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.value.SharedBoolean;
import dev.ipckit.value.SharedLong;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N child JVMs increment one shared long, each {@code ops} times: {@link SharedLong#incrementAndGet()} next to raw
 * Agrona {@code getAndAddLong} on the same kind of mapping, in the same run. Prints total ops/s per variant (best of
 * the rounds). Usage: {@code CrossProcessIncrement [processes=2] [opsPerProcess=10000000] [rounds=3]}.
 */
public final class CrossProcessIncrement
{
    private CrossProcessIncrement()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args processes, operations per process, rounds.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int processes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        final long ops = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf("%d processes x %,d increments, best of %d rounds, %d cpus%n",
            processes, ops, rounds, Runtime.getRuntime().availableProcessors());
        double bestShared = 0;
        double bestRaw = 0;
        for (int round = 0; round < rounds; round++)
        {
            final double shared = run(processes, ops, false);
            final double raw = run(processes, ops, true);
            System.out.printf("round %d: SharedLong.incrementAndGet %.1f M ops/s, raw Agrona getAndAddLong %.1f M ops/s%n",
                round + 1, shared / 1e6, raw / 1e6);
            bestShared = Math.max(bestShared, shared);
            bestRaw = Math.max(bestRaw, raw);
        }
        System.out.printf("best: SharedLong %.1f M ops/s, raw Agrona %.1f M ops/s, ratio %.2f%n",
            bestShared / 1e6, bestRaw / 1e6, bestShared / bestRaw);
    }

    private static double run(final int processes, final long ops, final boolean raw) throws Exception
    {
        try (SharedRegion region = SharedRegion.create("bench-increment-" + ProcessHandle.current().pid(), 1 << 20))
        {
            final SharedLong counter = SharedLong.create(region, "counter", 0);
            final SharedBoolean go = SharedBoolean.create(region, "go", false);
            final SharedLong ready = SharedLong.create(region, "ready", 0);
            final RegionEntry rawEntry = region.allocate("raw", ObjectType.LONG, 1, 0, null);
            final String path = region.path().toString();
            final int rawOffset = rawEntry.offset();

            final List<IpcProcess<Void>> children = new ArrayList<>();
            for (int p = 0; p < processes; p++)
            {
                final IpcProcess<Void> child = raw ?
                    IpcProcess.of(() -> rawIncrements(path, rawOffset, ops, ready, go)) :
                    IpcProcess.of(() -> sharedIncrements(counter, ops, ready, go));
                children.add(child.name((raw ? "raw-" : "shared-") + p));
            }
            children.forEach(IpcProcess::start);
            final long readyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ready.get() < processes)
            {
                if (System.nanoTime() > readyDeadline)
                {
                    throw new IllegalStateException("children did not get ready within 60 s");
                }
                Thread.sleep(1);
            }
            final long start = System.nanoTime();
            go.set(true);
            for (final IpcProcess<Void> child : children)
            {
                if (!child.join(120, TimeUnit.SECONDS) || child.exitCode().getAsInt() != 0)
                {
                    throw new IllegalStateException(child + " failed or did not finish");
                }
            }
            final long elapsed = System.nanoTime() - start;
            final long total = raw ? region.buffer().getLongVolatile(rawOffset) : counter.get();
            if (total != processes * ops)
            {
                throw new IllegalStateException("lost updates: " + total + " != " + processes * ops);
            }
            return total * 1e9 / elapsed;
        }
    }

    private static void sharedIncrements(final SharedLong counter, final long ops, final SharedLong ready, final SharedBoolean go)
    {
        awaitGo(ready, go);
        for (long i = 0; i < ops; i++)
        {
            counter.incrementAndGet();
        }
    }

    private static void rawIncrements(
        final String path, final int offset, final long ops, final SharedLong ready, final SharedBoolean go)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(new File(path), "raw");
        final UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        awaitGo(ready, go);
        for (long i = 0; i < ops; i++)
        {
            buffer.getAndAddLong(offset, 1);
        }
        IoUtil.unmap(mapped);
    }

    private static void awaitGo(final SharedLong ready, final SharedBoolean go)
    {
        ready.incrementAndGet();
        while (!go.get())
        {
            Thread.yield();
        }
    }
}
