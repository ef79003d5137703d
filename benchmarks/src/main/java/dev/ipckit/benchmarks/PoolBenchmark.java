package dev.ipckit.benchmarks;

import dev.ipckit.pool.PoolOptions;
import dev.ipckit.pool.ProcessPool;
import dev.ipckit.pool.TaskFunction;
import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.StartMethod;
import dev.ipckit.sync.WaitStrategy;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * {@link ProcessPool} with 2 workers next to Python's {@code multiprocessing.Pool} (fork and spawn) and
 * {@code concurrent.futures.ProcessPoolExecutor} (fork), also with 2 workers, in one run. For ipckit with the default
 * wait strategy and with {@link WaitStrategy#busySpin()}, and for each Python pool:
 * <ol>
 *     <li>ready: from creating a pool to the result of a trivial task ({@code applyAsync(() -> 1).get()}, Python
 *     {@code apply_async(inc, (0,)).get()}), the median of {@code pools} fresh pools, each closed after, with one
 *     unmeasured pool first; ipckit also with the class-data-sharing archive, which its unmeasured pool dumps;</li>
 *     <li>{@code map(x -> x + 1)} over {@code mapItems} Integers with the default chunking (about four chunks per
 *     worker; Python {@code pool.map(inc, range(n))}; the executor, whose own default is 1, gets the same chunk size)
 *     and over {@code chunk1Items} (fewer, as Python is slow there) with chunk size 1: microseconds per item, the
 *     median of 10 rounds after at least 6 unmeasured and 1 s of them (the JIT's warm-up, as JMH would; Python: 1);
 *     the median of the 2nd to 6th rounds is printed too, for what a pool's first maps cost;</li>
 *     <li>{@code applyAsync(() -> i + 1).get()}, one call at a time (Python {@code apply_async(inc, (i,)).get()}):
 *     p50 and p99 of {@code roundTrips} calls after at least a quarter as many unrecorded and 1 s of them, from an
 *     HdrHistogram (the p50 of the first quarter is printed too);</li>
 *     <li>CPU-bound speedup: {@code cpuTasks} tasks of about 30 ms each (a 64-bit LCG loop, its iterations
 *     calibrated in each language) one after another in this JVM after warm-up (Python: in its own process), against
 *     {@code map} with chunk size 1 on the pool; best of 3 each, the pool's after one unmeasured round.</li>
 * </ol>
 * Every result is checked (each map result and their sum, each round trip's value, the CPU tasks' sum against the
 * sequential one), so a broken pool fails the run. Ends with one markdown table: ipckit default, ipckit busy-spin,
 * the three Python pools, the goal, the ratio and whether the goal is met.
 * <p>
 * Run it from the shaded jar with the ipckit JVM flags, on a quiet machine (never while a build runs):
 * <pre>
 *   mvn -B -q -DskipTests package -pl benchmarks -am
 *   flags="$(sed -n 's/^all=//p' ipc-core/target/classes/dev/ipckit/platform/jvm-flags.properties)"
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.PoolBenchmark [mapItems] [chunk1Items] [roundTrips] [cpuTasks] [pythonScale] [pools]
 * </pre>
 * Defaults: 100,000 map items, 20,000 with chunk size 1, 20,000 round trips, 20 CPU tasks, Python scale 1 (it
 * multiplies Python's map items and round trips; 0 skips Python, as does a missing {@code python3}), 5 pools. With
 * the default 4 MiB rings a default-chunk map takes up to about 400,000 Integers.
 */
public final class PoolBenchmark
{
    private static final int WORKERS = 2;
    private static final int EARLY_ROUNDS = 5;
    private static final int MAP_WARMUP_ROUNDS = EARLY_ROUNDS + 1;
    private static final long MAP_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ROUND_TRIP_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAP_ROUNDS = 10;
    private static final int CPU_ROUNDS = 3;
    private static final long CPU_TASK_MILLIS = 30;
    private static final long CALIBRATION_ITERATIONS = 2_000_000L;
    private static final long LCG_MULTIPLIER = 6364136223846793005L;
    private static final long LCG_INCREMENT = 1442695040888963407L;
    private static final long READY_TIMEOUT_SECONDS = 60;
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final TaskFunction<Integer, Integer> INCREMENT = x -> x + 1;

    /** The Python pools as the script names them, and their column headers. */
    private static final List<String> PYTHON_POOLS = List.of("pool_fork", "pool_spawn", "executor_fork");
    private static final List<String> PYTHON_HEADERS =
        List.of("Python Pool (fork)", "Python Pool (spawn)", "Python ProcessPoolExecutor (fork)");

    /** Keeps the calibration's warm-up from being optimised away. */
    static volatile long blackhole;

    /**
     * The run's sizes.
     *
     * @param mapItems    items of the default-chunk map.
     * @param chunk1Items items of the chunk-size-1 map.
     * @param roundTrips  recorded applyAsync round trips.
     * @param cpuTasks    CPU-bound tasks.
     * @param pythonScale multiplies Python's map items and round trips; 0 skips Python.
     * @param pools       fresh pools for the ready time.
     */
    record Sizes(int mapItems, int chunk1Items, int roundTrips, int cpuTasks, double pythonScale, int pools)
    {
        Sizes
        {
            if (mapItems < 1 || chunk1Items < 1 || roundTrips < 1 || cpuTasks < 1 || pools < 1 || !(pythonScale >= 0))
            {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "sizes must be at least 1 and " +
                    "pythonScale at least 0: mapItems=%d, chunk1Items=%d, roundTrips=%d, cpuTasks=%d, " +
                    "pythonScale=%s, pools=%d", mapItems, chunk1Items, roundTrips, cpuTasks, pythonScale, pools));
            }
        }

        static Sizes of(final String[] args)
        {
            return new Sizes(
                args.length > 0 ? Integer.parseInt(args[0]) : 100_000,
                args.length > 1 ? Integer.parseInt(args[1]) : 20_000,
                args.length > 2 ? Integer.parseInt(args[2]) : 20_000,
                args.length > 3 ? Integer.parseInt(args[3]) : 20,
                args.length > 4 ? Double.parseDouble(args[4]) : 1.0,
                args.length > 5 ? Integer.parseInt(args[5]) : 5);
        }

        int python(final int size)
        {
            return (int)Math.max(1, Math.round(size * pythonScale));
        }
    }

    /**
     * One pool's figures.
     *
     * @param readyMillis    creating the pool to the first result, median, without the CDS archive.
     * @param readyCdsMillis the same with the CDS archive.
     * @param mapMicros      map with the default chunking, µs per item.
     * @param chunk1Micros   map with chunk size 1, µs per item.
     * @param p50Micros      applyAsync round trip, median.
     * @param p99Micros      applyAsync round trip, 99th percentile.
     * @param callP50Micros  applyAsync(function, argument) round trip, median (Python: the same apply_async).
     * @param callP99Micros  its 99th percentile.
     * @param speedup        CPU-bound: sequential time over pool time.
     * @param curve          the applyAsync round trips' distribution in µs, {@code null} for Python's pools.
     * @param callCurve      the applyAsync(function, argument) round trips' distribution, or {@code null}.
     */
    record Figures(
        double readyMillis, double readyCdsMillis, double mapMicros, double chunk1Micros, double p50Micros,
        double p99Micros, double callP50Micros, double callP99Micros, double speedup, LatencyCurve curve,
        LatencyCurve callCurve)
    {
        static Figures ofPython(final Optional<Map<String, String>> python, final String pool)
        {
            return new Figures(number(python, pool, "ready_ms"), Double.NaN, number(python, pool, "map_us"),
                number(python, pool, "map_chunk1_us"), number(python, pool, "rt_p50_us"),
                number(python, pool, "rt_p99_us"), number(python, pool, "rt_p50_us"),
                number(python, pool, "rt_p99_us"), number(python, pool, "cpu_speedup"), null, null);
        }

        private static double number(final Optional<Map<String, String>> python, final String pool, final String key)
        {
            return PythonReference.number(python, pool + "_" + key);
        }
    }

    /**
     * The CPU-bound work.
     *
     * @param tasks        how many tasks.
     * @param iterations   LCG iterations per task.
     * @param sequentialMs the tasks one after another in this JVM, best of the rounds.
     * @param sum          the sum of the tasks' results.
     */
    record CpuWork(int tasks, long iterations, double sequentialMs, long sum)
    {
    }

    /**
     * A row's goal: a limit on ipckit's ratio to the reference (at most), or on ipckit's own figure (at least).
     *
     * @param text    the goal as printed.
     * @param limit   the limit.
     * @param onRatio whether the limit is on the ratio (at most) or on the figure (at least).
     */
    record Goal(String text, double limit, boolean onRatio)
    {
        /** No goal. */
        static final Goal NONE = new Goal("-", Double.NaN, true);

        String met(final double figure, final double reference)
        {
            if (this == NONE)
            {
                return "-";
            }
            final double tested = onRatio ? figure / reference : figure;
            if (Double.isNaN(tested) || Double.isInfinite(tested))
            {
                return "n/a";
            }
            return (onRatio ? tested <= limit : tested >= limit) ? "yes" : "no";
        }
    }

    private PoolBenchmark()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args map items (default 100,000), chunk-size-1 map items (20,000), round trips (20,000), CPU tasks (20),
     *             Python scale (1; 0 skips Python), fresh pools for the ready time (5).
     * @throws Exception on failure, a wrong result included.
     */
    public static void main(final String[] args) throws Exception
    {
        final Sizes sizes = Sizes.of(args);
        CrossProcessLock.printMachine();
        System.out.printf(Locale.ROOT, "%d workers; %,d map items, %,d with chunk size 1, %,d round trips, %d CPU " +
            "tasks of ~%d ms, %d pools for the ready time; Python scale %s (0 skips it)%n", WORKERS, sizes.mapItems(),
            sizes.chunk1Items(), sizes.roundTrips(), sizes.cpuTasks(), CPU_TASK_MILLIS, sizes.pools(),
            sizes.pythonScale());

        final Measured measured = measure(sizes);
        printTable(sizes, measured.ipckitDefault(), measured.ipckitBusySpin(), measured.python());
    }

    /**
     * Runs the comparison without printing a table: the rows of the {@code ipckit bench} report, with the same
     * measurements as {@link #main(String[])}. The Python figure of a row is Python's Pool (spawn) for the ready
     * time and the fastest Python pool otherwise (the best speedup for the CPU-bound row). The progress goes to
     * standard output.
     *
     * @param mapItems    items of the default-chunk map.
     * @param chunk1Items items of the chunk-size-1 map.
     * @param roundTrips  recorded applyAsync round trips.
     * @param cpuTasks    CPU-bound tasks.
     * @param pythonScale multiplies Python's map items and round trips; 0 skips Python.
     * @param pools       fresh pools for the ready time.
     * @return the rows.
     * @throws Exception on failure, a wrong result included.
     */
    public static List<ResultRow> rows(
        final int mapItems, final int chunk1Items, final int roundTrips, final int cpuTasks, final double pythonScale,
        final int pools) throws Exception
    {
        final Sizes sizes = new Sizes(mapItems, chunk1Items, roundTrips, cpuTasks, pythonScale, pools);
        final Measured measured = measure(sizes);
        final Figures byDefault = measured.ipckitDefault();
        final Figures busySpin = measured.ipckitBusySpin();
        final List<Figures> python = measured.python();
        final double spawnReady = python.get(PYTHON_POOLS.indexOf("pool_spawn")).readyMillis();
        return List.of(
            ResultRow.lower(READY_IDS, "pool of 2: create -> first result, median (Python: Pool spawn)", "ms",
                byDefault.readyCdsMillis(), busySpin.readyCdsMillis(), ResultRow.NONE, spawnReady),
            ResultRow.lower(READY_NO_CDS_IDS, "pool of 2: create -> first result, median, without the CDS archive",
                "ms", byDefault.readyMillis(), busySpin.readyMillis(), ResultRow.NONE, spawnReady),
            ResultRow.lower(READY_FORKSERVER_IDS,
                "pool of 2: create -> first result, median, forkserver (Python: Pool fork)", "ms",
                measured.forkserverReadyMillis(), ResultRow.NONE, ResultRow.NONE,
                python.get(PYTHON_POOLS.indexOf("pool_fork")).readyMillis()),
            ResultRow.lower(MAP_IDS,
                String.format(Locale.ROOT, "pool map x -> x + 1, %,d items, default chunks", mapItems),
                "µs/item", byDefault.mapMicros(), busySpin.mapMicros(), ResultRow.NONE,
                fastest(python, Figures::mapMicros)),
            ResultRow.lower(MAP_CHUNK1_IDS,
                String.format(Locale.ROOT, "pool map x -> x + 1, %,d items, chunk size 1", chunk1Items),
                "µs/item", byDefault.chunk1Micros(), busySpin.chunk1Micros(), ResultRow.NONE,
                fastest(python, Figures::chunk1Micros)),
            ResultRow.lower(APPLY_IDS, "pool applyAsync(() -> i + 1).get() round trip, p50", "µs",
                    byDefault.p50Micros(), busySpin.p50Micros(), ResultRow.NONE, fastest(python, Figures::p50Micros))
                .withCurve(Variant.IPCKIT, byDefault.curve()).withCurve(Variant.IPCKIT_BUSY_SPIN, busySpin.curve()),
            ResultRow.lower(APPLY_ARGS_IDS, "pool applyAsync(inc, i).get() round trip, p50", "µs",
                    byDefault.callP50Micros(), busySpin.callP50Micros(), ResultRow.NONE,
                    fastest(python, Figures::callP50Micros))
                .withCurve(Variant.IPCKIT, byDefault.callCurve())
                .withCurve(Variant.IPCKIT_BUSY_SPIN, busySpin.callCurve()),
            ResultRow.higher(SPEEDUP_IDS,
                String.format(Locale.ROOT, "pool CPU-bound speedup, %d tasks of ~%d ms", cpuTasks,
                CPU_TASK_MILLIS), "x", byDefault.speedup(), busySpin.speedup(), ResultRow.NONE,
                python.stream().mapToDouble(Figures::speedup).filter(v -> !Double.isNaN(v)).max()
                    .orElse(Double.NaN)));
    }

    /** Create -> first result with the archive (ipckit's default), next to Python's {@code Pool(2)} spawn. */
    public static final RowIds READY_IDS = RowIds.waits("pool.ready", null, "python.pool.ready.spawn");
    /** Create -> first result without the archive. */
    public static final RowIds READY_NO_CDS_IDS = RowIds.waits("pool.ready.nocds", null, "python.pool.ready.spawn");
    /** Create -> first result with {@code StartMethod.FORKSERVER}, next to Python's {@code Pool(2)} with fork. */
    public static final RowIds READY_FORKSERVER_IDS =
        RowIds.single("pool.ready.forkserver", null, "python.pool.ready.fork");
    /** {@code map(x -> x + 1)} with the default chunks, per item. */
    public static final RowIds MAP_IDS = RowIds.waits("pool.map", null, "python.pool.map");
    /** {@code map(x -> x + 1)} with chunk size 1, per item. */
    public static final RowIds MAP_CHUNK1_IDS = RowIds.waits("pool.map.chunk1", null, "python.pool.map.chunk1");
    /** {@code applyAsync(() -> i + 1).get()}, p50; Python has no lambdas: its figure is apply_async(inc, (i,)). */
    public static final RowIds APPLY_IDS =
        RowIds.waits("pool.applyasync.rtt.p50", null, "python.pool.applyasync.rtt.p50");
    /** {@code applyAsync(inc, i).get()}, p50, next to the same Python figure. */
    public static final RowIds APPLY_ARGS_IDS =
        RowIds.waits("pool.applyasync.args.rtt.p50", null, "python.pool.applyasync.rtt.p50");
    /** The CPU-bound speedup over running the tasks one after another. */
    public static final RowIds SPEEDUP_IDS = RowIds.waits("pool.speedup", null, "python.pool.speedup");
    /** Every id of {@link #rows}, in row order. */
    public static final List<RowIds> IDS =
        List.of(READY_IDS, READY_NO_CDS_IDS, READY_FORKSERVER_IDS, MAP_IDS, MAP_CHUNK1_IDS, APPLY_IDS, APPLY_ARGS_IDS,
            SPEEDUP_IDS);

    /**
     * ipckit's figures, default wait and busy-spin, and the Python pools' in {@link #PYTHON_POOLS} order.
     */
    private record Measured(Figures ipckitDefault, Figures ipckitBusySpin, double forkserverReadyMillis,
        List<Figures> python)
    {
    }

    private static Measured measure(final Sizes sizes) throws Exception
    {
        final CpuWork cpu = sequentialCpuWork(sizes.cpuTasks());
        System.out.printf(Locale.ROOT, "CPU task: %,d LCG iterations; %d tasks one after another in this JVM: " +
            "%.1f ms (best of %d)%n", cpu.iterations(), cpu.tasks(), cpu.sequentialMs(), CPU_ROUNDS);
        final PoolOptions options = PoolOptions.defaults().withWorkers(WORKERS);
        final Figures ipckitDefault = measure("ipckit default", options, sizes, cpu);
        final Figures ipckitBusySpin =
            measure("ipckit busy-spin", options.withWaitStrategy(WaitStrategy.busySpin()), sizes, cpu);
        final double forkserverReady = forkserverReadyMillis(options, sizes.pools());
        System.out.printf(Locale.ROOT, "%-16s create -> first result: %.1f ms with forkserver (median of %d, each " +
            "pool finding a booted spare)%n", "ipckit default", forkserverReady, sizes.pools());

        final Optional<Map<String, String>> python;
        if (sizes.pythonScale() > 0)
        {
            System.out.println("running the Python reference ...");
            python = PythonReference.run(PythonReference.MP_POOL, sizes.pools(), sizes.python(sizes.mapItems()),
                sizes.python(sizes.chunk1Items()), sizes.python(sizes.roundTrips()), sizes.cpuTasks(),
                CPU_TASK_MILLIS);
        }
        else
        {
            System.out.println("Python reference skipped: pythonScale is 0");
            python = Optional.empty();
        }
        python.ifPresent(p -> System.out.printf(Locale.ROOT, "Python %s; CPU task: %s LCG iterations; %d tasks one " +
            "after another: %s ms%n", p.get("python"), p.get("cpu_iterations"), sizes.cpuTasks(),
            p.get("cpu_sequential_ms")));
        final List<Figures> pythonFigures = PYTHON_POOLS.stream().map(pool -> Figures.ofPython(python, pool)).toList();
        return new Measured(ipckitDefault, ipckitBusySpin, forkserverReady, pythonFigures);
    }

    /**
     * All figures of one kind of pool: the ready times with fresh pools, the rest on one pool.
     */
    private static Figures measure(final String label, final PoolOptions options, final Sizes sizes, final CpuWork cpu)
        throws Exception
    {
        final boolean sharing = IpcProcess.usesClassDataSharing();
        final double ready;
        final double readyCds;
        try
        {
            ready = readyMillis(options, sizes.pools(), false, false);
            readyCds = readyMillis(options, sizes.pools(), true, false);
        }
        finally
        {
            IpcProcess.useClassDataSharing(sharing);
        }
        System.out.printf(Locale.ROOT, "%-16s create -> first result: %.1f ms, with the CDS archive %.1f ms " +
            "(median of %d)%n", label, ready, readyCds, sizes.pools());

        final ProcessPool pool = ProcessPool.create(options);
        try
        {
            final MapTiming map = mapMicrosPerItem(pool, sizes.mapItems(), 0);
            System.out.printf(Locale.ROOT, "%-16s map, %,d items, default chunks: %.3f µs/item (median of %d after " +
                "the warm-up; rounds 2-%d: %.3f)%n", label, sizes.mapItems(), map.steady(), MAP_ROUNDS,
                EARLY_ROUNDS + 1, map.early());
            final MapTiming chunk1 = mapMicrosPerItem(pool, sizes.chunk1Items(), 1);
            System.out.printf(Locale.ROOT, "%-16s map, %,d items, chunk size 1: %.3f µs/item (median of %d after " +
                "the warm-up; rounds 2-%d: %.3f)%n", label, sizes.chunk1Items(), chunk1.steady(), MAP_ROUNDS,
                EARLY_ROUNDS + 1, chunk1.early());
            final RoundTrips lambdas =
                roundTrips(pool, sizes.roundTrips(), Math.max(1, sizes.roundTrips() / 4), false);
            final Histogram roundTrip = lambdas.steady();
            final double p50 = roundTrip.getValueAtPercentile(50) / 1e3;
            final double p99 = roundTrip.getValueAtPercentile(99) / 1e3;
            System.out.printf(Locale.ROOT, "%-16s applyAsync(() -> i + 1) round trip: p50 %.2f µs, p99 %.2f µs, " +
                "max %.1f µs (first %,d calls: p50 %.2f µs)%n", label, p50, p99, roundTrip.getMaxValue() / 1e3,
                lambdas.early().getTotalCount(), lambdas.early().getValueAtPercentile(50) / 1e3);
            final RoundTrips calls = roundTrips(pool, sizes.roundTrips(), Math.max(1, sizes.roundTrips() / 4), true);
            final Histogram call = calls.steady();
            final double callP50 = call.getValueAtPercentile(50) / 1e3;
            final double callP99 = call.getValueAtPercentile(99) / 1e3;
            System.out.printf(Locale.ROOT, "%-16s applyAsync(inc, i) round trip: p50 %.2f µs, p99 %.2f µs, " +
                "max %.1f µs (first %,d calls: p50 %.2f µs)%n", label, callP50, callP99, call.getMaxValue() / 1e3,
                calls.early().getTotalCount(), calls.early().getValueAtPercentile(50) / 1e3);
            final double pooledMs = pooledCpuMillis(pool, cpu);
            final double speedup = cpu.sequentialMs() / pooledMs;
            System.out.printf(Locale.ROOT, "%-16s CPU-bound: %.1f ms on the pool (best of %d), speedup %.2fx%n",
                label, pooledMs, CPU_ROUNDS, speedup);
            pool.close();
            return new Figures(ready, readyCds, map.steady(), chunk1.steady(), p50, p99, callP50, callP99, speedup,
                LatencyCurve.micros(roundTrip), LatencyCurve.micros(call));
        }
        catch (final Exception | Error ex)
        {
            pool.terminate();
            throw ex;
        }
    }

    /**
     * {@link #readyMillis} with {@code StartMethod.FORKSERVER}, the CDS archive on: before each pool, unmeasured, a
     * spare JVM is ready and has booted (Python's fork needs no such wait; its forkserver, once started, neither).
     */
    private static double forkserverReadyMillis(final PoolOptions options, final int pools) throws Exception
    {
        final boolean sharing = IpcProcess.usesClassDataSharing();
        try
        {
            return readyMillis(options.withStartMethod(StartMethod.FORKSERVER), pools, true, true);
        }
        finally
        {
            IpcProcess.useClassDataSharing(sharing);
        }
    }

    /**
     * Median time from {@link ProcessPool#create(PoolOptions)} to the first result, over fresh pools (each after a
     * booted spare is ready, when {@code spareFirst}); one unmeasured pool first (it loads the classes here and, with the archive on, dumps the archive).
     */
    private static double readyMillis(
        final PoolOptions options, final int pools, final boolean classDataSharing, final boolean spareFirst)
        throws Exception
    {
        IpcProcess.useClassDataSharing(classDataSharing);
        final double[] millis = new double[pools];
        for (int i = -1; i < pools; i++)
        {
            // The unmeasured first pool starts its workers by spawn when no spare of its options exists yet (the
            // pool benchmark run alone), and has spares of them prepared for the measured ones.
            if (spareFirst && i >= 0)
            {
                ChildStartBenchmark.awaitSpare();
            }
            final long start = System.nanoTime();
            final ProcessPool pool = ProcessPool.create(options);
            try
            {
                final int result = pool.applyAsync(() -> 1).get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                final long elapsed = System.nanoTime() - start;
                if (result != 1)
                {
                    throw new IllegalStateException("the first task returned " + result + ", not 1");
                }
                if (i >= 0)
                {
                    millis[i] = elapsed / 1e6;
                }
            }
            catch (final Exception | Error ex)
            {
                pool.terminate();
                throw ex;
            }
            pool.close();
            if (i < 0 && classDataSharing)
            {
                ChildStartBenchmark.awaitClassDataArchive();
            }
        }
        return median(millis);
    }

    /**
     * Median µs per item of {@code map(x -> x + 1)} over 0..items-1, each round's results checked: of
     * {@value #MAP_ROUNDS} rounds after the warm-up (at least {@value #MAP_WARMUP_ROUNDS} rounds and
     * {@link #MAP_WARMUP_NANOS}), and of the 2nd to {@value #EARLY_ROUNDS} + 1st rounds.
     *
     * @param chunkSize items per task, 0 for the default chunking.
     */
    private static MapTiming mapMicrosPerItem(final ProcessPool pool, final int items, final int chunkSize)
        throws Exception
    {
        final List<Integer> input = IntStream.range(0, items).boxed().toList();
        final double[] early = new double[EARLY_ROUNDS];
        final double[] micros = new double[MAP_ROUNDS];
        final long warmupEnd = System.nanoTime() + MAP_WARMUP_NANOS;
        int warmups = 0;
        int measured = 0;
        while (measured < MAP_ROUNDS)
        {
            final long start = System.nanoTime();
            final List<Integer> results =
                chunkSize == 0 ? pool.map(INCREMENT, input) : pool.map(INCREMENT, input, chunkSize);
            final long end = System.nanoTime();
            checkIncremented(results, items);
            final double perItem = (end - start) / 1e3 / items;
            if (warmups >= 1 && warmups <= EARLY_ROUNDS)
            {
                early[warmups - 1] = perItem;
            }
            if (warmups < MAP_WARMUP_ROUNDS || end - warmupEnd < 0)
            {
                warmups++;
            }
            else
            {
                micros[measured++] = perItem;
            }
        }
        return new MapTiming(median(micros), median(early));
    }

    /** A map's µs per item after the warm-up and in a pool's first rounds. */
    private record MapTiming(double steady, double early)
    {
    }

    /**
     * Each result is its item plus one, in order, and they sum to items * (items + 1) / 2.
     */
    private static void checkIncremented(final List<Integer> results, final int items)
    {
        if (results.size() != items)
        {
            throw new IllegalStateException("map returned " + results.size() + " results for " + items + " items");
        }
        long sum = 0;
        for (int i = 0; i < items; i++)
        {
            final int result = results.get(i);
            if (result != i + 1)
            {
                throw new IllegalStateException("map result " + i + " is " + result + ", not " + (i + 1));
            }
            sum += result;
        }
        final long expected = (long)items * (items + 1) / 2;
        if (sum != expected)
        {
            throw new IllegalStateException("map results sum to " + sum + ", not " + expected);
        }
    }

    /**
     * {@code applyAsync(() -> i + 1).get()} or, with {@code function}, {@code applyAsync(INCREMENT, i).get()} (Python's
     * {@code apply_async(inc, (i,))}), one at a time: {@code calls} recorded after a warm-up of at least
     * {@code warmup} calls and {@link #ROUND_TRIP_WARMUP_NANOS} (the JIT's, as for the maps).
     */
    private static RoundTrips roundTrips(final ProcessPool pool, final int calls, final int warmup,
        final boolean function) throws Exception
    {
        final Histogram early = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        final long warmupEnd = System.nanoTime() + ROUND_TRIP_WARMUP_NANOS;
        int warmups = 0;
        int recorded = 0;
        for (int i = 0; recorded < calls; i++)
        {
            final int item = i;
            final long start = System.nanoTime();
            final int result = function ? pool.applyAsync(INCREMENT, item).get() : pool.applyAsync(() -> item + 1).get();
            final long end = System.nanoTime();
            if (result != i + 1)
            {
                throw new IllegalStateException("round trip " + i + " returned " + result);
            }
            final long elapsed = Math.min(end - start, HIGHEST_TRACKABLE_NANOS);
            if (warmups < warmup || end - warmupEnd < 0)
            {
                if (warmups < warmup)
                {
                    early.recordValue(elapsed);
                }
                warmups++;
            }
            else
            {
                histogram.recordValue(elapsed);
                recorded++;
            }
        }
        return new RoundTrips(histogram, early);
    }

    /** Round trips after the warm-up, and the first {@code warmup} calls of it. */
    private record RoundTrips(Histogram steady, Histogram early)
    {
    }

    /**
     * Warms up and calibrates the CPU task to about {@value #CPU_TASK_MILLIS} ms in this JVM, then times the tasks
     * one after another, best of {@value #CPU_ROUNDS}.
     */
    private static CpuWork sequentialCpuWork(final int tasks)
    {
        long sink = 0;
        for (int i = 0; i < 20; i++)
        {
            sink += burn(i, CALIBRATION_ITERATIONS);
        }
        long probe = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++)
        {
            final long start = System.nanoTime();
            sink += burn(i, CALIBRATION_ITERATIONS);
            probe = Math.min(probe, System.nanoTime() - start);
        }
        blackhole = sink;
        final long iterations =
            Math.max(1, CALIBRATION_ITERATIONS * TimeUnit.MILLISECONDS.toNanos(CPU_TASK_MILLIS) / probe);
        long best = Long.MAX_VALUE;
        long sum = 0;
        for (int round = 0; round < CPU_ROUNDS; round++)
        {
            final long start = System.nanoTime();
            sum = 0;
            for (int seed = 0; seed < tasks; seed++)
            {
                sum += burn(seed, iterations);
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        return new CpuWork(tasks, iterations, best / 1e6, sum);
    }

    /**
     * The CPU tasks through {@code map} with chunk size 1: the best time of the rounds after one unmeasured, each
     * round's sum checked against the sequential one.
     */
    private static double pooledCpuMillis(final ProcessPool pool, final CpuWork cpu) throws Exception
    {
        final long iterations = cpu.iterations();
        final TaskFunction<Integer, Long> task = seed -> burn(seed, iterations);
        final List<Integer> seeds = IntStream.range(0, cpu.tasks()).boxed().toList();
        long best = Long.MAX_VALUE;
        for (int round = -1; round < CPU_ROUNDS; round++)
        {
            final long start = System.nanoTime();
            final List<Long> results = pool.map(task, seeds, 1);
            final long elapsed = System.nanoTime() - start;
            final long sum = results.stream().mapToLong(Long::longValue).sum();
            if (results.size() != cpu.tasks() || sum != cpu.sum())
            {
                throw new IllegalStateException("CPU-bound map: " + results.size() + " results summing to " + sum +
                    ", not " + cpu.tasks() + " summing to " + cpu.sum() + " as in this JVM");
            }
            if (round >= 0)
            {
                best = Math.min(best, elapsed);
            }
        }
        return best / 1e6;
    }

    /**
     * The CPU-bound task: {@code iterations} steps of a 64-bit linear congruential generator from {@code seed}.
     *
     * @param seed       the start value.
     * @param iterations the steps.
     * @return the last value.
     */
    static long burn(final long seed, final long iterations)
    {
        long x = seed;
        for (long i = 0; i < iterations; i++)
        {
            x = x * LCG_MULTIPLIER + LCG_INCREMENT;
        }
        return x;
    }

    private static void printTable(
        final Sizes sizes, final Figures ipckitDefault, final Figures ipckitBusySpin, final List<Figures> python)
    {
        final List<String> header = new ArrayList<>(List.of("operation", "ipckit default", "ipckit busy-spin"));
        header.addAll(PYTHON_HEADERS);
        header.addAll(List.of("goal (issue's Python figures)", "ratio (default / busy-spin)",
            "met? (default / busy-spin)"));
        final MarkdownTable table = new MarkdownTable(header.toArray(String[]::new));
        final Rows rows = new Rows(table, ipckitDefault, ipckitBusySpin, python);

        final double spawnReady = python.get(PYTHON_POOLS.indexOf("pool_spawn")).readyMillis();
        final Goal ready = new Goal("<= 2x Python Pool (spawn) (8 ms fork, 82 ms spawn)", 2, true);
        rows.add("pool of 2: create -> first result (CDS archive, the default) [ms]", 1, Figures::readyCdsMillis,
            Figures::readyMillis, ready, spawnReady);
        rows.add("  the same without the CDS archive [ms]", 1, Figures::readyMillis, Figures::readyMillis, ready,
            spawnReady);
        rows.add(String.format(Locale.ROOT, "map x -> x + 1, %,d items, default chunks [µs/item]", sizes.mapItems()),
            3, Figures::mapMicros, Figures::mapMicros, new Goal("<= Python (0.31 µs)", 1, true),
            fastest(python, Figures::mapMicros));
        rows.add(String.format(Locale.ROOT, "map x -> x + 1, %,d items, chunk size 1 [µs/item]", sizes.chunk1Items()),
            2, Figures::chunk1Micros, Figures::chunk1Micros, new Goal("<= 1/10 of Python (29 µs)", 0.1, true),
            fastest(python, Figures::chunk1Micros));
        rows.add("applyAsync(() -> i + 1).get() round trip p50 [µs]", 1, Figures::p50Micros, Figures::p50Micros,
            new Goal("<= 1/10 of Python (130-310 µs)", 0.1, true), fastest(python, Figures::p50Micros));
        rows.add("applyAsync(..).get() round trip p99 [µs]", 1, Figures::p99Micros, Figures::p99Micros, Goal.NONE,
            fastest(python, Figures::p99Micros));
        rows.add("applyAsync(inc, i).get() round trip p50 [µs]", 1, Figures::callP50Micros, Figures::callP50Micros,
            new Goal("<= 1/10 of Python (130-310 µs)", 0.1, true), fastest(python, Figures::callP50Micros));
        rows.add("applyAsync(inc, i).get() round trip p99 [µs]", 1, Figures::callP99Micros, Figures::callP99Micros,
            Goal.NONE, fastest(python, Figures::callP99Micros));
        rows.add(String.format(Locale.ROOT, "CPU-bound speedup, %d tasks of ~%d ms, chunk size 1 [x]",
            sizes.cpuTasks(), CPU_TASK_MILLIS), 2, Figures::speedup, Figures::speedup,
            new Goal(">= 1.85x (Python 1.92x)", 1.85, false),
            python.stream().mapToDouble(Figures::speedup).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN));

        table.note("ipckit: ProcessPool of 2 worker JVMs; default = the backoff wait (spin, yield, park), " +
            "busy-spin = WaitStrategy.busySpin() in the workers and the pool's dispatcher thread (on 2 cores the " +
            "spinning dispatcher competes with the workers).");
        table.note("Python: multiprocessing.Pool(2) with fork and with spawn, " +
            "concurrent.futures.ProcessPoolExecutor(2) with fork; the executor's map gets Pool's default chunk size " +
            "(its own default is 1).");
        table.note("ratio: ipckit over the reference its goal names: Python Pool (spawn) in the ready rows, the " +
            "fastest Python pool in the others (the best speedup in the CPU row, whose goal is on ipckit's own " +
            "speedup). Lower is better except for the speedup; n/a: not measured in this run.");
        table.note(String.format(Locale.ROOT, "map: median of %d rounds after at least %d unmeasured and %d s of " +
            "them, the JIT's warm-up (Python: 1; ipckit's rounds 2-%d are printed above the table); chunk size " +
            "1 over fewer items than the default-chunk map, in both languages. Round trips: one call at a time " +
            "after at least a quarter as many unrecorded and 1 s of them (the first quarter's p50 is printed " +
            "above). CPU: best of %d; sequential in one process (Java: this JVM after warm-up); a task's " +
            "iterations calibrated to ~%d ms in each language.", MAP_ROUNDS, MAP_WARMUP_ROUNDS,
            TimeUnit.NANOSECONDS.toSeconds(MAP_WARMUP_NANOS), EARLY_ROUNDS + 1, CPU_ROUNDS, CPU_TASK_MILLIS));
        if (sizes.pythonScale() > 0 && sizes.pythonScale() != 1.0)
        {
            table.note(String.format(Locale.ROOT, "Python (scale %s): %,d and %,d map items, %,d round trips.",
                sizes.pythonScale(), sizes.python(sizes.mapItems()), sizes.python(sizes.chunk1Items()),
                sizes.python(sizes.roundTrips())));
        }
        table.print();
    }

    private static double fastest(final List<Figures> python, final ToDoubleFunction<Figures> figure)
    {
        return python.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    /**
     * The rows of the closing table.
     *
     * @param table          the table.
     * @param ipckitDefault  ipckit with the default wait.
     * @param ipckitBusySpin ipckit with busy-spin.
     * @param python         the Python pools, in the columns' order.
     */
    private record Rows(MarkdownTable table, Figures ipckitDefault, Figures ipckitBusySpin, List<Figures> python)
    {
        /**
         * Adds a row.
         *
         * @param operation    what, with its unit.
         * @param decimals     decimals of the figures.
         * @param ipckit       the ipckit figure.
         * @param pythonFigure the Python figure.
         * @param goal         the goal.
         * @param reference    what ipckit's figure is divided by for the ratio.
         */
        void add(
            final String operation, final int decimals, final ToDoubleFunction<Figures> ipckit,
            final ToDoubleFunction<Figures> pythonFigure, final Goal goal, final double reference)
        {
            final double byDefault = ipckit.applyAsDouble(ipckitDefault);
            final double busySpin = ipckit.applyAsDouble(ipckitBusySpin);
            final List<String> cells =
                new ArrayList<>(List.of(operation, figure(byDefault, decimals), figure(busySpin, decimals)));
            python.forEach(p -> cells.add(figure(pythonFigure.applyAsDouble(p), decimals)));
            cells.add(goal.text());
            cells.add(ratio(byDefault / reference) + " / " + ratio(busySpin / reference));
            cells.add(goal.met(byDefault, reference) + " / " + goal.met(busySpin, reference));
            table.row(cells.toArray(String[]::new));
        }

        private static String figure(final double value, final int decimals)
        {
            return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
        }

        private static String ratio(final double ratio)
        {
            return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "n/a" : String.format(Locale.ROOT, "%.3g", ratio);
        }
    }
}
