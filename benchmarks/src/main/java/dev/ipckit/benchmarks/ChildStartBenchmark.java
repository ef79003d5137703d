package dev.ipckit.benchmarks;

import dev.ipckit.process.IpcProcess;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Start cost of a child JVM: the time from just before {@link IpcProcess#start()} in the parent to the first line of
 * the task in the child (both read {@link Instant#now()}, the same wall clock), for children started one after
 * another, without and with the class-data-sharing archive. Also the time until {@code join()} returns.
 * <p>
 * Plain {@code main}, not JMH: each sample is a new JVM. Run it from the shaded jar (a class path of jars only, which
 * the archive needs) with the ipckit JVM flags:
 * <pre>
 *   java $(ipckit flags) -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.ChildStartBenchmark [children] [child JVM options...]
 * </pre>
 * Python's {@code multiprocessing} with the spawn start method is the reference ({@link #rows(int, int)} runs it).
 */
public final class ChildStartBenchmark
{
    private static final int DEFAULT_CHILDREN = 20;

    /** Start with the archive (ipckit's default), next to Python's spawn start. */
    public static final RowIds SPAWN_IDS = RowIds.single("start.spawn", null, "python.start.spawn");
    /** Start without the archive ({@code -Dipckit.cds=false}). */
    public static final RowIds SPAWN_NO_CDS_IDS = RowIds.single("start.spawn.nocds", null, "python.start.spawn");
    /** Every id of {@link #rows}. */
    public static final List<RowIds> IDS = List.of(SPAWN_NO_CDS_IDS, SPAWN_IDS);

    private ChildStartBenchmark()
    {
    }

    /**
     * Runs the benchmark.
     *
     * @param args the number of children per mode (default 20), then JVM options for the children.
     * @throws Exception when a child fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final int children = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_CHILDREN;
        final String[] childOptions = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[0];
        System.out.printf(Locale.ROOT, "%d children per mode, child JVM options %s, java %s%n",
            children, Arrays.toString(childOptions), Runtime.version());

        run("without CDS archive", false, children, childOptions);
        run("with CDS archive", true, children, childOptions);
    }

    /**
     * Measures without and with the archive, without printing a table: the rows of the {@code ipckit bench} report,
     * next to Python's {@code multiprocessing} spawn start. Leaves the archive setting as it found it. The progress
     * goes to standard output.
     *
     * @param children       children per mode.
     * @param pythonChildren Python children, 0 skips Python.
     * @return the median time from start to the task's first line, without and with the archive.
     * @throws Exception when a child fails.
     */
    public static List<ResultRow> rows(final int children, final int pythonChildren) throws Exception
    {
        final boolean sharing = IpcProcess.usesClassDataSharing();
        final double without;
        final double with;
        try
        {
            without = run("without CDS archive", false, children, new String[0]);
            with = run("with CDS archive", true, children, new String[0]);
        }
        finally
        {
            IpcProcess.useClassDataSharing(sharing);
        }
        final Optional<Map<String, String>> python = pythonChildren > 0 ?
            PythonReference.run(PythonReference.MP_BASICS, "start", pythonChildren) : Optional.empty();
        final double spawn = PythonReference.number(python, "spawn_start_ms");
        return List.of(
            ResultRow.lower(SPAWN_NO_CDS_IDS, "child start() -> task's first line, median, without the CDS archive",
                "ms", without, ResultRow.NONE, ResultRow.NONE, spawn),
            ResultRow.lower(SPAWN_IDS, "child start() -> task's first line, median (with the CDS archive)", "ms",
                with, ResultRow.NONE, ResultRow.NONE, spawn));
    }

    /**
     * @return the median time to the task's first line, ms.
     */
    private static double run(final String mode, final boolean sharing, final int children, final String[] childOptions)
        throws Exception
    {
        IpcProcess.useClassDataSharing(sharing);
        // Not measured: loads the parent's side of the launch path and, with sharing on, dumps the archive.
        startAndMeasure(childOptions);

        final double[] toFirstLine = new double[children];
        final double[] toJoined = new double[children];
        for (int i = 0; i < children; i++)
        {
            final double[] sample = startAndMeasure(childOptions);
            toFirstLine[i] = sample[0];
            toJoined[i] = sample[1];
        }
        report(mode, "start -> first line of task", toFirstLine);
        report(mode, "start -> join() returned   ", toJoined);
        final double[] sorted = toFirstLine.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 50);
    }

    private static double[] startAndMeasure(final String[] childOptions) throws Exception
    {
        final Instant before = Instant.now();
        final IpcProcess<Instant> child = IpcProcess.of(() -> Instant.now()).jvmOptions(childOptions).start();
        if (!child.join(Duration.ofSeconds(60)))
        {
            child.kill();
            throw new IllegalStateException("child " + child + " did not finish within 60 s");
        }
        final Instant joined = Instant.now();
        final Instant firstLine = child.result();
        return new double[]{millisBetween(before, firstLine), millisBetween(before, joined)};
    }

    private static double millisBetween(final Instant from, final Instant to)
    {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static void report(final String mode, final String what, final double[] millis)
    {
        final double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-20s %s  median %6.1f ms  p90 %6.1f ms  min %6.1f ms  (n=%d)%n",
            mode, what, percentile(sorted, 50), percentile(sorted, 90), sorted[0], sorted.length);
    }

    private static double percentile(final double[] sorted, final int percent)
    {
        final int index = (int)Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
