package dev.ipckit.pool;

import dev.ipckit.process.ProcessInfo;
import dev.ipckit.process.StartMethod;
import dev.ipckit.process.SerializableRunnable;
import dev.ipckit.sync.WaitStrategy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ProcessPool} is made. Immutable; each {@code with...} returns a changed copy.
 */
public final class PoolOptions
{
    /**
     * The pool's default wait, for idle workers and its dispatcher: spin 200 times, yield up to 50,000 times (about
     * 25 ms at the ~0.5 µs a yield costs, giving the CPU to anyone who wants it), then park from 1 µs up to 200 µs.
     * A pool's next task or result usually comes within the yielding phase, and a park costs at least ~55 µs of
     * timer slack on Linux. Measured back to back on a 2-vCPU VM: the median {@code applyAsync(f, x)} round trip was
     * 21-27 µs with 2,000 yields and 9-11 µs with 50,000 (busy-spin: 9 µs); an idle pool's threads stop yielding
     * about 25 ms after their last work (beside busy processes a yield waits for their time slices, so the yielding
     * lasts seconds, at little CPU), then an idle worker sleeps on a doorbell its pool rings with the next task.
     * While workers run long tasks the dispatcher parks instead (PoolDispatcher).
     */
    public static final WaitStrategy DEFAULT_WAIT =
        WaitStrategy.backoff(200, 50_000, 1, 200, java.util.concurrent.TimeUnit.MICROSECONDS);

    /** Default capacity of each worker's two rings: messages (a task, a chunk, a result) up to 512 KiB. */
    public static final int DEFAULT_RING_CAPACITY = 4 << 20;

    /** {@link #maxTasksPerChild()} of workers that live for ever. */
    static final int NO_TASK_LIMIT = 0;

    private final int workers;
    private final SerializableRunnable initializer;
    private final int maxTasksPerChild;
    private final int ringCapacity;
    private final WaitStrategy waitStrategy;
    private final WorkerJvm jvm;
    private final String name;
    /** The directory of the pool's region, null for the regions' default. */
    private final Path directory;
    /** Seats for workers that join over a link (remote workers). */
    private final int remoteWorkers;

    private PoolOptions(
        final int workers, final SerializableRunnable initializer, final int maxTasksPerChild, final int ringCapacity,
        final WaitStrategy waitStrategy, final WorkerJvm jvm, final String name, final Path directory,
        final int remoteWorkers)
    {
        this.remoteWorkers = remoteWorkers;
        this.workers = workers;
        this.initializer = initializer;
        this.maxTasksPerChild = maxTasksPerChild;
        this.ringCapacity = ringCapacity;
        this.waitStrategy = waitStrategy;
        this.jvm = jvm;
        this.name = name;
        this.directory = directory;
    }

    /**
     * The defaults: one worker per CPU, no initializer, workers live for ever, 4 MiB rings, {@link #DEFAULT_WAIT}.
     *
     * @return the defaults.
     */
    public static PoolOptions defaults()
    {
        return new PoolOptions(ProcessInfo.cpuCount(), null, NO_TASK_LIMIT, DEFAULT_RING_CAPACITY,
            DEFAULT_WAIT, WorkerJvm.DEFAULT, "pool", null, 0);
    }

