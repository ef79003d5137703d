package dev.ipckit.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The uncontended single-thread costs of {@link ValueBenchmark} and {@link LockBenchmark} as report rows, run through
 * the JMH API, next to Python's {@code multiprocessing.Value}, {@code Lock} and {@code Semaphore} timed by
 * {@code mp_basics.py}. Uncontended, the wait strategy never runs, so there is no busy-spin figure.
 * <p>
 * The JMH forks inherit this JVM's options (the ipckit JVM flags among them) and class path.
 */
public final class OperationCosts
{
    /**
     * How long JMH measures, and how long Python.
     *
     * @param quick            forks 1, one warm-up and three measurement iterations of 100 ms; otherwise the
     *                         benchmarks' own annotations (3 warm-up and 5 measurement iterations of 1 s, 1 fork).
     * @param pythonIterations iterations of each Python loop, 0 skips Python.
     */
    public record Settings(boolean quick, long pythonIterations)
    {
    }

    private static final TimeValue QUICK_ITERATION = TimeValue.milliseconds(100);

    /** {@code SharedLong.get()}: ipckit, the raw Agrona buffer, Python's {@code Value('q').value}. */
    public static final RowIds GET_IDS = RowIds.single("value.long.get", "raw.agrona.get", "python.value.get");
    /** {@code SharedLong.set(v)}. */
    public static final RowIds SET_IDS = RowIds.single("value.long.set", "raw.agrona.set", "python.value.set");
    /** {@code SharedLong.incrementAndGet()}. */
    public static final RowIds INCREMENT_IDS =
        RowIds.single("value.long.increment", "raw.agrona.increment", "python.value.increment");
    /** {@code SharedLock} lock + unlock, uncontended; raw: a CAS spin lock. */
    public static final RowIds LOCK_IDS =
        RowIds.single("lock.uncontended", "raw.agrona.spinlock.uncontended", "python.lock.uncontended");
    /** {@code SharedRLock} lock + unlock, uncontended. */
    public static final RowIds RLOCK_IDS = RowIds.single("rlock.uncontended", null, "python.rlock.uncontended");
    /** {@code SharedSemaphore} acquire + release, uncontended. */
    public static final RowIds SEMAPHORE_IDS =
        RowIds.single("semaphore.uncontended", null, "python.semaphore.uncontended");
    /** Every id of {@link #valueRows}. */
    public static final List<RowIds> VALUE_IDS = List.of(GET_IDS, SET_IDS, INCREMENT_IDS);
    /** Every id of {@link #lockRows}. */
    public static final List<RowIds> LOCK_ROW_IDS = List.of(LOCK_IDS, RLOCK_IDS, SEMAPHORE_IDS);

    private OperationCosts()
    {
    }

    /**
     * {@link ValueBenchmark}: SharedLong get, set and incrementAndGet next to the raw Agrona buffer over the same
     * mapping, and Python's {@code Value('q')}.
     *
     * @param settings how long to measure.
     * @param progress where JMH's own output goes.
     * @return the rows, in ns per operation.
     * @throws Exception when a benchmark or the Python reference fails.
     */
    public static List<ResultRow> valueRows(final Settings settings, final PrintStream progress) throws Exception
    {
        final Map<String, Double> scores = run(ValueBenchmark.class, settings, progress,
            "sharedLongGet", "rawAgronaGetVolatile", "sharedLongSet", "rawAgronaPutVolatile",
            "sharedLongIncrementAndGet", "rawAgronaGetAndAdd");
        final Optional<Map<String, String>> python = python(settings);
        return List.of(
            row(GET_IDS, "SharedLong.get(), volatile read", scores, "sharedLongGet", "rawAgronaGetVolatile",
                PythonReference.number(python, "value_get_ns")),
            row(SET_IDS, "SharedLong.set(v), volatile write", scores, "sharedLongSet", "rawAgronaPutVolatile",
                PythonReference.number(python, "value_set_ns")),
            row(INCREMENT_IDS, "SharedLong.incrementAndGet()", scores, "sharedLongIncrementAndGet", "rawAgronaGetAndAdd",
                PythonReference.number(python, "value_increment_ns")));
    }

    /**
     * {@link LockBenchmark}: SharedLock, SharedRLock and SharedSemaphore, uncontended, next to a raw CAS spin lock
     * on a bare Agrona buffer (for the lock) and Python's {@code Lock}, {@code RLock} and {@code Semaphore}.
     *
     * @param settings how long to measure.
     * @param progress where JMH's own output goes.
     * @return the rows, in ns per operation.
     * @throws Exception when a benchmark or the Python reference fails.
     */
    public static List<ResultRow> lockRows(final Settings settings, final PrintStream progress) throws Exception
    {
        final Map<String, Double> scores = run(LockBenchmark.class, settings, progress,
            "sharedLockLockUnlock", "rawSpinLockUnlock", "sharedRLockLockUnlock", "semaphoreAcquireRelease");
        final Optional<Map<String, String>> python = python(settings);
        return List.of(
            row(LOCK_IDS, "SharedLock lock() + unlock(), uncontended", scores, "sharedLockLockUnlock", "rawSpinLockUnlock",
                PythonReference.number(python, "lock_ns")),
            row(RLOCK_IDS, "SharedRLock lock() + unlock(), uncontended", scores, "sharedRLockLockUnlock", null,
                PythonReference.number(python, "rlock_ns")),
            row(SEMAPHORE_IDS, "SharedSemaphore acquire() + release(), uncontended", scores, "semaphoreAcquireRelease", null,
                PythonReference.number(python, "semaphore_ns")));
    }

    private static ResultRow row(
        final RowIds ids, final String operation, final Map<String, Double> scores, final String ipckit, final String raw,
        final double python)
    {
        return ResultRow.lower(ids, operation, "ns", score(scores, ipckit), ResultRow.NONE,
            raw == null ? ResultRow.NONE : score(scores, raw), python);
    }

    private static double score(final Map<String, Double> scores, final String method)
    {
        final Double score = scores.get(method);
        if (score == null)
        {
            throw new IllegalStateException("JMH returned no result for " + method);
        }
        return score;
    }

    private static Optional<Map<String, String>> python(final Settings settings) throws Exception
    {
        return settings.pythonIterations() > 0 ?
            PythonReference.run(PythonReference.MP_BASICS, "ops", settings.pythonIterations()) : Optional.empty();
    }

    /**
     * Runs the named methods of one benchmark class, each in its own fork.
     *
     * @return the primary score of each method, ns/op, by method name.
     */
    private static Map<String, Double> run(
        final Class<?> benchmark, final Settings settings, final PrintStream progress, final String... methods)
        throws RunnerException
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include("^" + Pattern.quote(benchmark.getName()) + "\\.(" + String.join("|", methods) + ")$")
            .shouldFailOnError(true);
        if (settings.quick())
        {
            options.forks(1)
                .warmupIterations(1).warmupTime(QUICK_ITERATION)
                .measurementIterations(3).measurementTime(QUICK_ITERATION);
        }
        final Collection<RunResult> results =
            new Runner(options.build(), OutputFormatFactory.createFormatInstance(progress, VerboseMode.SILENT)).run();
        final Map<String, Double> scores = new HashMap<>();
        for (final RunResult result : results)
        {
            final String name = result.getParams().getBenchmark();
            scores.put(name.substring(name.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
        }
        final List<String> missing = new ArrayList<>(List.of(methods));
        missing.removeAll(scores.keySet());
        if (!missing.isEmpty())
        {
            throw new IllegalStateException("JMH returned no result for " + missing);
        }
        return scores;
    }
}
