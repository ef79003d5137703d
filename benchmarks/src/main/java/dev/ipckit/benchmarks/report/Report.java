package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.MarkdownTable;
import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.Variant;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one {@code ipckit bench} run as markdown: a header naming the command, the machine, the date and the
 * load, then one table of every harness's rows with the ratios, then a line per harness on its references and the
 * harnesses that failed.
 */
final class Report
{
    /** The table's columns. */
    static final String[] COLUMNS = {
        "operation", "unit", "ipckit (default wait)", "ipckit (busy-spin)", "raw Agrona/Chronicle",
        "Python multiprocessing", "ipckit/raw", "Python/ipckit"};

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private final String command;
    private final Mode mode;
    private final Machine machine;
    private final ZonedDateTime started;
    private final String loadAtStart;
    private final List<ResultRow> rows = new ArrayList<>();
    private final List<Suite> rowSuites = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    /**
     * @param command     the command line that produced it.
     * @param mode        quick or full.
     * @param machine     the machine.
     * @param started     when the run started.
     * @param loadAtStart the load average then.
     */
    Report(
        final String command, final Mode mode, final Machine machine, final ZonedDateTime started,
        final String loadAtStart)
    {
        this.command = command;
        this.mode = mode;
        this.machine = machine;
        this.started = started;
        this.loadAtStart = loadAtStart;
    }

    /**
     * Adds a harness's rows and its note.
     *
     * @param suite the harness.
     * @param found its rows.
     */
    void add(final Suite suite, final List<ResultRow> found)
    {
        rows.addAll(found);
        found.forEach(row -> rowSuites.add(suite));
        notes.add(suite.note());
    }

    /**
     * Records a harness that failed: it has no rows, and the report says why.
     *
     * @param suite  the harness.
     * @param reason what went wrong.
     */
    void failed(final Suite suite, final String reason)
    {
        failures.add(suite.label() + ": " + reason);
    }

    /**
     * @return whether any harness failed.
     */
    boolean hasFailures()
    {
        return !failures.isEmpty();
    }

    /**
     * @return the rows, in report order.
     */
    List<ResultRow> rows()
    {
        return List.copyOf(rows);
    }

    /**
     * @return the lines under the table: how each harness measures, then the failures.
     */
    List<String> notes()
    {
        final List<String> lines = new ArrayList<>(notes);
        failures.forEach(failure -> lines.add("FAILED " + failure));
        return lines;
    }

    /**
     * Every measured figure once, under its id: a figure that does not apply or was not measured has no entry, and
     * a figure two rows show (one raw reference beside two ipckit rows) has one.
     *
     * @return the figures in report order.
     * @throws IllegalStateException when two different figures carry one id (a harness bug).
     */
    List<Figure> figures()
    {
        final Map<String, Figure> byId = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++)
        {
            final ResultRow row = rows.get(i);
            for (final Variant variant : Variant.values())
            {
                final double value = row.figure(variant);
                if (!Double.isFinite(value))
                {
                    continue;
                }
                final Figure figure = new Figure(row.ids().of(variant), row.operation().strip(), row.unit(),
                    row.better(), variant, rowSuites.get(i).label(), value, row.curves().get(variant));
                final Figure earlier = byId.putIfAbsent(figure.id(), figure);
                if (earlier != null && (earlier.value() != value || !earlier.unit().equals(figure.unit())))
                {
                    throw new IllegalStateException("two figures carry the id " + figure.id() + ": " + earlier.value() +
                        " " + earlier.unit() + " (" + earlier.operation() + ") and " + value + " " + figure.unit() +
                        " (" + figure.operation() + ")");
                }
            }
        }
        return List.copyOf(byId.values());
    }

    /**
     * The report as data, for the JSON and HTML reports.
     *
     * @param loadAtEnd the load average at the end of the run.
     * @param elapsed   how long the run took.
     * @return the results.
     */
    Results results(final String loadAtEnd, final Duration elapsed)
    {
        return new Results(machine, new Results.Run(command, mode.label(), DATE.format(started), duration(elapsed),
            loadAtStart, loadAtEnd), figures(), failures);
    }

    /**
     * The report as markdown.
     *
     * @param loadAtEnd the load average at the end of the run.
     * @param elapsed   how long the run took.
     * @return the text, each line ending with a line separator.
     */
    String render(final String loadAtEnd, final Duration elapsed)
    {
        final String newLine = System.lineSeparator();
        final StringBuilder text = new StringBuilder();
        text.append("## ipckit bench, ").append(mode.label()).append(" mode").append(newLine).append(newLine);
        header(text, "command", "`" + command + "`");
        header(text, "date", DATE.format(started) + ", took " + duration(elapsed));
        header(text, "CPU", machine.cpu() + ", " + machine.cores() + " cores available to the JVM");
        header(text, "memory", machine.memory());
        header(text, "OS", machine.os());
        header(text, "JDK", machine.jdk());
        header(text, "Python", machine.python());
        header(text, "load average", loadAtStart + " at start; " + loadAtEnd + " at end");
        text.append(newLine);
        text.append(table().render());
        return text.toString();
    }

    /**
     * @return the rows, the ratios and the notes as a markdown table.
     */
    MarkdownTable table()
    {
        final MarkdownTable table = new MarkdownTable(COLUMNS);
        for (final ResultRow row : rows)
        {
            table.row(row.operation(), row.unit(), Cells.figure(row.ipckitDefault()),
                Cells.figure(row.ipckitBusySpin()), Cells.figure(row.raw()), Cells.figure(row.python()),
                Cells.ipckitOverRaw(row), Cells.pythonOverIpckit(row));
        }
        table.note("Ratios compare time per operation (a throughput counts as time per message), from the " +
            "default-wait column: ipckit/raw above 1 = ipckit takes that many times longer than the raw reference; " +
            "Python/ipckit above 1 = Python takes that many times longer than ipckit. -: does not apply; n/a: not " +
            "measured in this run.");
        notes.forEach(table::note);
        failures.forEach(failure -> table.note("FAILED " + failure));
        return table;
    }

    private static void header(final StringBuilder text, final String name, final String value)
    {
        text.append("- ").append(name).append(": ").append(value).append(System.lineSeparator());
    }

    /**
     * @param elapsed a duration.
     * @return it as {@code 42 s} or {@code 3 min 05 s}.
     */
    static String duration(final Duration elapsed)
    {
        final long seconds = Math.round(elapsed.toMillis() / 1000.0);
        return seconds < 60 ? seconds + " s" : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
}