    /**
     * @param workers how many worker processes the pool starts on this host: at least 1, or 0 for a pool whose
     *                workers all join from other hosts ({@link #withRemoteWorkers}).
     * @return changed options.
     */
    public PoolOptions withWorkers(final int workers)
    {
        if (workers < 0)
        {
            throw new IllegalArgumentException("a pool's worker count cannot be negative: " + workers);
        }
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity,
            waitStrategy, jvm, name, directory, remoteWorkers);
    }

    /**
     * @param initializer run once in each worker before its first task (Python's {@code initializer}); if it throws,
     *                    the pool is broken: its tasks fail and it takes no more.
     * @return changed options.
     */
    public PoolOptions withInitializer(final SerializableRunnable initializer)
    {
        return new PoolOptions(workers, Objects.requireNonNull(initializer, "initializer"), maxTasksPerChild,
            ringCapacity, waitStrategy, jvm, name, directory, remoteWorkers);
    }

    /**
     * Replaces each worker by a fresh one after it has run this many tasks (Python's {@code maxtasksperchild}).
     *
     * @param maxTasksPerChild tasks (or chunks) a worker runs before it is replaced, at least 1.
     * @return changed options.
     * @throws IllegalArgumentException when {@code maxTasksPerChild} is 0 or negative (as Python's
     *                                  {@code ValueError}); {@link #withUnlimitedTasksPerChild()} is the default.
     */
    public PoolOptions withMaxTasksPerChild(final int maxTasksPerChild)
    {
        if (maxTasksPerChild < 1)
        {
            throw new IllegalArgumentException("maxTasksPerChild must be at least 1, not " + maxTasksPerChild +
                " (withUnlimitedTasksPerChild() lets workers live for ever)");
        }
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity,
            waitStrategy, jvm, name, directory, remoteWorkers);
    }

    /**
     * Lets workers run any number of tasks (the default; Python's {@code maxtasksperchild=None}).
     *
     * @return changed options.
     */
    public PoolOptions withUnlimitedTasksPerChild()
    {
        return new PoolOptions(workers, initializer, NO_TASK_LIMIT, ringCapacity,
            waitStrategy, jvm, name, directory, remoteWorkers);
    }

    /**
     * @param ringCapacity bytes of each of a worker's two rings, a power of two from 64 KiB; a message (serialized
     *                     task, chunk or result) can be an eighth of it.
     * @return changed options.
     */
    public PoolOptions withRingCapacity(final int ringCapacity)
    {
        if (ringCapacity < (64 << 10) || Integer.bitCount(ringCapacity) != 1)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two of at least 64 KiB: " + ringCapacity);
        }
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity,
            waitStrategy, jvm, name, directory, remoteWorkers);
    }

    /**
     * @param waitStrategy how idle workers and the pool's dispatcher wait.
     * @return changed options.
     */
    public PoolOptions withWaitStrategy(final WaitStrategy waitStrategy)
    {
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity,
            Objects.requireNonNull(waitStrategy, "waitStrategy"), jvm, name, directory, remoteWorkers);
    }

    /**
     * @param options extra JVM options for the workers, e.g. {@code -Xmx256m}.
     * @return changed options.
     */
    public PoolOptions withJvmOptions(final String... options)
    {
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity,
            waitStrategy, jvm.withOptions(List.of(options)), name, directory, remoteWorkers);
    }

    /**
     * @param classPath the workers' class path (see {@code IpcProcess.classPath}); null for the default.
     * @return changed options.
     */
    public PoolOptions withClassPath(final String classPath)
    {
        if (classPath != null && classPath.isBlank())
        {
            throw new IllegalArgumentException("a worker's class path must not be blank");
        }
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity,
            waitStrategy, jvm.withClassPath(classPath), name, directory, remoteWorkers);
    }

    /**
     * @param java the java executable that starts the workers (see {@code IpcProcess.javaExecutable}); null for the
     *             default.
     * @return changed options.
     */
    public PoolOptions withJavaExecutable(final Path java)
    {
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity,
            waitStrategy, jvm.withJava(java), name, directory, remoteWorkers);
    }

    /**
     * How the workers are started, their replacements and recycled workers included: {@link StartMethod#FORKSERVER}
     * hands each to a spare JVM started ahead (a pool is then ready in milliseconds, and a recycled worker does not
     * stall its tasks), {@link StartMethod#SPAWN} starts a fresh one. Default: {@code IpcProcess.defaultStartMethod()}
     * when each worker starts.
     *
     * @param method the start method.
     * @return changed options.
     */
    public PoolOptions withStartMethod(final StartMethod method)
    {
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity,
            waitStrategy, jvm.withStartMethod(Objects.requireNonNull(method, "method")), name, directory, remoteWorkers);
    }

    /**
     * @param name the pool's name; workers are named {@code <name>-worker-<i>}.
     * @return changed options.
     */
    public PoolOptions withName(final String name)
    {
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity, waitStrategy, jvm,
            Objects.requireNonNull(name, "name"), directory, remoteWorkers);
    }

    /**
     * @param directory where the pool's shared region lives (its rings); by default the regions' default directory.
     *                  Checked like every region directory (see {@link dev.ipckit.memory.RegionOptions#withDirectory}).
     * @return changed options.
     */
    public PoolOptions withDirectory(final Path directory)
    {
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity, waitStrategy, jvm, name,
            Objects.requireNonNull(directory, "directory"), remoteWorkers);
    }

    /**
     * Seats for workers that join the pool from other hosts ({@code ./ipckit worker --connect}, through
     * {@code dev.ipckit.net.PoolServer}): tasks go to them and to the pool's own workers alike; a seat is free again
     * when its worker leaves or is lost, and the next worker to join takes it. Default 0.
     *
     * @param remoteWorkers how many, at least 0.
     * @return changed options.
     */
    public PoolOptions withRemoteWorkers(final int remoteWorkers)
    {
        if (remoteWorkers < 0)
        {
            throw new IllegalArgumentException("a pool's remote worker seats cannot be negative: " + remoteWorkers);
        }
        return new PoolOptions(workers, initializer, maxTasksPerChild, ringCapacity, waitStrategy, jvm, name, directory,
            remoteWorkers);
    }

    int remoteWorkers()
    {
        return remoteWorkers;
    }

    /** @return the pool's slots: its own workers and the remote seats. */
    int slots()
    {
        return workers + remoteWorkers;
    }

    Path directory()
    {
        return directory;
    }

    int workers()
    {
        return workers;
    }

    SerializableRunnable initializer()
    {
        return initializer;
    }

    int maxTasksPerChild()
    {
        return maxTasksPerChild;
    }

    int ringCapacity()
    {
        return ringCapacity;
    }

    WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    WorkerJvm jvm()
    {
        return jvm;
    }

    String name()
    {
        return name;
    }
}
