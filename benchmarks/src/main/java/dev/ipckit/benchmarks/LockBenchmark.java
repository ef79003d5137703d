package dev.ipckit.benchmarks;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.SharedSemaphore;
import dev.ipckit.value.SharedLong;
import org.agrona.concurrent.AtomicBuffer;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * Uncontended single-thread cost of the shared synchronization primitives, next to their references: a raw CAS spin
 * lock on a bare Agrona buffer over a mapped file ({@link RawMapping}; {@code compareAndSetLong(0, 1)},
 * {@code putLongRelease(0)}), raw {@code getAndAddLong} on the same buffer, and a heap {@link ReentrantLock}.
 * Uncontended, the wait strategy never runs, so default and busy-spin views cost the same here; contention is
 * {@link CrossProcessLock}'s job.
 * <p>
 * Run it from the shaded jar with the ipckit JVM flags (the JMH forks inherit them):
 * <pre>
 *   mvn -B -q -DskipTests package -pl benchmarks -am
 *   flags="$(sed -n 's/^all=//p' ipc-core/target/classes/dev/ipckit/platform/jvm-flags.properties)"
 *   java $flags -jar benchmarks/target/benchmarks.jar LockBenchmark
 *   java $flags -jar benchmarks/target/benchmarks.jar LockBenchmark -f 1 -wi 0 -i 1 -r 100ms   # smoke run only
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LockBenchmark
{
    private SharedRegion region;
    private SharedLock lock;
    private SharedRLock rlock;
    private SharedRLock heldRLock;
    private SharedSemaphore semaphore;
    private SharedLong value;
    private RawMapping raw;
    private AtomicBuffer rawBuffer;
    private final ReentrantLock reentrantLock = new ReentrantLock();

    /** Maps a region in the default directory and a raw mapping next to it. */
    @Setup(Level.Trial)
    public void setUp()
    {
        region = SharedRegion.create("jmh-locks-" + ProcessHandle.current().pid(), 1 << 20);
        lock = SharedLock.create(region, "lock");
        rlock = SharedRLock.create(region, "rlock");
        heldRLock = SharedRLock.create(region, "held-rlock");
        semaphore = SharedSemaphore.create(region, "semaphore", 1);
        value = SharedLong.create(region, "value", 0);
        raw = RawMapping.createNextTo(region);
        rawBuffer = raw.buffer();
    }

    /** Holds {@code heldRLock} in the benchmark thread for {@link #sharedRLockLockUnlockWhenHeld()}. */
    @Setup(Level.Iteration)
    public void holdRLock()
    {
        heldRLock.lock();
    }

    /** Lets {@code heldRLock} go. */
    @TearDown(Level.Iteration)
    public void releaseRLock()
    {
        heldRLock.unlock();
    }

    /** Unmaps and deletes the raw mapping, unmaps and unlinks the region. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        try
        {
            raw.close();
        }
        finally
        {
            region.close();
        }
    }

    /** SharedLock lock + unlock. */
    @Benchmark
    public void sharedLockLockUnlock()
    {
        lock.lock();
        lock.unlock();
    }

    /** @return whether tryLock took the lock (always, uncontended); unlocked again. */
    @Benchmark
    public boolean sharedLockTryLockUnlock()
    {
        if (lock.tryLock())
        {
            lock.unlock();
            return true;
        }
        return false;
    }

    /** SharedRLock first lock + last unlock. */
    @Benchmark
    public void sharedRLockLockUnlock()
    {
        rlock.lock();
        rlock.unlock();
    }

    /** SharedRLock locked twice (the second is a re-entry) and unlocked twice. */
    @Benchmark
    public void sharedRLockReentry()
    {
        rlock.lock();
        rlock.lock();
        rlock.unlock();
        rlock.unlock();
    }

    /** A nested SharedRLock lock + unlock while the thread already holds it: re-entry alone. */
    @Benchmark
    public void sharedRLockLockUnlockWhenHeld()
    {
        heldRLock.lock();
        heldRLock.unlock();
    }

    /**
     * SharedSemaphore acquire + release of one permit.
     *
     * @throws InterruptedException never, uncontended.
     */
    @Benchmark
    public void semaphoreAcquireRelease() throws InterruptedException
    {
        semaphore.acquire();
        semaphore.release();
    }

    /** @return whether tryAcquire took the permit (always, uncontended); released again. */
    @Benchmark
    public boolean semaphoreTryAcquireRelease()
    {
        if (semaphore.tryAcquire())
        {
            semaphore.release();
            return true;
        }
        return false;
    }

    /** @return the new value (as in {@link ValueBenchmark}, here for the table). */
    @Benchmark
    public long sharedLongIncrementAndGet()
    {
        return value.incrementAndGet();
    }

    /** Raw CAS spin lock: take (CAS 0 to 1) and free (release store of 0). */
    @Benchmark
    public void rawSpinLockUnlock()
    {
        CrossProcessLock.rawLock(rawBuffer, false);
        rawBuffer.putLongRelease(RawMapping.LOCK_OFFSET, 0);
    }

    /** @return the previous raw value. */
    @Benchmark
    public long rawGetAndAdd()
    {
        return rawBuffer.getAndAddLong(RawMapping.COUNTER_OFFSET, 1);
    }

    /** Heap ReentrantLock lock + unlock. */
    @Benchmark
    public void reentrantLockLockUnlock()
    {
        reentrantLock.lock();
        reentrantLock.unlock();
    }
}
