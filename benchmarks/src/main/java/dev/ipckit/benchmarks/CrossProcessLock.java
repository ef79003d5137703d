package dev.ipckit.benchmarks;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableRunnable;
import dev.ipckit.sync.SharedLock;
import dev.ipckit.sync.WaitStrategy;
import dev.ipckit.value.SharedLong;
import org.agrona.concurrent.AtomicBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Child JVMs increment one shared counter, each {@code ops} times, under each kind of mutual exclusion, next to the
 * raw references and Python's {@code multiprocessing}, in one run:
 * <ul>
 *     <li>a plain long under {@link SharedLock} with the default {@link WaitStrategy#backoff()}, and with
 *     {@link WaitStrategy#busySpin()};</li>
 *     <li>a plain long under a raw spin lock on a bare Agrona buffer over a mapped file ({@link RawMapping}):
 *     {@code compareAndSetLong(0, 1)} to take it, {@code putLongRelease(0)} to free it, waiting
 *     test-and-test-and-set as SharedLock does, once busy-spinning and once with {@link Thread#onSpinWait()};</li>
 *     <li>{@link SharedLong#incrementAndGet()} and raw Agrona {@code getAndAddLong} (the lock-free references);</li>
 *     <li>Python: {@code processes} processes (multiprocessing's default start method, fork on Linux up to 3.13)
 *     each doing {@code with lock: v.value += 1} on a {@code multiprocessing.Value('q', 0)} and its
 *     {@code get_lock()}, and an uncontended {@code multiprocessing.Lock} acquire + release.</li>
 * </ul>
 * Children start their loops together through a {@link StartGate}; each variant is checked for lost updates; the
 * best of the rounds counts. The uncontended row is a simple timed loop in this JVM (best of 5);
 * {@link LockBenchmark} gives the JMH figures. Ends with one table: operation, ipckit default, ipckit busy-spin,
 * raw reference, Python, ratios.
 * <p>
 * Run it from the shaded jar with the ipckit JVM flags, on a quiet machine:
 * <pre>
 *   mvn -B -q -DskipTests package -pl benchmarks -am
 *   flags="$(sed -n 's/^all=//p' ipc-core/target/classes/dev/ipckit/platform/jvm-flags.properties)"
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.CrossProcessLock [processes] [ops] [rounds] [pythonOps]
 * </pre>
 * Defaults: 2 processes, 10,000,000 operations per process, 3 rounds, 200,000 Python increments per process
 * ({@code pythonOps} 0 skips Python; without {@code python3} on the {@code PATH} it is skipped with a message).
 */
public final class CrossProcessLock
{
    private static final int UNCONTENDED_REPEATS = 5;
    private static final long MAX_UNCONTENDED_ITERATIONS = 5_000_000L;

    /**
     * What the children do to the counter. {@link CrossProcessIncrement} runs the last two.
     */
    enum Variant
    {
        /** A plain long under SharedLock, default wait. */
        SHARED_LOCK("SharedLock (default wait)"),
        /** A plain long under SharedLock, busy-spin wait. */
        SHARED_LOCK_BUSY_SPIN("SharedLock (busySpin)"),
        /** A plain long under a raw CAS spin lock, busy spin. */
        RAW_SPIN_LOCK("raw CAS spin lock"),
        /** A plain long under a raw CAS spin lock that calls Thread.onSpinWait. */
        RAW_SPIN_LOCK_ON_SPIN_WAIT("raw CAS spin lock, onSpinWait"),
        /** SharedLong.incrementAndGet. */
        INCREMENT_AND_GET("SharedLong.incrementAndGet"),
        /** Raw Agrona getAndAddLong. */
        RAW_GET_AND_ADD("raw Agrona getAndAddLong");

        private final String label;

        Variant(final String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }

        boolean isRaw()
        {
            return this == RAW_SPIN_LOCK || this == RAW_SPIN_LOCK_ON_SPIN_WAIT || this == RAW_GET_AND_ADD;
        }

        SerializableRunnable task(final Fixture fixture, final long ops, final int index)
        {
            final StartGate gate = fixture.gate;
            final SharedLong counter = fixture.counter;
            final String raw = fixture.raw.path();
            return switch (this)
            {
                case SHARED_LOCK ->
                {
                    final SharedLock lock = fixture.lock;
                    yield () -> lockedIncrements(lock, counter, ops, gate, index);
                }
                case SHARED_LOCK_BUSY_SPIN ->
                {
                    final SharedLock spinning = fixture.lock.withWaitStrategy(WaitStrategy.busySpin());
                    yield () -> lockedIncrements(spinning, counter, ops, gate, index);
                }
                case RAW_SPIN_LOCK -> () -> rawLockedIncrements(raw, false, ops, gate, index);
                case RAW_SPIN_LOCK_ON_SPIN_WAIT -> () -> rawLockedIncrements(raw, true, ops, gate, index);
                case INCREMENT_AND_GET -> () -> atomicIncrements(counter, ops, gate, index);
                case RAW_GET_AND_ADD -> () -> rawAtomicIncrements(raw, ops, gate, index);
            };
        }
    }

    private CrossProcessLock()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args processes (default 2), operations per process (10,000,000), rounds (3), Python increments per
     *             process (200,000; 0 skips Python).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int processes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        final long ops = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final long pythonOps = args.length > 3 ? Long.parseLong(args[3]) : 200_000L;
        printMachine(processes, ops, rounds);
        System.out.printf(Locale.ROOT, "Python: %,d increments per process, 0 skips it%n", pythonOps);

        final double[] best = bestOfRounds(processes, ops, rounds, Variant.values());
        final double[] uncontended = uncontendedLockUnlock(Math.min(ops, MAX_UNCONTENDED_ITERATIONS));
        final Optional<Map<String, String>> python = python(processes, pythonOps, rounds);
        printTable(processes, best, uncontended, python);
    }

    /**
     * Runs the contended lock variants (SharedLock default and busy-spin, the busy raw CAS spin lock) and Python's
     * locked {@code Value} increments, without printing a table: the rows of the {@code ipckit bench} report. The
     * progress goes to standard output.
     *
     * @param processes child processes.
     * @param ops       operations per process.
     * @param rounds    rounds; the best counts.
     * @param pythonOps Python increments per process, 0 skips Python.
     * @return one row: total increments per second under the lock.
     * @throws Exception when a run fails or loses updates.
     */
    public static List<ResultRow> rows(final int processes, final long ops, final int rounds, final long pythonOps)
        throws Exception
    {
        final RowIds ids = ids(processes);
        final double[] best = bestOfRounds(processes, ops, rounds,
            Variant.SHARED_LOCK, Variant.SHARED_LOCK_BUSY_SPIN, Variant.RAW_SPIN_LOCK);
        final Optional<Map<String, String>> python = python(processes, pythonOps, rounds);
        return List.of(ResultRow.higher(ids, processes + " processes: lock; long++; unlock", "M ops/s",
            best[Variant.SHARED_LOCK.ordinal()] / 1e6, best[Variant.SHARED_LOCK_BUSY_SPIN.ordinal()] / 1e6,
            best[Variant.RAW_SPIN_LOCK.ordinal()] / 1e6,
            PythonReference.number(python, "contended_ops_per_s") / 1e6));
    }

    /**
     * @param processes child processes; ids name the count when it is not 2, say {@code lock.contended.4p}.
     * @return the ids of the row of {@link #rows}: {@code lock.contended} and its references for 2 processes.
     */
    public static RowIds ids(final int processes)
    {
        final String counted = RowIds.qualifier(processes, 2, "p");
        return RowIds.waits("lock.contended" + counted, "raw.agrona.spinlock.contended" + counted,
            "python.lock.contended" + counted);
    }

    private static Optional<Map<String, String>> python(final int processes, final long pythonOps, final int rounds)
        throws Exception
    {
        if (pythonOps <= 0)
        {
            System.out.println("Python reference skipped: pythonOps is 0");
            return Optional.empty();
        }
        final Optional<Map<String, String>> python =
            PythonReference.run(PythonReference.MP_LOCK, processes, pythonOps, rounds, 5 * pythonOps);
        python.ifPresent(p -> System.out.printf("Python %s, multiprocessing start method %s%n",
            p.get("python"), p.get("start_method")));
        return python;
    }

    /**
     * Prints the machine line: cpus, OS, Java version and VM, and the run's parameters.
     *
     * @param processes child processes.
     * @param ops       operations per process.
     * @param rounds    rounds.
     */
    static void printMachine(final int processes, final long ops, final int rounds)
    {
        printMachine();
        System.out.printf(Locale.ROOT, "%d processes x %,d operations, best of %d rounds%n", processes, ops, rounds);
    }

    /**
     * Prints the machine line: cpus, OS, Java version and VM.
     */
    static void printMachine()
    {
        System.out.printf(Locale.ROOT, "machine: %d cpus, %s %s %s, java %s (%s)%n",
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
            System.getProperty("os.arch"), Runtime.version(), System.getProperty("java.vm.name"));
    }

    /**
     * Runs the variants round after round, printing each round, and returns the best total ops/s of each, indexed
     * by {@link Variant#ordinal()} (0 for variants not run).
     *
     * @param processes child processes per run.
     * @param ops       operations per process.
     * @param rounds    rounds.
     * @param variants  the variants, run in this order within a round.
     * @return the best total ops/s per variant.
     * @throws Exception when a run fails or loses updates.
     */
    static double[] bestOfRounds(final int processes, final long ops, final int rounds, final Variant... variants)
        throws Exception
    {
        final double[] best = new double[Variant.values().length];
        for (int round = 1; round <= rounds; round++)
        {
            for (final Variant variant : variants)
            {
                final double opsPerSecond = run(variant, processes, ops);
                best[variant.ordinal()] = Math.max(best[variant.ordinal()], opsPerSecond);
                System.out.printf(Locale.ROOT, "round %d  %-32s %8.2f M ops/s%n", round, variant.label(), opsPerSecond / 1e6);
            }
        }
        return best;
    }

    private static double run(final Variant variant, final int processes, final long ops) throws Exception
    {
        try (Fixture fixture = new Fixture(processes))
        {
            final List<IpcProcess<Void>> children = new ArrayList<>();
            for (int index = 0; index < processes; index++)
            {
                children.add(IpcProcess.of(variant.task(fixture, ops, index)).name(variant.name() + "-" + index));
            }
            final long elapsed = fixture.gate.run(children);
            final long total = variant.isRaw() ?
                fixture.raw.buffer().getLongVolatile(RawMapping.COUNTER_OFFSET) : fixture.counter.get();
            if (total != processes * ops)
            {
                throw new IllegalStateException(variant.label() + ": lost updates: " + total + " != " + processes * ops);
            }
            return total * 1e9 / elapsed;
        }
    }

    private static void lockedIncrements(
        final SharedLock lock, final SharedLong counter, final long ops, final StartGate gate, final int index)
    {
        gate.await();
        for (long i = 0; i < ops; i++)
        {
            lock.lock();
            try
            {
                counter.setPlain(counter.getPlain() + 1);
            }
            finally
            {
                lock.unlock();
            }
        }
        gate.finished(index);
    }

    private static void rawLockedIncrements(
        final String path, final boolean onSpinWait, final long ops, final StartGate gate, final int index)
    {
        try (RawMapping mapping = RawMapping.open(path))
        {
            final AtomicBuffer buffer = mapping.buffer();
            gate.await();
            for (long i = 0; i < ops; i++)
            {
                rawLock(buffer, onSpinWait);
                buffer.putLong(RawMapping.COUNTER_OFFSET, buffer.getLong(RawMapping.COUNTER_OFFSET) + 1);
                buffer.putLongRelease(RawMapping.LOCK_OFFSET, 0);
            }
            gate.finished(index);
        }
    }

    /**
     * Takes the raw spin lock: CAS 0 to 1; while held, spin on a volatile read until free, then CAS again.
     *
     * @param buffer     the raw mapping.
     * @param onSpinWait whether to call {@link Thread#onSpinWait()} while spinning.
     */
    static void rawLock(final AtomicBuffer buffer, final boolean onSpinWait)
    {
        while (!buffer.compareAndSetLong(RawMapping.LOCK_OFFSET, 0, 1))
        {
            do
            {
                if (onSpinWait)
                {
                    Thread.onSpinWait();
                }
            }
            while (buffer.getLongVolatile(RawMapping.LOCK_OFFSET) != 0);
        }
    }

    private static void atomicIncrements(final SharedLong counter, final long ops, final StartGate gate, final int index)
    {
        gate.await();
        for (long i = 0; i < ops; i++)
        {
            counter.incrementAndGet();
        }
        gate.finished(index);
    }

    private static void rawAtomicIncrements(final String path, final long ops, final StartGate gate, final int index)
    {
        try (RawMapping mapping = RawMapping.open(path))
        {
            final AtomicBuffer buffer = mapping.buffer();
            gate.await();
            for (long i = 0; i < ops; i++)
            {
                buffer.getAndAddLong(RawMapping.COUNTER_OFFSET, 1);
            }
            gate.finished(index);
        }
    }

    /**
     * Uncontended lock + unlock in this JVM, ns/op, best of {@value #UNCONTENDED_REPEATS} timed loops: SharedLock
     * default, SharedLock busySpin, raw spin lock.
     */
    private static double[] uncontendedLockUnlock(final long iterations) throws Exception
    {
        try (Fixture fixture = new Fixture(1))
        {
            final SharedLock spinning = fixture.lock.withWaitStrategy(WaitStrategy.busySpin());
            final AtomicBuffer raw = fixture.raw.buffer();
            final double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            for (int repeat = 0; repeat < UNCONTENDED_REPEATS; repeat++)
            {
                best[0] = Math.min(best[0], sharedLockLoop(fixture.lock, iterations));
                best[1] = Math.min(best[1], sharedLockLoop(spinning, iterations));
                best[2] = Math.min(best[2], rawLockLoop(raw, iterations));
            }
            return best;
        }
    }

    private static double sharedLockLoop(final SharedLock lock, final long iterations)
    {
        final long start = System.nanoTime();
        for (long i = 0; i < iterations; i++)
        {
            lock.lock();
            lock.unlock();
        }
        return (System.nanoTime() - start) / (double)iterations;
    }

    private static double rawLockLoop(final AtomicBuffer buffer, final long iterations)
    {
        final long start = System.nanoTime();
        for (long i = 0; i < iterations; i++)
        {
            rawLock(buffer, false);
            buffer.putLongRelease(RawMapping.LOCK_OFFSET, 0);
        }
        return (System.nanoTime() - start) / (double)iterations;
    }

    private static void printTable(
        final int processes, final double[] best, final double[] uncontended, final Optional<Map<String, String>> python)
    {
        final double lockDefault = best[Variant.SHARED_LOCK.ordinal()];
        final double lockSpin = best[Variant.SHARED_LOCK_BUSY_SPIN.ordinal()];
        final double rawSpin = best[Variant.RAW_SPIN_LOCK.ordinal()];
        final double rawOnSpinWait = best[Variant.RAW_SPIN_LOCK_ON_SPIN_WAIT.ordinal()];
        final double increment = best[Variant.INCREMENT_AND_GET.ordinal()];
        final double getAndAdd = best[Variant.RAW_GET_AND_ADD.ordinal()];
        final double pyOps = python.map(p -> Double.parseDouble(p.get("contended_ops_per_s"))).orElse(Double.NaN);
        final double pyLockNs = python.map(p -> Double.parseDouble(p.get("lock_ns"))).orElse(Double.NaN);

        final String format = "%-44s %14s %16s %14s %10s  %s%n";
        System.out.println();
        System.out.printf(Locale.ROOT, format, "operation", "ipckit default", "ipckit busy-spin", "raw reference",
            "Python", "ratios");
        System.out.printf(Locale.ROOT, format, processes + " procs: lock; long++; unlock [M ops/s]",
            millions(lockDefault), millions(lockSpin), millions(rawSpin), millions(pyOps),
            "default/raw " + ratio(lockDefault / rawSpin) + ", busy-spin/raw " + ratio(lockSpin / rawSpin) +
                ", ipckit/Python " + ratio(lockDefault / pyOps) + " (busy-spin " + ratio(lockSpin / pyOps) + ")");
        System.out.printf(Locale.ROOT, format, "  raw lock with Thread.onSpinWait [M ops/s]",
            "", "", millions(rawOnSpinWait), "",
            "default/raw " + ratio(lockDefault / rawOnSpinWait) + ", busy-spin/raw " + ratio(lockSpin / rawOnSpinWait));
        System.out.printf(Locale.ROOT, format, processes + " procs: atomic increment [M ops/s]",
            millions(increment), "-", millions(getAndAdd), "-",
            "incrementAndGet/getAndAddLong " + ratio(increment / getAndAdd));
        System.out.printf(Locale.ROOT, format, "uncontended lock+unlock [ns/op, simple loop]",
            nanos(uncontended[0]), nanos(uncontended[1]), nanos(uncontended[2]), nanos(pyLockNs),
            "default/raw " + ratio(uncontended[0] / uncontended[2]) + ", Python/ipckit " + ratio(pyLockNs / uncontended[0]));
        System.out.println("raw reference: spin lock = CAS on a bare Agrona buffer, busy spin; atomic = getAndAddLong. " +
            "Python: Value('q') under get_lock() (an RLock); uncontended: multiprocessing.Lock, loop cost subtracted.");
    }

    private static String millions(final double opsPerSecond)
    {
        return Double.isNaN(opsPerSecond) ? "n/a" : String.format(Locale.ROOT, "%.2f", opsPerSecond / 1e6);
    }

    private static String ratio(final double ratio)
    {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static String nanos(final double nanos)
    {
        return Double.isNaN(nanos) ? "n/a" : String.format(Locale.ROOT, "%.1f", nanos);
    }

    /**
     * One run's shared state: a fresh region with the lock, the counter and the start gate, and a raw mapping next
     * to it.
     */
    static final class Fixture implements AutoCloseable
    {
        private final SharedRegion region;
        private final SharedLock lock;
        private final SharedLong counter;
        private final StartGate gate;
        private final RawMapping raw;

        Fixture(final int processes)
        {
            region = SharedRegion.create("bench-lock-" + ProcessHandle.current().pid(), 1 << 20);
            lock = SharedLock.create(region, "lock");
            counter = SharedLong.create(region, "counter", 0);
            gate = StartGate.create(region, processes);
            raw = RawMapping.createNextTo(region);
        }

        @Override
        public void close()
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
    }
}
