package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.MessageThroughput;
import dev.ipckit.benchmarks.OperationCosts;
import dev.ipckit.benchmarks.PipeRoundTrip;
import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.RowIds;
import dev.ipckit.benchmarks.Variant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest
{
    private static final Machine MACHINE =
        new Machine("Test CPU 9000", 2, "4.0 GiB", "Linux 6.1 amd64", "Vendor 17.0.1 (VM)", "Python 3.11.7 (python3)");
    private static final ZonedDateTime STARTED = ZonedDateTime.of(2025, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    @Test
    void headerNamesTheCommandTheMachineAndTheLoad()
    {
        final Report report = new Report("./ipckit bench --only pipe", Mode.QUICK, MACHINE, STARTED, "0.10 0.20 0.30");
        final List<String> lines = report.render("1.00 2.00 3.00", Duration.ofSeconds(95)).lines().toList();
        assertEquals("## ipckit bench, quick mode", lines.get(0));
        assertTrue(lines.contains("- command: `./ipckit bench --only pipe`"), lines.toString());
        assertTrue(lines.contains("- date: 2025-01-02 03:04:05 Z, took 1 min 35 s"), lines.toString());
        assertTrue(lines.contains("- CPU: Test CPU 9000, 2 cores available to the JVM"), lines.toString());
        assertTrue(lines.contains("- memory: 4.0 GiB"), lines.toString());
        assertTrue(lines.contains("- OS: Linux 6.1 amd64"), lines.toString());
        assertTrue(lines.contains("- JDK: Vendor 17.0.1 (VM)"), lines.toString());
        assertTrue(lines.contains("- Python: Python 3.11.7 (python3)"), lines.toString());
        assertTrue(lines.contains("- load average: 0.10 0.20 0.30 at start; 1.00 2.00 3.00 at end"), lines.toString());
    }

    @Test
    void everyRowBecomesOneLineWithItsRatios()
    {
        final Report report = new Report("./ipckit bench", Mode.FULL, MACHINE, STARTED, "0");
        report.add(Suite.PIPE, List.of(
            ResultRow.lower(PipeRoundTrip.pipeP50Ids(8), "Pipe round trip 8 B, p50", "µs", 0.56, 0.68, 0.50, 45.6),
            ResultRow.lower(PipeRoundTrip.FLOOR_IDS, "floor", "µs", ResultRow.NONE, ResultRow.NONE, 0.18, ResultRow.NONE)));
        report.add(Suite.THROUGHPUT, List.of(
            ResultRow.higher(MessageThroughput.pipeIds(64), "Pipe one-way 64 B", "k msg/s", 3_080, 2_870, 2_790, Double.NaN)));

        final List<String> table = tableLines(report.render("0", Duration.ofSeconds(5)));
        assertEquals(List.of(Report.COLUMNS), cells(table.get(0)));
        assertEquals(List.of("Pipe round trip 8 B, p50", "µs", "0.560", "0.680", "0.500", "45.6", "1.12", "81.4"),
            cells(table.get(2)));
        assertEquals(List.of("floor", "µs", "-", "-", "0.180", "-", "-", "-"), cells(table.get(3)));
        assertEquals(List.of("Pipe one-way 64 B", "k msg/s", "3,080", "2,870", "2,790", "n/a", "0.91", "n/a"),
            cells(table.get(4)));
        assertEquals(5, table.size(), "header, rule and three rows");
    }

    @Test
    void columnsAreAlignedAndTheRuleRightAlignsFigures()
    {
        final Report report = new Report("./ipckit bench", Mode.QUICK, MACHINE, STARTED, "0");
        report.add(Suite.VALUE, List.of(
            ResultRow.lower(OperationCosts.GET_IDS, "SharedLong.get()", "ns", 1.2, ResultRow.NONE, 1.1, 160),
            ResultRow.lower(OperationCosts.SET_IDS, "a much longer operation name", "ns", 12_345, ResultRow.NONE, 1.1, 160)));
        final List<String> table = tableLines(report.render("0", Duration.ZERO));
        final int width = table.get(0).length();
        table.forEach(line -> assertEquals(width, line.length(), line));
        assertTrue(table.get(1).startsWith("| ---"), table.get(1));
        assertTrue(table.get(1).endsWith(": |"), table.get(1));
    }

    @Test
    void notesNameTheReferencesOfTheSuitesThatRanAndTheFailures()
    {
        final Report report = new Report("./ipckit bench", Mode.QUICK, MACHINE, STARTED, "0");
        report.add(Suite.POOL, List.of());
        assertFalse(report.hasFailures());
        report.failed(Suite.MANAGER, "java.lang.IllegalStateException: key 3 holds null");
        assertTrue(report.hasFailures());
        final String text = report.render("0", Duration.ZERO);
        assertTrue(text.contains(Suite.POOL.note()), text);
        assertFalse(text.contains(Suite.PIPE.note()), text);
        assertTrue(text.contains("FAILED manager: java.lang.IllegalStateException: key 3 holds null"), text);
    }

    @Test
    void figuresAreOnePerMeasuredFigureUnderItsId()
    {
        final Report report = new Report("./ipckit bench", Mode.QUICK, MACHINE, STARTED, "0");
        report.add(Suite.PIPE, List.of(
            ResultRow.lower(PipeRoundTrip.pipeP50Ids(8), "Pipe round trip 8 B, p50", "µs", 0.56, 0.68, 0.50,
                Double.NaN),
            ResultRow.lower(PipeRoundTrip.queueP50Ids(8), "SharedQueue round trip 8 B, p50", "µs", 0.75, 0.78, 0.50,
                89.7),
            ResultRow.lower(PipeRoundTrip.FLOOR_IDS, "  floor", "µs", ResultRow.NONE, ResultRow.NONE, 0.15,
                ResultRow.NONE)));
        final List<Figure> figures = report.figures();
        // The raw reference both rows show is one figure; Python's pipe figure was not measured, so it is absent.
        assertEquals(List.of("pipe.journal.rtt.p50", "pipe.journal.rtt.p50.busyspin", "raw.chronicle.rtt.p50",
            "queue.journal.rtt.p50", "queue.journal.rtt.p50.busyspin", "python.queue.rtt.p50", "floor.rtt.p50"),
            figures.stream().map(Figure::id).toList());
        final Figure busy = figures.get(1);
        assertEquals(new Figure("pipe.journal.rtt.p50.busyspin", "Pipe round trip 8 B, p50", "µs",
            ResultRow.Better.LOWER, Variant.IPCKIT_BUSY_SPIN, "pipe", 0.68, null), busy);
        assertEquals("floor", figures.get(6).operation(), "operations are stripped of the table's indent");
    }

    @Test
    void twoDifferentFiguresUnderOneIdAreAHarnessBug()
    {
        final Report report = new Report("./ipckit bench", Mode.QUICK, MACHINE, STARTED, "0");
        final RowIds ids = RowIds.single("value.long.get", null, null);
        report.add(Suite.VALUE, List.of(ResultRow.lower(ids, "get", "ns", 1.0, ResultRow.NONE, ResultRow.NONE,
            ResultRow.NONE), ResultRow.lower(ids, "get again", "ns", 2.0, ResultRow.NONE, ResultRow.NONE,
            ResultRow.NONE)));
        final IllegalStateException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            report::figures);
        assertTrue(ex.getMessage().startsWith("two figures carry the id value.long.get: 1.0 ns (get) and 2.0 ns"),
            ex.getMessage());
    }

    @Test
    void durationsReadAsSecondsOrMinutes()
    {
        assertEquals("0 s", Report.duration(Duration.ZERO));
        assertEquals("59 s", Report.duration(Duration.ofMillis(59_400)));
        assertEquals("1 min 00 s", Report.duration(Duration.ofMillis(59_600)));
        assertEquals("12 min 05 s", Report.duration(Duration.ofSeconds(725)));
    }

    private static List<String> tableLines(final String text)
    {
        return text.lines().filter(line -> line.startsWith("|")).toList();
    }

    private static List<String> cells(final String line)
    {
        final String inner = line.substring(1, line.length() - 1);
        return List.of(inner.split("\\|")).stream().map(String::strip).toList();
    }
}
