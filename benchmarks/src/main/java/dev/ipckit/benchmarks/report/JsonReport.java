package dev.ipckit.benchmarks.report;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ipckit.benchmarks.LatencyCurve;
import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.Variant;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON report of {@code ipckit bench --json}, written and read with jackson-jr:
 * <pre>
 * {"format": 1,
 *  "machine": {"cpu": ..., "cores": 2, "memory": ..., "os": ..., "jdk": ..., "python": ..., "command": ...,
 *              "mode": "quick", "date": ..., "took": ..., "loadAtStart": ..., "loadAtEnd": ...},
 *  "rows": [{"id": "pipe.journal.rtt.p50", "operation": ..., "unit": "µs", "value": 0.501, "better": "lower",
 *            "variant": "ipckit", "suite": "pipe", "percentiles": [{"percentile": 50.0, "value": 0.501}, ...]}, ...],
 *  "failures": ["manager: ..."]}
 * </pre>
 * One row per measured figure; {@code percentiles} only where the harness recorded a distribution.
 */
final class JsonReport
{
    /** The format version this class writes and reads. */
    static final int FORMAT = 1;

    private JsonReport()
    {
    }

    /**
     * @param results a run's results.
     * @return them as indented JSON, ending with a line break.
     */
    static String write(final Results results)
    {
        final Map<String, Object> machine = new LinkedHashMap<>();
        final Machine m = results.machine();
        final Results.Run run = results.run();
        machine.put("cpu", m.cpu());
        machine.put("cores", m.cores());
        machine.put("memory", m.memory());
        machine.put("os", m.os());
        machine.put("jdk", m.jdk());
        machine.put("python", m.python());
        machine.put("command", run.command());
        machine.put("mode", run.mode());
        machine.put("date", run.date());
        machine.put("took", run.took());
        machine.put("loadAtStart", run.loadAtStart());
        machine.put("loadAtEnd", run.loadAtEnd());
        final List<Object> rows = new ArrayList<>();
        for (final Figure figure : results.figures())
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", figure.id());
            row.put("operation", figure.operation());
            row.put("unit", figure.unit());
            row.put("value", figure.value());
            row.put("better", figure.better().name().toLowerCase(Locale.ROOT));
            row.put("variant", figure.variant().key());
            row.put("suite", figure.suite());
            if (figure.curve() != null)
            {
                final List<Object> points = new ArrayList<>();
                for (final LatencyCurve.Point point : figure.curve().points())
                {
                    final Map<String, Object> p = new LinkedHashMap<>();
                    p.put("percentile", point.percentile());
                    p.put("value", point.value());
                    points.add(p);
                }
                row.put("percentiles", points);
            }
            rows.add(row);
        }
        final Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.put("machine", machine);
        document.put("rows", rows);
        document.put("failures", results.failures());
        try
        {
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(document) + System.lineSeparator();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write a report as JSON", ex);
        }
    }

    /**
     * Reads a JSON report.
     *
     * @param file the file.
     * @return its results.
     * @throws IllegalArgumentException naming the file and what is wrong, when it is missing, unreadable, not JSON
     *                                  or not a report.
     */
    static Results read(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException(file + ": no such file");
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException(file + ": cannot read it: " + ex.getMessage());
        }
        try
        {
            return parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param text a JSON report.
     * @return its results.
     * @throws IllegalArgumentException saying what is wrong.
     */
    static Results parse(final String text)
    {
        final Object parsed;
        try
        {
            parsed = JSON.std.anyFrom(text);
        }
        catch (final IOException ex)
        {
            final String message = String.valueOf(ex.getMessage()).lines().findFirst().orElse("");
            throw new IllegalArgumentException("not JSON: " + message);
        }
        if (!(parsed instanceof Map<?, ?> document))
        {
            throw new IllegalArgumentException("not an ipckit bench report: the JSON is not an object");
        }
        final Object rowsValue = document.get("rows");
        if (!(rowsValue instanceof List<?> rows))
        {
            throw new IllegalArgumentException("not an ipckit bench report: no \"rows\" array");
        }
        final Object format = document.get("format");
        if (format != null && !(format instanceof Number number && number.intValue() == FORMAT))
        {
            throw new IllegalArgumentException("report format " + format + ", this ipckit reads format " + FORMAT);
        }
        final Map<?, ?> machine = document.get("machine") instanceof Map<?, ?> map ? map : Map.of();
        final List<Figure> figures = new ArrayList<>();
        final Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < rows.size(); i++)
        {
            final Figure figure = figure(rows.get(i), i);
            if (!ids.add(figure.id()))
            {
                throw new IllegalArgumentException("rows[" + i + "]: id " + figure.id() + " appears twice");
            }
            figures.add(figure);
        }
        final List<String> failures = new ArrayList<>();
        if (document.get("failures") instanceof List<?> list)
        {
            list.forEach(failure -> failures.add(String.valueOf(failure)));
        }
        final Object cores = machine.get("cores");
        return new Results(
            new Machine(text(machine, "cpu"), cores instanceof Number n ? n.intValue() : 0, text(machine, "memory"),
                text(machine, "os"), text(machine, "jdk"), text(machine, "python")),
            new Results.Run(text(machine, "command"), text(machine, "mode"), text(machine, "date"),
                text(machine, "took"), text(machine, "loadAtStart"), text(machine, "loadAtEnd")),
            figures, failures);
    }

    private static Figure figure(final Object value, final int index)
    {
        final String where = "rows[" + index + "]";
        if (!(value instanceof Map<?, ?> row))
        {
            throw new IllegalArgumentException(where + " is not an object");
        }
        final String id = required(row, "id", where);
        final String at = where + " (" + id + ")";
        if (!(row.get("value") instanceof Number number))
        {
            throw new IllegalArgumentException(at + ": \"value\" is missing or not a number");
        }
        final String better = required(row, "better", at);
        final ResultRow.Better direction;
        try
        {
            direction = ResultRow.Better.valueOf(better.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(at + ": \"better\" is \"lower\" or \"higher\", not \"" + better + "\"");
        }
        try
        {
            final Variant variant = row.get("variant") == null ? Variant.IPCKIT :
                Variant.byKey(String.valueOf(row.get("variant")));
            return new Figure(id, text(row, "operation"), required(row, "unit", at), direction, variant,
                text(row, "suite"), number.doubleValue(), curve(row.get("percentiles"), at));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(at + ": " + ex.getMessage(), ex);
        }
    }

    private static LatencyCurve curve(final Object value, final String at)
    {
        if (value == null)
        {
            return null;
        }
        if (!(value instanceof List<?> list))
        {
            throw new IllegalArgumentException("\"percentiles\" is not an array");
        }
        final List<LatencyCurve.Point> points = new ArrayList<>();
        for (final Object item : list)
        {
            if (!(item instanceof Map<?, ?> point && point.get("percentile") instanceof Number percentile &&
                point.get("value") instanceof Number latency))
            {
                throw new IllegalArgumentException("\"percentiles\" holds {\"percentile\": p, \"value\": v} " +
                    "objects, not " + item);
            }
            points.add(new LatencyCurve.Point(percentile.doubleValue(), latency.doubleValue()));
        }
        return new LatencyCurve(points);
    }

    private static String required(final Map<?, ?> map, final String key, final String where)
    {
        final Object value = map.get(key);
        if (!(value instanceof String text) || text.isBlank())
        {
            throw new IllegalArgumentException(where + ": \"" + key + "\" is missing or not a text");
        }
        return text;
    }

    private static String text(final Map<?, ?> map, final String key)
    {
        final Object value = map.get(key);
        return value == null ? "" : String.valueOf(value);
    }
}
