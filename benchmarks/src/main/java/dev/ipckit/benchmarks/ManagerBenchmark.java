package dev.ipckit.benchmarks;

import dev.ipckit.manager.SharedDict;
import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.SerializableCallable;
import dev.ipckit.sync.SharedRLock;
import dev.ipckit.sync.WaitStrategy;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * A shared dict from two processes, next to Python's {@code multiprocessing.Manager().dict()} in the same run.
 * {@code processes} child JVMs (2 by default) share one {@link SharedDict} of mixed keys and values
 * ({@code Codecs.standard()}, as a Python dict takes any object) holding the keys {@code 0..keys-1}, and each runs
 * one phase at a time, {@code ops} calls, started together by a {@link StartGate}:
 * <ul>
 *     <li>{@code put}: {@code dict.put(i % keys, i)} (a {@code Long} key and value; returns the previous value);</li>
 *     <li>{@code set}: {@code dict.set(i % keys, i)}, Python's {@code d[k] = v} (no previous value);</li>
 *     <li>{@code get}: {@code dict.get(i % keys)}, each call timed with {@link System#nanoTime()} into an
 *     HdrHistogram (the timing is in the throughput figure too);</li>
 *     <li>lock only: the dict's own {@link SharedRLock}, {@code lock(); unlock()}, timed the same way: the floor
 *     every operation stands on, shown in the "raw" column.</li>
 * </ul>
 * Each phase runs with the dict's default wait strategy and with {@link WaitStrategy#busySpin()}. Before the gate,
 * each child warms up with a fifth of its calls. Throughputs are total calls per second from the gate opening to the
 * last child's end, best of the rounds; latency percentiles pool every round. Python (default start method, fork on
 * Linux before 3.14): the same dict, the same keys, {@code d[k] = v} and {@code d[k]} from as many processes
 * through one {@code Manager()} server process ({@code mp_manager.py}). Ends with one markdown table with the
 * ratios ipckit/lock-only and ipckit/Python.
 * <p>
 * Run it from the shaded jar with the ipckit JVM flags, on a quiet machine:
 * <pre>
 *   mvn -B -q -DskipTests package -pl benchmarks -am
 *   flags="$(sed -n 's/^all=//p' ipc-core/target/classes/dev/ipckit/platform/jvm-flags.properties)"
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.ManagerBenchmark [ops] [rounds] [pythonOps] [processes] [keys]
 * </pre>
 * Defaults: 1,000,000 calls per process and phase, 3 rounds, 20,000 Python calls per process and phase (0 skips
 * Python, as does a missing {@code python3}), 2 processes, 1,000 keys. About a minute.
 */
public final class ManagerBenchmark
{
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final int WARMUP_FRACTION = 5;
    private static final int DATA_BYTES = 1 << 20;

    /** What the children do, one call at a time. */
    enum Phase
    {
        /** {@code put(k, v)}. */
        PUT("put"),
        /** {@code set(k, v)}. */
        SET("set"),
        /** {@code get(k)}, timed. */
        GET("get"),
        /** The dict's lock, lock then unlock, timed. */
        LOCK("lock+unlock");

        private final String label;

        Phase(final String label)
        {
            this.label = label;
        }

        boolean timed()
        {
            return this == GET || this == LOCK;
        }
    }

    /**
     * Best throughput and pooled latency of one phase and wait strategy.
     */
    static final class Result
    {
        private double best;
        private final Histogram latency = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);

        double opsPerSecond()
        {
            return best;
        }

        double micros(final double percentile)
        {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e3;
        }

