package dev.ipckit.benchmarks;

import dev.ipckit.memory.internal.RegionEntry;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.value.SharedLong;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uncontended single-thread cost of {@link SharedLong} operations, next to the same operation on a raw Agrona buffer
 * over the same mapping and on a heap {@link AtomicLong}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ValueBenchmark
{
    private SharedRegion region;
    private SharedLong value;
    private AtomicBuffer raw;
    private int rawOffset;
    private final AtomicLong atomic = new AtomicLong();
    private long next;

    /** Maps a region in the default directory. */
    @Setup(Level.Trial)
    public void setUp()
    {
        region = SharedRegion.create("jmh-values-" + ProcessHandle.current().pid(), 1 << 20);
        value = SharedLong.create(region, "value", 0);
        final RegionEntry entry = region.allocate("raw", dev.ipckit.memory.internal.ObjectType.LONG, 1, 0, null);
        raw = new UnsafeBuffer(region.buffer().addressOffset(), region.length());
        rawOffset = entry.offset();
    }

    /** Unmaps and unlinks the region. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        region.close();
    }

    /** @return the value, volatile read. */
    @Benchmark
    public long sharedLongGet()
    {
        return value.get();
    }

    /** Volatile write. */
    @Benchmark
    public void sharedLongSet()
    {
        value.set(next++);
    }

    /** Release write. */
    @Benchmark
    public void sharedLongSetRelease()
    {
        value.setRelease(next++);
    }

    /** @return the new value. */
    @Benchmark
    public long sharedLongIncrementAndGet()
    {
        return value.incrementAndGet();
    }

    /** @return the value read from the raw buffer. */
    @Benchmark
    public long rawAgronaGetVolatile()
    {
        return raw.getLongVolatile(rawOffset);
    }

    /** Raw volatile write. */
    @Benchmark
    public void rawAgronaPutVolatile()
    {
        raw.putLongVolatile(rawOffset, next++);
    }

    /** @return the previous raw value. */
    @Benchmark
    public long rawAgronaGetAndAdd()
    {
        return raw.getAndAddLong(rawOffset, 1);
    }

    /** @return the new heap value. */
    @Benchmark
    public long atomicLongIncrementAndGet()
    {
        return atomic.incrementAndGet();
    }
}
