package dev.ipckit.benchmarks.report;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ipckit.benchmarks.LatencyCurve;
import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReportTest
{
    @TempDir
    Path directory;

    @Test
    void aReportReadsBackFieldForField() throws Exception
    {
        final Results written = Synthetic.results();
        final Path file = directory.resolve("b.json");
        Files.writeString(file, JsonReport.write(written), StandardCharsets.UTF_8);
        final Results read = JsonReport.read(file);
        assertEquals(written, read, "machine, run, every figure with its curve, the failures");
        assertEquals(written.figures().size(), read.figures().size());
        final Figure p50 = read.figures().stream().filter(f -> f.id().equals("pipe.journal.rtt.p50")).findFirst()
            .orElseThrow();
        assertEquals(new Figure("pipe.journal.rtt.p50", "Pipe round trip 8 B, p50", "µs", ResultRow.Better.LOWER,
            Variant.IPCKIT, "pipe", 0.501, Synthetic.curve(0.501, 21.4)), p50);
        assertEquals(LatencyCurve.PERCENTILES.length, p50.curve().points().size());
        assertNull(read.figures().stream().filter(f -> f.id().equals("pipe.journal.rtt.p99")).findFirst()
            .orElseThrow().curve());
        assertEquals(List.of("manager: java.lang.IllegalStateException: key 3 holds <null>"), read.failures());
        assertEquals("Test CPU 9000 <\"quoted\" & \\ back>", read.machine().cpu());
    }

    @Test
    void theDocumentHasTheShapeTheDocsShow() throws Exception
    {
        final Map<String, Object> document = JSON.std.mapFrom(JsonReport.write(Synthetic.results()));
        assertEquals(List.of("format", "machine", "rows", "failures"), List.copyOf(document.keySet()));
        @SuppressWarnings("unchecked")
        final Map<String, Object> machine = (Map<String, Object>)document.get("machine");
        assertEquals(List.of("cpu", "cores", "memory", "os", "jdk", "python", "command", "mode", "date", "took",
            "loadAtStart", "loadAtEnd"), List.copyOf(machine.keySet()));
        assertEquals(2, machine.get("cores"));
        assertEquals("./ipckit bench --only value,pipe --json 'b.json'", machine.get("command"));
        assertEquals("2025-01-02 03:04:05 Z", machine.get("date"));
        assertEquals("1 min 35 s", machine.get("took"));
        @SuppressWarnings("unchecked")
        final Map<String, Object> first = ((List<Map<String, Object>>)document.get("rows")).get(0);
        assertEquals(Map.of("id", "value.long.get", "operation", "SharedLong.get(), volatile read", "unit", "ns",
            "value", 1.45, "better", "lower", "variant", "ipckit", "suite", "value"), first);
    }

    @Test
    void unmeasuredAndNotApplyingFiguresHaveNoRow()
    {
        final List<String> ids = Synthetic.results().figures().stream().map(Figure::id).toList();
        assertTrue(ids.contains("python.queue.throughput") == false, "NaN: not measured");
        assertTrue(ids.stream().noneMatch(id -> id.startsWith("raw.") && id.contains("pool")), "NONE: no raw pool");
        assertEquals(ids.stream().distinct().toList(), ids, "each id once");
        assertEquals(1, ids.stream().filter("raw.chronicle.throughput"::equals).count());
    }

    @Test
    void malformedReportsAreRefusedWithTheFileAndTheReason() throws Exception
    {
        assertMessage("no such file", null);
        assertMessage("not JSON: ", "{\"rows\": [");
        assertMessage("not an ipckit bench report: the JSON is not an object", "[1, 2]");
        assertMessage("not an ipckit bench report: no \"rows\" array", "{\"machine\": {}}");
        assertMessage("report format 7, this ipckit reads format 1", "{\"format\": 7, \"rows\": []}");
        assertMessage("rows[0] is not an object", "{\"rows\": [3]}");
        assertMessage("rows[0]: \"id\" is missing or not a text", "{\"rows\": [{\"value\": 1}]}");
        assertMessage("rows[0] (a.b): \"value\" is missing or not a number",
            "{\"rows\": [{\"id\": \"a.b\", \"value\": \"fast\"}]}");
        assertMessage("rows[0] (a.b): \"better\" is \"lower\" or \"higher\", not \"up\"",
            "{\"rows\": [{\"id\": \"a.b\", \"value\": 1, \"unit\": \"ns\", \"better\": \"up\"}]}");
        assertMessage("rows[0] (A b): malformed figure id 'A b'",
            "{\"rows\": [{\"id\": \"A b\", \"value\": 1, \"unit\": \"ns\", \"better\": \"lower\"}]}");
        assertMessage("rows[1]: id a.b appears twice",
            "{\"rows\": [{\"id\": \"a.b\", \"value\": 1, \"unit\": \"ns\", \"better\": \"lower\"}," +
                "{\"id\": \"a.b\", \"value\": 2, \"unit\": \"ns\", \"better\": \"lower\"}]}");
    }

    @Test
    void aMinimalHandWrittenReportIsRead()
    {
        final Results results = JsonReport.parse(
            "{\"rows\": [{\"id\": \"pipe.journal.rtt.p50\", \"value\": 1, \"unit\": \"µs\", \"better\": \"lower\"}]}");
        assertEquals(1.0, results.figures().get(0).value());
        assertEquals(Variant.IPCKIT, results.figures().get(0).variant());
        assertNotNull(results.machine());
    }

    private void assertMessage(final String expected, final String content) throws Exception
    {
        final Path file = directory.resolve("report-" + System.nanoTime() + ".json");
        if (content != null)
        {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> JsonReport.read(file));
        assertTrue(ex.getMessage().startsWith(file + ": " + expected), ex.getMessage());
    }
}
