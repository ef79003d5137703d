package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.ChildStartBenchmark;
import dev.ipckit.benchmarks.CrossProcessLock;
import dev.ipckit.benchmarks.LatencyCurve;
import dev.ipckit.benchmarks.MessageThroughput;
import dev.ipckit.benchmarks.OperationCosts;
import dev.ipckit.benchmarks.PipeRoundTrip;
import dev.ipckit.benchmarks.PoolBenchmark;
import dev.ipckit.benchmarks.QueueFanIn;
import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.Variant;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A report of made-up figures under the harnesses' real ids (nothing runs), with latency curves, for the JSON, HTML
 * and comparison tests.
 */
final class Synthetic
{
    static final Machine MACHINE = new Machine("Test CPU 9000 <\"quoted\" & \\ back>", 2, "4.0 GiB",
        "Linux 6.1 amd64", "Vendor 17.0.1 (VM)", "Python 3.11.7 (python3)");
    static final ZonedDateTime STARTED = ZonedDateTime.of(2025, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    private Synthetic()
    {
    }

    /**
     * @param scale multiplies every figure (1 for the base report).
     * @return the report.
     */
    static Report report(final double scale)
    {
        final Report report = new Report("./ipckit bench --only value,pipe --json 'b.json'", Mode.QUICK, MACHINE,
            STARTED, "0.50 0.40 0.30 (1, 5, 15 min)");
        report.add(Suite.VALUE, List.of(
            ResultRow.lower(OperationCosts.GET_IDS, "SharedLong.get(), volatile read", "ns", 1.45 * scale,
                ResultRow.NONE, 1.15 * scale, 119 * scale)));
        report.add(Suite.CONTENDED_LOCK, List.of(
            ResultRow.higher(CrossProcessLock.ids(2), "2 processes: lock; long++; unlock", "M ops/s", 77.7 * scale,
                37.0 * scale, 38.2 * scale, 1.15 * scale)));
        report.add(Suite.START, List.of(
            ResultRow.lower(ChildStartBenchmark.SPAWN_IDS, "child start() -> task's first line, median", "ms",
                80.7 * scale, ResultRow.NONE, ResultRow.NONE, 45.4 * scale)));
        report.add(Suite.PIPE, List.of(
            ResultRow.lower(PipeRoundTrip.pipeP50Ids(8), "Pipe round trip 8 B, p50", "µs", 0.501 * scale,
                    1.15 * scale, 0.461 * scale, 45.1 * scale)
                .withCurve(Variant.IPCKIT, curve(0.501 * scale, 21.4 * scale))
                .withCurve(Variant.IPCKIT_BUSY_SPIN, curve(1.15 * scale, 2.3 * scale))
                .withCurve(Variant.RAW, curve(0.461 * scale, 0.931 * scale))
                .withCurve(Variant.PYTHON, curve(45.1 * scale, 66.6 * scale)),
            ResultRow.lower(PipeRoundTrip.pipeP99Ids(8), "Pipe round trip 8 B, p99", "µs", 21.4 * scale, 2.3 * scale,
                0.931 * scale, 66.6 * scale),
            ResultRow.lower(PipeRoundTrip.FLOOR_IDS, "floor: two longs in a mapped file, 8 B round trip, p50", "µs",
                ResultRow.NONE, ResultRow.NONE, 0.15 * scale, ResultRow.NONE)
                .withCurve(Variant.RAW, curve(0.15 * scale, 0.3 * scale))));
        report.add(Suite.THROUGHPUT, List.of(
            ResultRow.higher(MessageThroughput.pipeIds(64), "Pipe one-way 64 B, 1 producer -> 1 consumer", "k msg/s",
                3_477 * scale, 2_999 * scale, 3_179 * scale, 493 * scale),
            ResultRow.higher(MessageThroughput.queueIds(64), "SharedQueue one-way 64 B, 1 producer -> 1 consumer",
                "k msg/s", 2_022 * scale, 1_603 * scale, 3_179 * scale, Double.NaN)));
        report.add(Suite.FANIN, List.of(
            ResultRow.higher(QueueFanIn.ids(2, 2, 64), "2 producers -> 1 SharedQueue -> 2 consumers, 64 B",
                "k msg/s", 1_040 * scale, 641 * scale, 1_375 * scale, 208 * scale)));
        report.add(Suite.POOL, List.of(
            ResultRow.lower(PoolBenchmark.READY_IDS, "pool of 2: create -> first result, median", "ms", 109 * scale,
                162 * scale, ResultRow.NONE, 50.1 * scale),
            ResultRow.lower(PoolBenchmark.APPLY_IDS, "pool applyAsync(() -> i + 1).get() round trip, p50", "µs",
                15.3 * scale, 15.0 * scale, ResultRow.NONE, 168 * scale),
            ResultRow.higher(PoolBenchmark.SPEEDUP_IDS, "pool CPU-bound speedup, 20 tasks of ~30 ms", "x",
                1.94 * scale, 1.33 * scale, ResultRow.NONE, 2.03 * scale)));
        report.failed(Suite.MANAGER, "java.lang.IllegalStateException: key 3 holds <null>");
        return report;
    }

    /**
     * @return the base report's results.
     */
    static Results results()
    {
        return report(1).results("1.00 2.00 3.00 (1, 5, 15 min)", Duration.ofSeconds(95));
    }

    /**
     * A made-up distribution from p50 to p99 with a tail beyond.
     */
    static LatencyCurve curve(final double p50, final double p99)
    {
        final double[] percentiles = LatencyCurve.PERCENTILES;
        final List<LatencyCurve.Point> points = new java.util.ArrayList<>();
        for (final double p : percentiles)
        {
            final double value = p <= 50 ? p50 * (0.8 + 0.4 * p / 100) : p <= 99 ?
                p50 + (p99 - p50) * Math.pow((p - 50) / 49, 3) : p99 * (1 + (p - 99) * 2);
            points.add(new LatencyCurve.Point(p, value));
        }
        return new LatencyCurve(points);
    }
}
