package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.ResultRow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTest
{
    @Test
    void theRatioIsNewOverOldAndBetterFollowsTheUnit()
    {
        final Results old = Synthetic.results();
        final Results slower = Synthetic.report(2).results("0", Duration.ZERO);
        final List<Comparison.Line> lines = Comparison.lines(old, slower);
        assertEquals(old.figures().size(), lines.size());
        final Comparison.Line latency = line(lines, "pipe.journal.rtt.p50");
        assertEquals(2.0, latency.ratio(), 1e-12);
        assertEquals(ResultRow.Better.LOWER, latency.better());
        assertFalse(latency.improved(), "twice the latency is worse");
        final Comparison.Line throughput = line(lines, "pipe.journal.throughput");
        assertEquals(2.0, throughput.ratio(), 1e-12);
        assertTrue(throughput.improved(), "twice the throughput is better");
    }

    @Test
    void idsOnOneSideOnlyAreListed()
    {
        final Results old = JsonReport.parse("{\"rows\": [" +
            "{\"id\": \"pipe.journal.rtt.p50\", \"value\": 1.0, \"unit\": \"µs\", \"better\": \"lower\"}," +
            "{\"id\": \"gone.figure\", \"value\": 3, \"unit\": \"ns\", \"better\": \"lower\"}," +
            "{\"id\": \"pipe.journal.throughput\", \"value\": 100, \"unit\": \"M msg/s\", \"better\": \"higher\"}]}");
        final Results current = Synthetic.results();
        assertEquals(List.of("gone.figure"), Comparison.onlyIn(old, current));
        assertEquals(current.figures().size() - 2, Comparison.onlyIn(current, old).size());

        final String text = Comparison.render("old.json", old, "new.json", current);
        final List<String> lines = text.lines().toList();
        assertEquals("## ipckit bench --compare", lines.get(0));
        assertTrue(lines.contains("- old: old.json"), text);
        assertTrue(lines.contains("- new: new.json (quick mode, 2025-01-02 03:04:05 Z, Test CPU 9000 <\"quoted\" & " +
            "\\ back>, Vendor 17.0.1 (VM))"), text);
        assertEquals(List.of("pipe.journal.rtt.p50", "µs", "1.00", "0.501", "0.50", "lower", "better"),
            cells(row(lines, "pipe.journal.rtt.p50")));
        assertEquals(List.of("pipe.journal.throughput", "k msg/s", "100", "3,477", "n/a", "higher", "unit changed"),
            cells(row(lines, "pipe.journal.throughput")));
        assertTrue(lines.contains("only in old (1): gone.figure"), text);
        assertTrue(text.contains("only in new (" + (current.figures().size() - 2) + "): value.long.get, "), text);
    }

    @Test
    void aReportComparedWithItselfIsTheSameEverywhere()
    {
        final Results results = Synthetic.results();
        final String text = Comparison.render("a.json", results, "a.json", results);
        text.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| id") && !line.startsWith("| --"))
            .forEach(line -> assertEquals("same", cells(line).get(6), line));
        assertTrue(text.contains("only in old (0): none"), text);
    }

    private static Comparison.Line line(final List<Comparison.Line> lines, final String id)
    {
        return lines.stream().filter(line -> line.id().equals(id)).findFirst().orElseThrow();
    }

    private static String row(final List<String> lines, final String id)
    {
        return lines.stream().filter(line -> line.startsWith("| " + id + " ")).findFirst().orElseThrow();
    }

    private static List<String> cells(final String line)
    {
        return List.of(line.substring(1, line.length() - 1).split("\\|")).stream().map(String::strip).toList();
    }
}
