package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.MarkdownTable;
import dev.ipckit.benchmarks.ResultRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ipckit bench --compare}: two reports' figures side by side by id, with the ratio new/old, as markdown. Which
 * way is better depends on the figure: lower for times, higher for throughputs and speedups, as each row says. Ids
 * found in only one report are listed under the table.
 */
final class Comparison
{
    /** The table's columns. */
    static final String[] COLUMNS = {"id", "unit", "old", "new", "new/old", "better", "change"};

    private Comparison()
    {
    }

    /**
     * One id in both reports.
     *
     * @param id       the id.
     * @param unit     the unit (the new report's).
     * @param old      the old figure.
     * @param current  the new figure.
     * @param ratio    new/old, NaN when the units differ.
     * @param better   which way is better (the new report's).
     * @param improved whether new is better than old.
     */
    record Line(String id, String unit, double old, double current, double ratio, ResultRow.Better better,
        boolean improved)
    {
    }

    /**
     * The ids of both, matched.
     *
     * @param old     the old report.
     * @param current the new report.
     * @return one line per id in both, in the new report's order.
     */
    static List<Line> lines(final Results old, final Results current)
    {
        final Map<String, Figure> before = byId(old);
        final List<Line> lines = new ArrayList<>();
        for (final Figure figure : current.figures())
        {
            final Figure was = before.get(figure.id());
            if (was != null)
            {
                final double ratio = was.unit().equals(figure.unit()) ? figure.value() / was.value() : Double.NaN;
                final boolean improved = figure.better() == ResultRow.Better.LOWER ? ratio < 1 : ratio > 1;
                lines.add(new Line(figure.id(), figure.unit(), was.value(), figure.value(), ratio, figure.better(),
                    improved));
            }
        }
        return lines;
    }

    /**
     * @param from  one report.
     * @param other another.
     * @return the ids of the first that the second lacks, in the first's order.
     */
    static List<String> onlyIn(final Results from, final Results other)
    {
        final Map<String, Figure> there = byId(other);
        return from.figures().stream().map(Figure::id).filter(id -> !there.containsKey(id)).toList();
    }

    /**
     * @param oldName     how to call the old report.
     * @param old         the old report.
     * @param currentName how to call the new one.
     * @param current     the new report.
     * @return the comparison as markdown, each line ending with a line separator.
     */
    static String render(final String oldName, final Results old, final String currentName, final Results current)
    {
        final String newLine = System.lineSeparator();
        final StringBuilder text = new StringBuilder();
        text.append("## ipckit bench --compare").append(newLine).append(newLine);
        text.append("- old: ").append(oldName).append(describe(old)).append(newLine);
        text.append("- new: ").append(currentName).append(describe(current)).append(newLine).append(newLine);
        final MarkdownTable table = new MarkdownTable(COLUMNS);
        for (final Line line : lines(old, current))
        {
            final String change;
            if (Double.isNaN(line.ratio()))
            {
                change = "unit changed";
            }
            else if (line.ratio() == 1)
            {
                change = "same";
            }
            else
            {
                change = line.improved() ? "better" : "worse";
            }
            table.row(line.id(), line.unit(), Cells.figure(line.old()), Cells.figure(line.current()),
                Double.isNaN(line.ratio()) ? Cells.MISSING : Cells.ratio(line.ratio()),
                line.better() == ResultRow.Better.LOWER ? "lower" : "higher", change);
        }
        table.note("new/old is the new figure over the old one; \"better\" says which way the figure improves " +
            "(lower for times, higher for throughputs and speedups). Compare runs of the same mode on the same " +
            "machine: figures move by up to 2x between runs on a busy or shared machine.");
        final List<String> onlyOld = onlyIn(old, current);
        final List<String> onlyNew = onlyIn(current, old);
        table.note("only in old (" + onlyOld.size() + "): " + (onlyOld.isEmpty() ? "none" : String.join(", ", onlyOld)));
        table.note("only in new (" + onlyNew.size() + "): " + (onlyNew.isEmpty() ? "none" : String.join(", ", onlyNew)));
        text.append(table.render());
        return text.toString();
    }

    private static String describe(final Results results)
    {
        final Results.Run run = results.run();
        return run.date().isEmpty() ? "" : " (" + run.mode() + " mode, " + run.date() + ", " +
            results.machine().cpu() + ", " + results.machine().jdk() + ")";
    }

    private static Map<String, Figure> byId(final Results results)
    {
        final Map<String, Figure> map = new LinkedHashMap<>();
        results.figures().forEach(figure -> map.put(figure.id(), figure));
        return map;
    }
}
