package dev.ipckit.benchmarks;

import dev.ipckit.memory.SharedRegion;
import dev.ipckit.process.IpcProcess;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Round-trip latency between two JVMs: the parent sends a message, a child JVM sends it back, the parent times the
 * whole round trip with {@link System#nanoTime()} and records it in an HdrHistogram; {@code warmup} round trips go
 * unrecorded first, then {@code messages} are recorded, one at a time (the next ping goes out when the pong is in).
 * Every message is the payload size (8 and 64 bytes by default) and carries its sequence number, which both sides
 * check. In one run, for each payload size:
 * <ul>
 *     <li>ipckit {@code Pipe}: a duplex pipe, {@code sendBytes} and {@code recvBytesInto}, with the default wait
 *     strategy and with busy-spin ({@link PipeTransport});</li>
 *     <li>ipckit {@code Pipe} on the ring transport, the same calls and waits, beside its raw reference: two bare
 *     Agrona one-to-one rings, busy-polled ({@link RawRingTransport});</li>
 *     <li>ipckit {@code SharedQueue}: one queue per direction, {@code put} and {@code take}, default wait and
 *     busy-spin;</li>
 *     <li>raw Chronicle: two bare journals, an appender and a busy-polling tailer per direction
 *     ({@link RawChronicleTransport});</li>
 *     <li>the floor, 8 bytes only: two longs in a mapped file, each side spinning on the other's
 *     ({@link SharedLongsTransport});</li>
 *     <li>Python (multiprocessing's default start method, fork on Linux before 3.14): {@code multiprocessing.Pipe()}
 *     with {@code send_bytes}/{@code recv_bytes}, and two {@code multiprocessing.Queue}s with {@code put}/{@code get},
 *     timed with {@code time.perf_counter_ns()}, percentiles from the sorted samples.</li>
 * </ul>
 * Prints p50, p99, p99.9 and max per variant, then one markdown table with the ratios ipckit/raw and ipckit/Python.
 * <p>
 * Run it from the shaded jar with the ipckit JVM flags, on a quiet machine (each side busy-spins on its own core;
 * with fewer than 2 free cores the figures measure the scheduler):
 * <pre>
 *   mvn -B -q -DskipTests package -pl benchmarks -am
 *   flags="$(sed -n 's/^all=//p' ipc-core/target/classes/dev/ipckit/platform/jvm-flags.properties)"
 *   java $flags -cp benchmarks/target/benchmarks.jar dev.ipckit.benchmarks.PipeRoundTrip [messages] [warmup] [pythonMessages] [sizes]
 * </pre>
 * Defaults: 200,000 recorded round trips after 50,000 warm-up ones per variant and size, 20,000 Python round trips
 * (after 5,000 warm-up; 0 skips Python, as does a missing {@code python3}), sizes {@code 8,64}. About two minutes.
 */
public final class PipeRoundTrip
{
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 3;

    /**
     * Percentiles of one variant, in microseconds.
     *
     * @param p50  the median.
     * @param p99  the 99th percentile.
     * @param p999 the 99.9th percentile.
     * @param max   the largest.
     * @param curve the distribution, or {@code null} when there is none.
     */
    record Latency(double p50, double p99, double p999, double max, LatencyCurve curve)
    {
        /** No figures: the variant did not run. */
        static final Latency MISSING = new Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN, null);
        /** The variant does not apply. */
        static final Latency NONE =
            new Latency(ResultTable.NONE, ResultTable.NONE, ResultTable.NONE, ResultTable.NONE, null);

        static Latency of(final Histogram histogram)
        {
            return new Latency(histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3,
                LatencyCurve.micros(histogram));
        }

        static Latency ofPython(final Optional<Map<String, String>> python, final String prefix)
        {
            final Optional<String> curve = python.map(values -> values.get(prefix + "_curve_us"));
            return new Latency(PythonReference.number(python, prefix + "_p50_us"),
                PythonReference.number(python, prefix + "_p99_us"), PythonReference.number(python, prefix + "_p999_us"),
                PythonReference.number(python, prefix + "_max_us"), curve.map(LatencyCurve::parse).orElse(null));
        }
    }

    /** The payload size whose ids name no size; other sizes' ids do, say {@code pipe.journal.rtt.64b.p50}. */
    public static final int DEFAULT_ID_SIZE = Messages.SEQUENCE_BYTES;
    /** The floor's figure, in the raw column: two longs in a mapped file, 8 B round trip, p50. */
    public static final RowIds FLOOR_IDS = RowIds.single(null, "floor.rtt.p50", null);

    /**
     * @param size the payload size.
     * @return the ids of the pipe's p50 row: {@code pipe.journal.rtt.p50} and its references at 8 bytes.
     */
    public static RowIds pipeP50Ids(final int size)
    {
        return roundTripIds("pipe.journal", "raw.chronicle", "python.pipe", size, "p50");
    }

    /**
     * @param size the payload size.
     * @return the ids of the pipe's p99 row.
     */
    public static RowIds pipeP99Ids(final int size)
    {
        return roundTripIds("pipe.journal", "raw.chronicle", "python.pipe", size, "p99");
    }

    /**
     * @param size the payload size.
     * @return the ids of the ring pipe's p50 row: {@code pipe.ring.rtt.p50} and its raw reference, two bare Agrona
     *         rings, {@code raw.ring.rtt.p50}, at 8 bytes; Python's pipe is the same figure as the journal row's.
     */
    public static RowIds ringP50Ids(final int size)
    {
        return roundTripIds("pipe.ring", "raw.ring", "python.pipe", size, "p50");
    }

    /**
     * @param size the payload size.
     * @return the ids of the ring pipe's p99 row.
     */
    public static RowIds ringP99Ids(final int size)
    {
        return roundTripIds("pipe.ring", "raw.ring", "python.pipe", size, "p99");
    }

    /**
     * @param size the payload size.
     * @return the ids of the queue's p50 row (its raw reference is the pipe's).
     */
    public static RowIds queueP50Ids(final int size)
    {
        return roundTripIds("queue.journal", "raw.chronicle", "python.queue", size, "p50");
    }

    /** {@code <ipckit>.rtt[.<size>b].<percentile>}, and the same for the raw reference and Python. */
    private static RowIds roundTripIds(
        final String ipckit, final String raw, final String python, final int size, final String percentile)
    {
        final String suffix = ".rtt" + RowIds.qualifier(size, DEFAULT_ID_SIZE, "b") + "." + percentile;
        return RowIds.waits(ipckit + suffix, raw + suffix, python + suffix);
    }

    /**
     * @param sizes the payload sizes, as {@link #rows} takes them.
     * @return every figure id the rows have, each once, in row order.
     */
    public static List<String> ids(final int... sizes)
    {
        final Set<String> ids = new LinkedHashSet<>();
        for (final int size : sizes)
        {
            ids.addAll(pipeP50Ids(size).all());
            ids.addAll(pipeP99Ids(size).all());
            ids.addAll(ringP50Ids(size).all());
            ids.addAll(ringP99Ids(size).all());
            ids.addAll(queueP50Ids(size).all());
        }
        if (Arrays.stream(sizes).anyMatch(size -> size == Messages.SEQUENCE_BYTES))
        {
            ids.addAll(FLOOR_IDS.all());
        }
        return List.copyOf(ids);
    }

    private PipeRoundTrip()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args recorded round trips per variant and size (default 200,000), warm-up round trips (50,000), Python
     *             round trips per variant and size (20,000; 0 skips Python), payload sizes ({@code 8,64}).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final long messages = args.length > 0 ? Long.parseLong(args[0]) : 200_000L;
        final long warmup = args.length > 1 ? Long.parseLong(args[1]) : 50_000L;
        final long pythonMessages = args.length > 2 ? Long.parseLong(args[2]) : 20_000L;
        final int[] sizes = args.length > 3 ?
            Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {8, 64};
        checkSizes(sizes);
        CrossProcessLock.printMachine();
        System.out.printf(Locale.ROOT, "round trips: %,d recorded after %,d warm-up per variant, sizes %s B; " +
            "Python: %,d, 0 skips it%n", messages, warmup, Arrays.toString(sizes), pythonMessages);
        final Map<String, Latency> results = measure(messages, warmup, sizes);
        printTable(sizes, results, python(pythonMessages, sizes));
    }

    /**
     * Runs the comparison without printing a table: the rows of the {@code ipckit bench} report (p50 and p99 of the
     * pipe, p50 of the queue, per size; the floor's p50 at 8 bytes). The progress goes to standard output.
     *
     * @param messages       recorded round trips per variant and size.
     * @param warmup         warm-up round trips.
     * @param pythonMessages Python round trips per variant and size, 0 skips Python.
     * @param sizes          payload sizes, at least 8 bytes each.
     * @return the rows, in µs.
     * @throws Exception when a run fails or a message comes back wrong.
     */
    public static List<ResultRow> rows(
        final long messages, final long warmup, final long pythonMessages, final int... sizes) throws Exception
    {
        checkSizes(sizes);
        final Map<String, Latency> results = measure(messages, warmup, sizes);
        final Optional<Map<String, String>> python = python(pythonMessages, sizes);
        final List<ResultRow> rows = new ArrayList<>();
        for (final int size : sizes)
        {
            final Latency pipe = result(results, Transports.pipe(false), size);
            final Latency pipeSpin = result(results, Transports.pipe(true), size);
            final Latency queue = result(results, Transports.sharedQueue(false), size);
            final Latency queueSpin = result(results, Transports.sharedQueue(true), size);
            final Latency raw = result(results, Transports.rawChronicle(), size);
            final Latency ring = result(results, Transports.ringPipe(false), size);
            final Latency ringSpin = result(results, Transports.ringPipe(true), size);
            final Latency rawRing = result(results, Transports.rawRing(), size);
            final Latency pythonPipe = Latency.ofPython(python, "pipe_" + size);
            final Latency pythonQueue = Latency.ofPython(python, "queue_" + size);
            rows.add(ResultRow.lower(pipeP50Ids(size), "Pipe round trip " + size + " B, p50", "µs",
                    pipe.p50(), pipeSpin.p50(), raw.p50(), pythonPipe.p50())
                .withCurve(Variant.IPCKIT, pipe.curve()).withCurve(Variant.IPCKIT_BUSY_SPIN, pipeSpin.curve())
                .withCurve(Variant.RAW, raw.curve()).withCurve(Variant.PYTHON, pythonPipe.curve()));
            rows.add(ResultRow.lower(pipeP99Ids(size), "Pipe round trip " + size + " B, p99", "µs",
                pipe.p99(), pipeSpin.p99(), raw.p99(), pythonPipe.p99()));
            rows.add(ResultRow.lower(ringP50Ids(size), "Pipe (ring) round trip " + size + " B, p50", "µs",
                    ring.p50(), ringSpin.p50(), rawRing.p50(), pythonPipe.p50())
                .withCurve(Variant.IPCKIT, ring.curve()).withCurve(Variant.IPCKIT_BUSY_SPIN, ringSpin.curve())
                .withCurve(Variant.RAW, rawRing.curve()).withCurve(Variant.PYTHON, pythonPipe.curve()));
            rows.add(ResultRow.lower(ringP99Ids(size), "Pipe (ring) round trip " + size + " B, p99", "µs",
                ring.p99(), ringSpin.p99(), rawRing.p99(), pythonPipe.p99()));
            rows.add(ResultRow.lower(queueP50Ids(size), "SharedQueue round trip " + size + " B, p50", "µs",
                    queue.p50(), queueSpin.p50(), raw.p50(), pythonQueue.p50())
                .withCurve(Variant.IPCKIT, queue.curve()).withCurve(Variant.IPCKIT_BUSY_SPIN, queueSpin.curve())
                .withCurve(Variant.RAW, raw.curve()).withCurve(Variant.PYTHON, pythonQueue.curve()));
        }
        final Latency floor = results.get(key(Transports.floor().label(), Messages.SEQUENCE_BYTES));
        if (floor != null)
        {
            rows.add(ResultRow.lower(FLOOR_IDS, "floor: two longs in a mapped file, 8 B round trip, p50", "µs",
                ResultRow.NONE, ResultRow.NONE, floor.p50(), ResultRow.NONE).withCurve(Variant.RAW, floor.curve()));
        }
        return rows;
    }

    private static void checkSizes(final int[] sizes)
    {
        for (final int size : sizes)
        {
            if (size < Messages.SEQUENCE_BYTES)
            {
                throw new IllegalArgumentException("payload sizes start at 8 bytes: " + size);
            }
        }
    }

    /**
     * Every variant at every size, printing each.
     *
     * @return the percentiles by variant and size.
     */
    private static Map<String, Latency> measure(final long messages, final long warmup, final int[] sizes)
        throws Exception
    {
        final Map<String, Latency> results = new LinkedHashMap<>();
        try (ScratchDirectory scratch = ScratchDirectory.create("roundtrip"))
        {
            for (final int size : sizes)
            {
                for (final Transport transport : transports(size))
                {
                    final Latency latency = Latency.of(run(transport, scratch, size, messages, warmup));
                    results.put(key(transport.label(), size), latency);
                    System.out.printf(Locale.ROOT, "%-28s %3d B  p50 %8.2f  p99 %8.2f  p99.9 %8.2f  max %9.1f µs%n",
                        transport.label(), size, latency.p50(), latency.p99(), latency.p999(), latency.max());
                }
            }
        }
        return results;
    }

    private static Optional<Map<String, String>> python(final long pythonMessages, final int[] sizes)
        throws Exception
    {
        if (pythonMessages <= 0)
        {
            System.out.println("Python reference skipped: pythonMessages is 0");
            return Optional.empty();
        }
        final Optional<Map<String, String>> python = PythonReference.run(PythonReference.MP_MESSAGING, "roundtrip",
            pythonMessages, Math.max(1, pythonMessages / 4), joined(sizes));
        python.ifPresent(p -> System.out.printf("Python %s, multiprocessing start method %s%n",
            p.get("python"), p.get("start_method")));
        return python;
    }

    private static List<Transport> transports(final int size)
    {
        final List<Transport> transports = new ArrayList<>();
        transports.add(Transports.pipe(false));
        transports.add(Transports.pipe(true));
        transports.add(Transports.ringPipe(false));
        transports.add(Transports.ringPipe(true));
        transports.add(Transports.sharedQueue(false));
        transports.add(Transports.sharedQueue(true));
        transports.add(Transports.rawChronicle());
        transports.add(Transports.rawRing());
        if (size == Messages.SEQUENCE_BYTES)
        {
            transports.add(Transports.floor());
        }
        return transports;
    }

    /**
     * One variant at one size: a fresh channel, one echoing child, the parent pinging.
     */
    private static Histogram run(
        final Transport transport, final ScratchDirectory scratch, final int size, final long messages,
        final long warmup) throws Exception
    {
        final String name = scratch.nextName("rt");
        try (Channel channel = transport.create(scratch.path(), name, true);
            SharedRegion region = SharedRegion.create("bench-" + name + "-" + ProcessHandle.current().pid(), 1 << 16))
        {
            final StartGate gate = StartGate.create(region, 1);
            final Channel.Opener second = channel.second();
            final long total = warmup + messages;
            final IpcProcess<Void> echo = IpcProcess.of(() -> echo(second, size, total, gate))
                .name("echo-" + name).daemon(true);
            final List<IpcProcess<Void>> children = List.of(echo);
            try (Endpoint end = channel.first().open())
            {
                final long start = gate.open(children);
                final Thread watchdog = interruptOnFailure(echo, Thread.currentThread());
                final Histogram histogram = ping(end, size, total, warmup);
                gate.join(children, start);
                watchdog.interrupt();
                return histogram;
            }
        }
    }

    private static Histogram ping(final Endpoint end, final int size, final long total, final long warmup)
        throws InterruptedException
    {
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        final byte[] ping = new byte[size];
        final byte[] pong = new byte[size];
        for (long i = 0; i < total; i++)
        {
            Messages.sequence(ping, i);
            final long start = System.nanoTime();
            end.send(ping);
            final int length = end.receive(pong);
            final long elapsed = System.nanoTime() - start;
            Messages.checkLength(length, size);
            if (Messages.sequence(pong) != i)
            {
                throw new IllegalStateException("round trip " + i + " came back as " + Messages.sequence(pong));
            }
            if (i >= warmup)
            {
                histogram.recordValue(Math.min(elapsed, HIGHEST_TRACKABLE_NANOS));
            }
        }
        return histogram;
    }

    private static void echo(final Channel.Opener opener, final int size, final long total, final StartGate gate)
    {
        try (Endpoint end = opener.open())
        {
            final byte[] message = new byte[size];
            gate.await();
            for (long i = 0; i < total; i++)
            {
                Messages.checkLength(end.receive(message), size);
                if (Messages.sequence(message) != i)
                {
                    throw new IllegalStateException("ping " + i + " arrived as " + Messages.sequence(message));
                }
                end.send(message);
            }
            gate.finished(0);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException("interrupted", ex);
        }
    }

    /**
     * The parent waits for pongs the way the transport does, which may be a busy spin: if the child fails, this
     * interrupts the parent, whose wait then throws.
     */
    private static Thread interruptOnFailure(final IpcProcess<Void> child, final Thread parent)
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                child.join();
                if (child.exitCode().orElse(0) != 0)
                {
                    parent.interrupt();
                }
            }
            catch (final InterruptedException ex)
            {
                // The parent finished first.
            }
        }, "watchdog-" + child.name());
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }

    private static void printTable(
        final int[] sizes, final Map<String, Latency> results, final Optional<Map<String, String>> python)
    {
        final ResultTable table = new ResultTable("raw Chronicle");
        for (final int size : sizes)
        {
            final Latency raw = results.get(key(Transports.rawChronicle().label(), size));
            rows(table, "Pipe round trip " + size + " B", result(results, Transports.pipe(false), size),
                result(results, Transports.pipe(true), size), raw, Latency.ofPython(python, "pipe_" + size));
            rows(table, "Pipe (ring) round trip " + size + " B, raw = Agrona ring",
                result(results, Transports.ringPipe(false), size), result(results, Transports.ringPipe(true), size),
                result(results, Transports.rawRing(), size), Latency.ofPython(python, "pipe_" + size));
            rows(table, "SharedQueue round trip " + size + " B", result(results, Transports.sharedQueue(false), size),
                result(results, Transports.sharedQueue(true), size), raw, Latency.ofPython(python, "queue_" + size));
        }
        final Latency floor = results.get(key(Transports.floor().label(), Messages.SEQUENCE_BYTES));
        if (floor != null)
        {
            rows(table, "floor: two longs, 8 B", Latency.NONE, Latency.NONE, floor, Latency.NONE);
        }
        table.note("Round trips between two JVMs, one message in flight. Latencies: lower is better; the goal is " +
            "ipckit/raw <= 1.3 at p50.");
        table.note("raw Chronicle: two bare journals, an appender and a busy-polling tailer per direction. Floor " +
            "(in the raw column): two longs in a mapped file, busy spin.");
        table.note("Python: multiprocessing.Pipe() with send_bytes/recv_bytes (Pipe rows), two multiprocessing.Queue " +
            "with put/get (SharedQueue rows).");
        table.print();
    }

    private static void rows(
        final ResultTable table, final String operation, final Latency ipckitDefault, final Latency ipckitBusySpin,
        final Latency raw, final Latency python)
    {
        table.row(operation + " p50 [µs]", 2, ipckitDefault.p50(), ipckitBusySpin.p50(), raw.p50(), python.p50());
        table.row(operation + " p99 [µs]", 2, ipckitDefault.p99(), ipckitBusySpin.p99(), raw.p99(), python.p99());
        table.row(operation + " p99.9 [µs]", 2, ipckitDefault.p999(), ipckitBusySpin.p999(), raw.p999(),
            python.p999());
    }

    private static Latency result(final Map<String, Latency> results, final Transport transport, final int size)
    {
        return results.getOrDefault(key(transport.label(), size), Latency.MISSING);
    }

    private static String key(final String label, final int size)
    {
        return label + "@" + size;
    }

    private static String joined(final int[] sizes)
    {
        return String.join(",", Arrays.stream(sizes).mapToObj(Integer::toString).toList());
    }
}