        /**
         * @return the latency distribution in µs, {@code null} when nothing was recorded.
         */
        LatencyCurve curve()
        {
            return latency.getTotalCount() == 0 ? null : LatencyCurve.micros(latency);
        }
    }

    private ManagerBenchmark()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args calls per process and phase (1,000,000), rounds (3), Python calls per process and phase (20,000;
     *             0 skips Python), processes (2), keys (1,000).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final long ops = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final long pythonOps = args.length > 2 ? Long.parseLong(args[2]) : 20_000L;
        final int processes = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        final int keys = args.length > 4 ? Integer.parseInt(args[4]) : 1_000;
        CrossProcessLock.printMachine(processes, ops, rounds);
        System.out.printf(Locale.ROOT, "%,d keys; Python: %,d calls per process and phase, 0 skips it%n",
            keys, pythonOps);

        final Result[][] results = measure(processes, ops, rounds, keys);
        printTable(processes, keys, results[0], results[1], python(pythonOps, processes, rounds, keys));
    }

    /**
     * Runs the comparison without printing a table: the rows of the {@code ipckit bench} report (put, set and get
     * throughput, get latency p50; the raw column is the dict's lock alone). The progress goes to standard output.
     *
     * @param ops       calls per process and phase.
     * @param rounds    rounds; the best counts.
     * @param pythonOps Python calls per process and phase, 0 skips Python.
     * @param processes child processes.
     * @param keys      keys in the dict.
     * @return the rows.
     * @throws Exception when a run fails or the dict is wrong after it.
     */
    public static List<ResultRow> rows(
        final long ops, final int rounds, final long pythonOps, final int processes, final int keys) throws Exception
    {
        final Result[][] results = measure(processes, ops, rounds, keys);
        final Optional<Map<String, String>> python = python(pythonOps, processes, rounds, keys);
        final Result[] standard = results[0];
        final Result[] spin = results[1];
        final Result lock = standard[Phase.LOCK.ordinal()];
        final String procs = processes + " processes: SharedDict ";
        final List<RowIds> ids = ids(processes);
        return List.of(
            ResultRow.higher(ids.get(0), procs + "put(k, v) (raw: the dict's lock alone)", "k ops/s",
                standard[Phase.PUT.ordinal()].opsPerSecond() / 1e3, spin[Phase.PUT.ordinal()].opsPerSecond() / 1e3,
                lock.opsPerSecond() / 1e3, PythonReference.number(python, "write_ops_per_s") / 1e3),
            ResultRow.higher(ids.get(1), procs + "set(k, v), Python d[k] = v", "k ops/s",
                standard[Phase.SET.ordinal()].opsPerSecond() / 1e3, spin[Phase.SET.ordinal()].opsPerSecond() / 1e3,
                lock.opsPerSecond() / 1e3, PythonReference.number(python, "write_ops_per_s") / 1e3),
            ResultRow.higher(ids.get(2), procs + "get(k)", "k ops/s",
                standard[Phase.GET.ordinal()].opsPerSecond() / 1e3, spin[Phase.GET.ordinal()].opsPerSecond() / 1e3,
                lock.opsPerSecond() / 1e3, PythonReference.number(python, "read_ops_per_s") / 1e3),
            ResultRow.lower(ids.get(3), procs + "get(k) latency, p50", "µs",
                    standard[Phase.GET.ordinal()].micros(50), spin[Phase.GET.ordinal()].micros(50), lock.micros(50),
                    PythonReference.number(python, "read_p50_us"))
                .withCurve(Variant.IPCKIT, standard[Phase.GET.ordinal()].curve())
                .withCurve(Variant.IPCKIT_BUSY_SPIN, spin[Phase.GET.ordinal()].curve())
                .withCurve(Variant.RAW, lock.curve()));
    }

    /**
     * @param processes child processes; ids name the count when it is not 2, say {@code manager.dict.put.4p}.
     * @return the ids of the rows of {@link #rows}, in row order: put, set, get (k ops/s), get latency p50 (µs);
     *         the raw figure is the dict's lock alone ({@code raw.dictlock...}), Python's write figure is one for
     *         put and set.
     */
    public static List<RowIds> ids(final int processes)
    {
        final String counted = RowIds.qualifier(processes, 2, "p");
        final String lock = "raw.dictlock.throughput" + counted;
        return List.of(
            RowIds.waits("manager.dict.put" + counted, lock, "python.manager.dict.write" + counted),
            RowIds.waits("manager.dict.set" + counted, lock, "python.manager.dict.write" + counted),
            RowIds.waits("manager.dict.get" + counted, lock, "python.manager.dict.get" + counted),
            RowIds.waits("manager.dict.get.p50" + counted, "raw.dictlock.p50" + counted,
                "python.manager.dict.get.p50" + counted));
    }

    /**
     * Every phase with the default wait and with busy-spin, round after round, printing each.
     *
     * @return the results by wait strategy (default, busy-spin) and phase.
     */
    private static Result[][] measure(final int processes, final long ops, final int rounds, final int keys)
        throws Exception
    {
        final boolean[] spinning = {false, true};
        final Result[][] results = new Result[2][Phase.values().length];
        for (int round = 1; round <= rounds; round++)
        {
            for (int s = 0; s < spinning.length; s++)
            {
                for (final Phase phase : Phase.values())
                {
                    final Result result = results[s][phase.ordinal()] == null ?
                        (results[s][phase.ordinal()] = new Result()) : results[s][phase.ordinal()];
                    final double opsPerSecond = run(phase, spinning[s], processes, ops, keys, result.latency);
                    result.best = Math.max(result.best, opsPerSecond);
                    System.out.printf(Locale.ROOT, "round %d  %-12s %-9s %8.3f M ops/s%n", round, phase.label,
                        spinning[s] ? "busySpin" : "default", opsPerSecond / 1e6);
                }
            }
        }
        return results;
    }

    private static Optional<Map<String, String>> python(
        final long pythonOps, final int processes, final int rounds, final int keys) throws Exception
    {
        if (pythonOps <= 0)
        {
            System.out.println("Python reference skipped: pythonOps is 0");
            return Optional.empty();
        }
        final Optional<Map<String, String>> python =
            PythonReference.run(PythonReference.MP_MANAGER, processes, pythonOps, rounds, keys);
        python.ifPresent(p -> System.out.printf("Python %s, multiprocessing start method %s%n",
            p.get("python"), p.get("start_method")));
        return python;
    }

    private static void printTable(
        final int processes, final int keys, final Result[] standard, final Result[] spin,
        final Optional<Map<String, String>> python)
    {
        final Result lock = standard[Phase.LOCK.ordinal()];
        final Result lockSpin = spin[Phase.LOCK.ordinal()];
        final ResultTable table = new ResultTable("lock only");
        final String procs = processes + " procs: ";
        table.row(procs + "put(k, v) [k ops/s]", 0, standard[Phase.PUT.ordinal()].opsPerSecond() / 1e3,
            spin[Phase.PUT.ordinal()].opsPerSecond() / 1e3, lock.opsPerSecond() / 1e3,
            PythonReference.number(python, "write_ops_per_s") / 1e3);
        table.row(procs + "set(k, v), Python d[k] = v [k ops/s]", 0,
            standard[Phase.SET.ordinal()].opsPerSecond() / 1e3, spin[Phase.SET.ordinal()].opsPerSecond() / 1e3,
            lock.opsPerSecond() / 1e3, PythonReference.number(python, "write_ops_per_s") / 1e3);
        table.row(procs + "get(k), timed [k ops/s]", 0, standard[Phase.GET.ordinal()].opsPerSecond() / 1e3,
            spin[Phase.GET.ordinal()].opsPerSecond() / 1e3, lock.opsPerSecond() / 1e3,
            PythonReference.number(python, "read_ops_per_s") / 1e3);
        table.row(procs + "get(k) latency p50 [µs]", 2, standard[Phase.GET.ordinal()].micros(50),
            spin[Phase.GET.ordinal()].micros(50), lock.micros(50), PythonReference.number(python, "read_p50_us"));
        table.row(procs + "get(k) latency p99 [µs]", 2, standard[Phase.GET.ordinal()].micros(99),
            spin[Phase.GET.ordinal()].micros(99), lock.micros(99), PythonReference.number(python, "read_p99_us"));
        table.note(processes + " child JVMs share one SharedDict<Object, Object> (Codecs.standard(), Long keys and " +
            "values, " + keys + " keys); throughput is all calls from the gate opening to the last child's end, best " +
            "of the rounds, higher is better; latency pools every round, lower is better.");
        table.note("lock only: the dict's SharedRLock, lock(); unlock(), under the same contention (default wait; " +
            String.format(Locale.ROOT, "busy-spin %.0f k ops/s, p50 %.2f µs", lockSpin.opsPerSecond() / 1e3,
            lockSpin.micros(50)) + "): what each call costs before it touches the table. " +
            "ipckit/lock-only is below 1 for throughput, above 1 for latency.");
        table.note("Python: one Manager().dict() served by the manager's process to " + processes +
            " worker processes, d[k] = v and d[k] (mp_manager.py); the put and set rows share its write figure.");
        table.print();
    }

    /**
     * One phase: a fresh region and dict holding the keys, the children, the gate.
     *
     * @return calls per second, all children together.
     */
    private static double run(
        final Phase phase, final boolean spinning, final int processes, final long ops, final int keys,
        final Histogram latency) throws Exception
    {
        try (SharedRegion region = SharedRegion.create("bench-manager-" + ProcessHandle.current().pid(), 4 << 20))
        {
            final SharedDict<Object, Object> dict = SharedDict.create(region, "dict", 2 * keys, DATA_BYTES);
            for (long k = 0; k < keys; k++)
            {
                dict.put(k, k);
            }
            final SharedDict<Object, Object> view = spinning ? dict.withWaitStrategy(WaitStrategy.busySpin()) : dict;
            final StartGate gate = StartGate.create(region, processes);
            final List<IpcProcess<byte[]>> children = new ArrayList<>();
            for (int index = 0; index < processes; index++)
            {
                final int child = index;
                children.add(IpcProcess.of((SerializableCallable<byte[]>)() ->
                    loop(view, phase, ops, keys, gate, child)).name("manager-" + phase + "-" + index));
            }
            final long elapsed = gate.run(children);
            for (final IpcProcess<byte[]> child : children)
            {
                if (phase.timed())
                {
                    latency.add(decode(child.result()));
                }
            }
            check(dict, keys);
            return processes * ops * 1e9 / elapsed;
        }
    }

    /** Every key still holds a value written for it. */
    private static void check(final SharedDict<Object, Object> dict, final int keys)
    {
        if (dict.size() != keys)
        {
            throw new IllegalStateException("the dict holds " + dict.size() + " keys, not " + keys);
        }
        for (long k = 0; k < keys; k++)
        {
            final Object value = dict.get(k);
            if (!(value instanceof Long) || (Long)value % keys != k)
            {
                throw new IllegalStateException("key " + k + " holds " + value);
            }
        }
    }

    /** A child's phase: warm-up, the gate, the measured calls; returns its latencies, compressed. */
    private static byte[] loop(
        final SharedDict<Object, Object> dict, final Phase phase, final long ops, final int keys, final StartGate gate,
        final int index)
    {
        final Long[] keyObjects = new Long[keys];
        for (int k = 0; k < keys; k++)
        {
            keyObjects[k] = (long)k;
        }
        final Histogram latency = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        calls(dict, phase, ops / WARMUP_FRACTION, keyObjects, latency);
        latency.reset();
        gate.await();
        calls(dict, phase, ops, keyObjects, latency);
        gate.finished(index);
        final ByteBuffer encoded = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        final int length = latency.encodeIntoCompressedByteBuffer(encoded);
        final byte[] bytes = new byte[length];
        encoded.flip();
        encoded.get(bytes);
        return bytes;
    }

    private static void calls(
        final SharedDict<Object, Object> dict, final Phase phase, final long ops, final Long[] keys,
        final Histogram latency)
    {
        final int count = keys.length;
        final SharedRLock lock = dict.getLock();
        for (long i = 0; i < ops; i++)
        {
            final Long key = keys[(int)(i % count)];
            switch (phase)
            {
                case PUT -> dict.put(key, i);
                case SET -> dict.set(key, i);
                case GET ->
                {
                    final long start = System.nanoTime();
                    if (dict.get(key) == null)
                    {
                        throw new IllegalStateException("key " + key + " is missing");
                    }
                    latency.recordValue(System.nanoTime() - start);
                }
                case LOCK ->
                {
                    final long start = System.nanoTime();
                    lock.lock();
                    lock.unlock();
                    latency.recordValue(System.nanoTime() - start);
                }
                default -> throw new IllegalStateException("unknown phase " + phase);
            }
        }
    }

    private static Histogram decode(final byte[] bytes) throws DataFormatException
    {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), HIGHEST_TRACKABLE_NANOS);
    }
}
