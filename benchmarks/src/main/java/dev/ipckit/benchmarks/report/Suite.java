package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.ChildStartBenchmark;
import dev.ipckit.benchmarks.CrossProcessIncrement;
import dev.ipckit.benchmarks.CrossProcessLock;
import dev.ipckit.benchmarks.ManagerBenchmark;
import dev.ipckit.benchmarks.MessageThroughput;
import dev.ipckit.benchmarks.NetworkBenchmark;
import dev.ipckit.benchmarks.OperationCosts;
import dev.ipckit.benchmarks.PipeRoundTrip;
import dev.ipckit.benchmarks.PoolBenchmark;
import dev.ipckit.benchmarks.QueueFanIn;
import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.RowIds;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The harnesses {@code ipckit bench} runs, in report order, each with its quick and full sizes (full: the defaults
 * of the harness's own {@code main}) and the line under the table that says what its references are.
 */
enum Suite
{
    /** ValueBenchmark through JMH. */
    VALUE("value", "SharedLong get/set/incrementAndGet, one thread (JMH)",
        "value: JMH, one thread; raw = the same call on a bare Agrona buffer over the same mapping; Python = " +
            "Value('q') (its synchronized wrapper takes the lock), loop cost subtracted.",
        (mode, progress) -> OperationCosts.valueRows(settings(mode), progress),
        mode -> all(OperationCosts.VALUE_IDS)),
    /** LockBenchmark through JMH. */
    LOCK("lock", "SharedLock/RLock/Semaphore uncontended, one thread (JMH)",
        "lock: JMH, one thread, uncontended (no wait strategy runs); raw = a CAS spin lock on a bare Agrona buffer; " +
            "Python = Lock, RLock, Semaphore(1), loop cost subtracted.",
        (mode, progress) -> OperationCosts.lockRows(settings(mode), progress),
        mode -> all(OperationCosts.LOCK_ROW_IDS)),
    /** CrossProcessLock's lock variants. */
    CONTENDED_LOCK("contended-lock", "2 child JVMs increment one counter under one lock",
        "contended-lock: best of the rounds; raw = a busy CAS spin lock on a bare Agrona buffer; Python = " +
            "Value('q').value += 1 under get_lock().",
        (mode, progress) -> mode.quick() ?
            CrossProcessLock.rows(2, 500_000L, 1, 20_000L) :
            CrossProcessLock.rows(2, 10_000_000L, 3, 200_000L),
        mode -> CrossProcessLock.ids(2).all()),
    /** CrossProcessIncrement. */
    INCREMENT("increment", "2 child JVMs increment one SharedLong lock-free",
        "increment: best of the rounds; raw = getAndAddLong on a bare Agrona buffer; Python has no lock-free Value.",
        (mode, progress) -> mode.quick() ?
            CrossProcessIncrement.rows(2, 1_000_000L, 1) :
            CrossProcessIncrement.rows(2, 10_000_000L, 3),
        mode -> CrossProcessIncrement.ids(2).all()),
    /** ChildStartBenchmark. */
    START("start", "child JVM start to the task's first line",
        "start: median of fresh children; Python = a spawn-context Process.",
        (mode, progress) -> mode.quick() ? ChildStartBenchmark.rows(3, 3) : ChildStartBenchmark.rows(20, 20),
        mode -> all(ChildStartBenchmark.IDS)),
    /** PipeRoundTrip. */
    PIPE("pipe", "round trip between two JVMs over Pipe and SharedQueue",
        "pipe: one message in flight, HdrHistogram; raw = two bare Chronicle journals, a busy-polling tailer each " +
            "way; Python = Pipe() send_bytes/recv_bytes, two Queue()s for the SharedQueue row.",
        (mode, progress) -> mode.quick() ?
            PipeRoundTrip.rows(20_000L, 5_000L, 2_000L, pipeSizes(mode)) :
            PipeRoundTrip.rows(200_000L, 50_000L, 20_000L, pipeSizes(mode)),
        mode -> PipeRoundTrip.ids(pipeSizes(mode))),
    /** MessageThroughput. */
    THROUGHPUT("throughput", "one-way messages, one producer JVM to one consumer JVM",
        "throughput: best of the rounds; raw = a bare Chronicle appender and busy-polling tailer; Python = " +
            "Pipe(duplex=False), Queue().",
        (mode, progress) -> mode.quick() ?
            MessageThroughput.rows(200_000L, 1, 20_000L, 64) :
            MessageThroughput.rows(2_000_000L, 3, 200_000L, 64),
        mode -> all(List.of(MessageThroughput.pipeIds(64), MessageThroughput.ringIds(64),
            MessageThroughput.queueIds(64), MessageThroughput.ringQueueIds(64)))),
    /** QueueFanIn. */
    FANIN("fanin", "2 producer JVMs -> one SharedQueue -> 2 consumer JVMs",
        "fanin: raw is broadcast, not the same work (each bare tailer reads every message); Python = one Queue().",
        (mode, progress) -> mode.quick() ?
            QueueFanIn.rows(50_000L, 1, 5_000L, 2, 2, 64) :
            QueueFanIn.rows(500_000L, 3, 50_000L, 2, 2, 64),
        mode -> all(List.of(QueueFanIn.ids(2, 2, 64), QueueFanIn.ringIds(2, 2, 64)))),
    /** PoolBenchmark. */
    POOL("pool", "ProcessPool of 2 workers: ready time, map, applyAsync, CPU-bound speedup",
        "pool: no raw reference; Python = Pool(2) spawn for the ready rows, else the fastest of Pool(2) fork/spawn " +
            "and ProcessPoolExecutor(2).",
        (mode, progress) -> mode.quick() ?
            PoolBenchmark.rows(20_000, 2_000, 2_000, 6, 1.0, 1) :
            PoolBenchmark.rows(100_000, 20_000, 20_000, 20, 1.0, 5),
        mode -> all(PoolBenchmark.IDS)),
    /** NetworkBenchmark. */
    NETWORK("network", "two JVMs over loopback UDP: round trip, one-way throughput, connect",
        "network: each JVM with its own embedded media driver; raw = Aeron publications and subscriptions on the same " +
            "driver configuration, busy-polled, and the floor, a busy-polled UDP ping-pong; Python = " +
            "multiprocessing.connection Listener/Client over TCP with an authkey.",
        (mode, progress) -> mode.quick() ?
            NetworkBenchmark.rows(10_000L, 200_000L, 1.0) :
            NetworkBenchmark.rows(100_000L, 2_000_000L, 1.0),
        mode -> all(NetworkBenchmark.IDS)),
    /** ManagerBenchmark. */
    MANAGER("manager", "2 child JVMs on one SharedDict",
        "manager: raw = the dict's own lock alone; Python = one Manager().dict().",
        (mode, progress) -> mode.quick() ?
            ManagerBenchmark.rows(100_000L, 1, 2_000L, 2, 1_000) :
            ManagerBenchmark.rows(1_000_000L, 3, 20_000L, 2, 1_000),
        mode -> all(ManagerBenchmark.ids(2)));

    /**
     * Runs a harness.
     */
    @FunctionalInterface
    interface Measurement
    {
        /**
         * @param mode     quick or full.
         * @param progress where JMH's own output goes.
         * @return the rows.
         * @throws Exception when the harness fails.
         */
        List<ResultRow> run(Mode mode, PrintStream progress) throws Exception;
    }

    /**
     * The figure ids a harness's rows carry, without running it.
     */
    @FunctionalInterface
    interface IdList
    {
        /**
         * @param mode quick or full.
         * @return every id, each once.
         */
        List<String> ids(Mode mode);
    }

    private final String label;
    private final String description;
    private final String note;
    private final Measurement measurement;
    private final IdList idList;

    Suite(
        final String label, final String description, final String note, final Measurement measurement,
        final IdList idList)
    {
        this.label = label;
        this.description = description;
        this.note = note;
        this.measurement = measurement;
        this.idList = idList;
    }

    /**
     * @param mode quick or full.
     * @return the ids of every figure the harness's rows carry in that mode (from its id constants; nothing runs).
     */
    List<String> ids(final Mode mode)
    {
        return idList.ids(mode);
    }

    /**
     * @return the name {@code --only} takes.
     */
    String label()
    {
        return label;
    }

    /**
     * @return what it measures, for {@code --help}.
     */
    String description()
    {
        return description;
    }

    /**
     * @return the line under the table about how it measures and what its references are.
     */
    String note()
    {
        return note;
    }

    /**
     * Runs the harness.
     *
     * @param mode     quick or full.
     * @param progress where JMH's own output goes.
     * @return the rows.
     * @throws Exception when the harness fails.
     */
    List<ResultRow> run(final Mode mode, final PrintStream progress) throws Exception
    {
        return measurement.run(mode, progress);
    }

    /**
     * @param label a name as {@code --only} takes it.
     * @return the suite of that name.
     */
    static Optional<Suite> byLabel(final String label)
    {
        return Arrays.stream(values()).filter(suite -> suite.label.equals(label)).findFirst();
    }

    /**
     * @return every name, comma-separated.
     */
    static String labels()
    {
        return Arrays.stream(values()).map(Suite::label).collect(Collectors.joining(", "));
    }

    private static int[] pipeSizes(final Mode mode)
    {
        return mode.quick() ? new int[] {8} : new int[] {8, 64};
    }

    private static List<String> all(final List<RowIds> rows)
    {
        final Set<String> ids = new LinkedHashSet<>();
        rows.forEach(row -> ids.addAll(row.all()));
        return List.copyOf(ids);
    }

    private static OperationCosts.Settings settings(final Mode mode)
    {
        return new OperationCosts.Settings(mode.quick(), mode.quick() ? 50_000L : 1_000_000L);
    }
}
