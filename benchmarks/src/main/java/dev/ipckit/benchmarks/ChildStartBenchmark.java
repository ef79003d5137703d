package dev.ipckit.benchmarks;

import dev.ipckit.process.IpcProcess;
import dev.ipckit.process.StartMethod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Start cost of a child JVM: the time from just before {@link IpcProcess#start()} in the parent to the first line of
 * the task in the child (both read {@link Instant#now()}, the same wall clock), for children started one after
 * another, without and with the class-data-sharing archive, and with {@code StartMethod.FORKSERVER} (each measured
 * start finds a spare JVM that has booted, as Python's forkserver is there once started). Also the time until
 * {@code join()} returns.
 * <p>
 * Plain {@code main}, not JMH: each sample is a new JVM. Run it from the shaded jar (a class path of jars only, which
 * the archive needs) with the ipckit JVM flags:
 * <pre>
 *   java $(ipckit flags) -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.ChildStartBenchmark [children] [child JVM options...]
 * </pre>
 * Python's {@code multiprocessing} with the spawn, fork and forkserver start methods is the reference
 * ({@link #rows(int, int)} runs it).
 */
public final class ChildStartBenchmark
{
    private static final int DEFAULT_CHILDREN = 20;

    /** How long a spare JVM is given to boot before a measured start (more than a JVM's boot on this VM). */
    private static final long SPARE_BOOT_MILLIS = 500;
    /** How long an idle spare's CPU is sampled. */
    private static final long IDLE_SAMPLE_MILLIS = 2_000;

    /** Start with the archive (ipckit's default), next to Python's spawn start. */
    public static final RowIds SPAWN_IDS = RowIds.single("start.spawn", null, "python.start.spawn");
    /** Start without the archive ({@code -Dipckit.cds=false}). */
    public static final RowIds SPAWN_NO_CDS_IDS = RowIds.single("start.spawn.nocds", null, "python.start.spawn");
    /** Start on a spare JVM ({@code StartMethod.FORKSERVER}), next to Python's forkserver start. */
    public static final RowIds FORKSERVER_IDS =
        RowIds.single("start.forkserver", null, "python.start.forkserver");
    /** Python's fork start, the figure forkserver is held against. */
    public static final RowIds PYTHON_FORK_IDS = RowIds.single(null, null, "python.start.fork");
    /** Every id of {@link #rows}. */
    public static final List<RowIds> IDS = List.of(SPAWN_NO_CDS_IDS, SPAWN_IDS, FORKSERVER_IDS, PYTHON_FORK_IDS);

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

        run("without CDS archive", false, children, childOptions, StartMethod.SPAWN);
        run("with CDS archive", true, children, childOptions, StartMethod.SPAWN);
        run("forkserver", true, children, childOptions, StartMethod.FORKSERVER);
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
        final double forkserver;
        try
        {
            without = run("without CDS archive", false, children, new String[0], StartMethod.SPAWN);
            with = run("with CDS archive", true, children, new String[0], StartMethod.SPAWN);
            forkserver = run("forkserver", true, children, new String[0], StartMethod.FORKSERVER);
        }
        finally
        {
            IpcProcess.useClassDataSharing(sharing);
        }
        final Optional<Map<String, String>> python = pythonChildren > 0 ?
            PythonReference.run(PythonReference.MP_BASICS, "start", pythonChildren) : Optional.empty();
        final double spawn = PythonReference.number(python, "spawn_start_ms");
        return List.of(
            ResultRow.lower(FORKSERVER_IDS, "child start() -> task's first line, median, forkserver (a spare JVM)",
                "ms", forkserver, ResultRow.NONE, ResultRow.NONE, PythonReference.number(python, "forkserver_start_ms")),
            ResultRow.lower(PYTHON_FORK_IDS, "Python child start() -> first line, median, fork", "ms",
                ResultRow.NONE, ResultRow.NONE, ResultRow.NONE, PythonReference.number(python, "fork_start_ms")),
            ResultRow.lower(SPAWN_NO_CDS_IDS, "child start() -> task's first line, median, without the CDS archive",
                "ms", without, ResultRow.NONE, ResultRow.NONE, spawn),
            ResultRow.lower(SPAWN_IDS, "child start() -> task's first line, median (with the CDS archive)", "ms",
                with, ResultRow.NONE, ResultRow.NONE, spawn));
    }

    /**
     * @return the median time to the task's first line, ms.
     */
    private static double run(
        final String mode, final boolean sharing, final int children, final String[] childOptions,
        final StartMethod method) throws Exception
    {
        IpcProcess.useClassDataSharing(sharing);
        // Not measured: loads the parent's side of the launch path and, with sharing on, dumps the archive (with
        // forkserver, it also has the first spare started).
        startAndMeasure(childOptions, method);
        if (sharing)
        {
            awaitClassDataArchive();
        }

        final double[] toFirstLine = new double[children];
        final double[] toJoined = new double[children];
        for (int i = 0; i < children; i++)
        {
            if (method == StartMethod.FORKSERVER)
            {
                awaitSpare();
            }
            final double[] sample = startAndMeasure(childOptions, method);
            toFirstLine[i] = sample[0];
            toJoined[i] = sample[1];
        }
        report(mode, "start -> first line of task", toFirstLine);
        report(mode, "start -> join() returned   ", toJoined);
        if (method == StartMethod.FORKSERVER)
        {
            reportIdleSpare();
        }
        final double[] sorted = toFirstLine.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 50);
    }

    /**
     * Waits, unmeasured, until no archive is being made in ipckit's archive directory: on JDK 25 the AOT cache is
     * assembled in the background after the first child exits, and until then children start without one.
     */
    static void awaitClassDataArchive() throws Exception
    {
        final String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        final Path directory = Path.of(System.getProperty("java.io.tmpdir"), "ipckit-cds-" + user);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.isDirectory(directory) && System.nanoTime() - deadline < 0)
        {
            try (Stream<Path> files = Files.list(directory))
            {
                if (files.map(file -> file.getFileName().toString())
                    .noneMatch(name -> name.endsWith(".tmp") || name.endsWith(".aotconfig")))
                {
                    return;
                }
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits, unmeasured, until the spare that replaces the last one is ready: Python's forkserver is always there
     * once started, and here too each measured start (or pool, {@code PoolBenchmark}) finds a spare.
     */
    static void awaitSpare() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (IpcProcess.forkserverSparePids().isEmpty())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("no spare JVM within 30 s");
            }
            Thread.sleep(5);
        }
        // A spare is listed once its JVM was launched; give it the time to boot and block on its stdin.
        Thread.sleep(SPARE_BOOT_MILLIS);
    }

    private static double[] startAndMeasure(final String[] childOptions, final StartMethod method) throws Exception
    {
        final Instant before = Instant.now();
        final IpcProcess<Instant> child = IpcProcess.of(() -> Instant.now()).jvmOptions(childOptions)
            .startMethod(method).start();
        if (!child.join(Duration.ofSeconds(60)))
        {
            child.kill();
            throw new IllegalStateException("child " + child + " did not finish within 60 s");
        }
        final Instant joined = Instant.now();
        final Instant firstLine = child.result();
        return new double[]{millisBetween(before, firstLine), millisBetween(before, joined)};
    }

    /**
     * An idle spare's resident memory and the CPU it takes while idle, from {@code /proc} (Linux): VmRSS, and utime +
     * stime over {@link #IDLE_SAMPLE_MILLIS} after it booted.
     */
    private static void reportIdleSpare() throws Exception
    {
        awaitSpare();
        final long pid = IpcProcess.forkserverSparePids().get(0);
        final Path proc = Path.of("/proc", Long.toString(pid));
        if (!Files.isDirectory(proc))
        {
            System.out.println("idle spare: no /proc here, its memory and CPU not measured");
            return;
        }
        final long ticksBefore = cpuTicks(proc);
        Thread.sleep(IDLE_SAMPLE_MILLIS);
        final long ticks = cpuTicks(proc) - ticksBefore;
        final String rss = Files.readAllLines(proc.resolve("status")).stream()
            .filter(line -> line.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?").substring(6).trim();
        // Clock ticks are 10 ms on Linux (USER_HZ = 100).
        System.out.printf(Locale.ROOT, "idle spare (pid %d): RSS %s, CPU %d ms over %d ms idle%n",
            pid, rss, ticks * 10, IDLE_SAMPLE_MILLIS);
    }

    private static long cpuTicks(final Path proc) throws java.io.IOException
    {
        final String stat = Files.readString(proc.resolve("stat"));
        // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
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
