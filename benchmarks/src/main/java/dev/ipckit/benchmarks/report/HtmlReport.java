package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.LatencyCurve;
import dev.ipckit.benchmarks.ResultRow;
import dev.ipckit.benchmarks.Variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML report of {@code ipckit bench --html}: one self-contained page (inline CSS and SVG drawn here; no script,
 * font, image or network access) with the machine, latency percentile curves of the rows that carry a distribution
 * (p0 to p99.99 on the usual log-of-1/(1-p) axis, latency on a log axis), a bar chart per throughput row (ipckit,
 * busy-spin, raw, Python on one scale) and the full table with every figure's id as its tooltip.
 */
final class HtmlReport
{
    /** The colour of each variant's line and bar. */
    private static final Map<Variant, String> COLOURS = Map.of(
        Variant.IPCKIT, "#1f6feb", Variant.IPCKIT_BUSY_SPIN, "#8ab4f8", Variant.RAW, "#d9480f",
        Variant.PYTHON, "#2b8a3e");
    /** The highest percentile plotted: 100 has no place on a 1/(1-p) axis. */
    private static final double TOP_PERCENTILE = 99.99;
    private static final double[] PERCENTILE_TICKS = {0, 50, 90, 99, 99.9, 99.99};

    private static final int CURVE_WIDTH = 520;
    private static final int CURVE_HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 30;
    private static final int TOP = 16;
    private static final int BOTTOM = 44;

    private static final int BAR_WIDTH = 520;
    private static final int BAR_HEIGHT = 22;
    private static final int BAR_GAP = 6;
    private static final int BAR_LABEL = 170;

    private HtmlReport()
    {
    }

    /**
     * @param results the run (machine, figures).
     * @param rows    the report's rows, for the table and the charts.
     * @param notes   the lines under the table.
     * @return the page.
     */
    static String render(final Results results, final List<ResultRow> rows, final List<String> notes)
    {
        final StringBuilder html = new StringBuilder(64 * 1024);
        final Results.Run run = results.run();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .append("<title>ipckit bench, ").append(escape(run.mode())).append(" mode, ").append(escape(run.date()))
            .append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<h1>ipckit bench, ").append(escape(run.mode())).append(" mode</h1>\n");
        machine(html, results);

        final List<ResultRow> latencies = rows.stream().filter(row -> !row.curves().isEmpty()).toList();
        if (!latencies.isEmpty())
        {
            html.append("<h2>Latency percentiles</h2>\n<p class=\"hint\">Round trips recorded in HdrHistograms (Python:"
                + " sorted samples), p0 to p99.99; both axes logarithmic; lower is better.</p>\n<div class=\"charts\">\n");
            latencies.forEach(row -> curveChart(html, row));
            html.append("</div>\n");
        }
        final List<ResultRow> throughputs = rows.stream()
            .filter(row -> row.better() == ResultRow.Better.HIGHER && row.unit().endsWith("/s")).toList();
        if (!throughputs.isEmpty())
        {
            html.append("<h2>Throughput</h2>\n<p class=\"hint\">ipckit (default wait and busy-spin) next to the raw "
                + "reference and Python, one scale per chart; higher is better.</p>\n<div class=\"charts\">\n");
            throughputs.forEach(row -> barChart(html, row));
            html.append("</div>\n");
        }
        table(html, rows);
        html.append("<ul class=\"notes\">\n");
        notes.forEach(note -> html.append("<li").append(note.startsWith("FAILED") ? " class=\"failed\"" : "")
            .append(">").append(escape(note)).append("</li>\n"));
        html.append("</ul>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void machine(final StringBuilder html, final Results results)
    {
        final Machine machine = results.machine();
        final Results.Run run = results.run();
        html.append("<dl class=\"machine\">\n");
        entry(html, "command", "<code>" + escape(run.command()) + "</code>");
        entry(html, "date", escape(run.date() + ", took " + run.took()));
        entry(html, "CPU", escape(machine.cpu() + ", " + machine.cores() + " cores available to the JVM"));
        entry(html, "memory", escape(machine.memory()));
        entry(html, "OS", escape(machine.os()));
        entry(html, "JDK", escape(machine.jdk()));
        entry(html, "Python", escape(machine.python()));
        entry(html, "load average", escape(run.loadAtStart() + " at start; " + run.loadAtEnd() + " at end"));
        html.append("</dl>\n");
    }

    private static void entry(final StringBuilder html, final String name, final String value)
    {
        html.append("<dt>").append(name).append("</dt><dd>").append(value).append("</dd>\n");
    }

    private static void table(final StringBuilder html, final List<ResultRow> rows)
    {
        html.append("<h2>All figures</h2>\n<p class=\"hint\">Hover a figure for its id (the JSON report's row id). "
            + "Ratios compare time per operation from the default-wait column; - does not apply, n/a not measured."
            + "</p>\n<table>\n<thead><tr>");
        for (final String column : Report.COLUMNS)
        {
            html.append("<th>").append(escape(column)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (final ResultRow row : rows)
        {
            html.append("<tr><td>").append(escape(row.operation().strip())).append("</td><td>")
                .append(escape(row.unit())).append("</td>");
            for (final Variant variant : Variant.values())
            {
                final String id = row.ids().of(variant);
                html.append("<td class=\"num\"");
                if (id != null && row.figure(variant) != ResultRow.NONE)
                {
                    html.append(" data-id=\"").append(escape(id)).append("\" title=\"").append(escape(id)).append('"');
                }
                html.append('>').append(escape(Cells.figure(row.figure(variant)))).append("</td>");
            }
            html.append("<td class=\"num\">").append(escape(Cells.ipckitOverRaw(row))).append("</td><td class=\"num\">")
                .append(escape(Cells.pythonOverIpckit(row))).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    /**
     * A percentile chart: x = log10(1 / (1 - p)), so p0, p90, p99, p99.9 and p99.99 are equally spaced.
     */
    private static void curveChart(final StringBuilder html, final ResultRow row)
    {
        double low = Double.MAX_VALUE;
        double high = 0;
        for (final LatencyCurve curve : row.curves().values())
        {
            for (final LatencyCurve.Point point : curve.points())
            {
                if (point.percentile() <= TOP_PERCENTILE && point.value() > 0)
                {
                    low = Math.min(low, point.value());
                    high = Math.max(high, point.value());
                }
            }
        }
        if (high == 0)
        {
            return;
        }
        final double decadeLow = Math.floor(Math.log10(low));
        double decadeHigh = Math.ceil(Math.log10(high));
        if (decadeHigh <= decadeLow)
        {
            decadeHigh = decadeLow + 1;
        }
        final double yLow = decadeLow;
        final double yHigh = decadeHigh;
        final double plotWidth = CURVE_WIDTH - LEFT - RIGHT;
        final double plotHeight = CURVE_HEIGHT - TOP - BOTTOM;
        final double xHigh = xOf(TOP_PERCENTILE);

        final String title = row.operation().strip().replaceFirst(",? p50$", "") + " (" + row.unit() + ")";
        html.append("<figure class=\"chart\" data-chart=\"latency\">\n<figcaption>").append(escape(title))
            .append("</figcaption>\n");
        html.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" " +
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n", CURVE_WIDTH, CURVE_HEIGHT,
            CURVE_WIDTH, CURVE_HEIGHT, escape("latency percentiles: " + title)));
        html.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" " +
            "class=\"plot\"/>\n", LEFT, TOP, plotWidth, plotHeight));
        // Horizontal grid and labels: every decade, and 2 and 5 within it when there are few decades.
        final boolean fine = yHigh - yLow <= 2;
        for (double decade = yLow; decade <= yHigh; decade++)
        {
            for (final double step : fine ? new double[] {1, 2, 5} : new double[] {1})
            {
                final double value = step * Math.pow(10, decade);
                final double position = Math.log10(value);
                if (position > yHigh + 1e-9)
                {
                    continue;
                }
                final double y = TOP + plotHeight * (1 - (position - yLow) / (yHigh - yLow));
                html.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" " +
                    "class=\"%s\"/>\n", LEFT, LEFT + plotWidth, y, y, step == 1 ? "grid" : "grid minor"));
                html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"ylabel\">%s</text>\n",
                    LEFT - 6, y + 4, escape(tick(value))));
            }
        }
        for (final double percentile : PERCENTILE_TICKS)
        {
            final double x = LEFT + plotWidth * xOf(percentile) / xHigh;
            html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" " +
                "class=\"grid\"/>\n", x, x, TOP, TOP + plotHeight));
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"xlabel\">p%s</text>\n",
                x, TOP + plotHeight + 16, escape(trim(percentile))));
        }
        html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"xlabel\">percentile</text>\n",
            LEFT + plotWidth / 2, CURVE_HEIGHT - 6));
        final StringBuilder keys = new StringBuilder();
        int legend = 0;
        for (final Variant variant : Variant.values())
        {
            final LatencyCurve curve = row.curves().get(variant);
            if (curve == null)
            {
                continue;
            }
            final StringBuilder points = new StringBuilder();
            final StringBuilder dots = new StringBuilder();
            for (final LatencyCurve.Point point : curve.points())
            {
                if (point.percentile() > TOP_PERCENTILE || point.value() <= 0)
                {
                    continue;
                }
                final double x = LEFT + plotWidth * xOf(point.percentile()) / xHigh;
                final double y = TOP + plotHeight * (1 - (Math.log10(point.value()) - yLow) / (yHigh - yLow));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\">" +
                    "<title>%s p%s: %s %s</title></circle>", x, y, COLOURS.get(variant), escape(variant.label()),
                    escape(trim(point.percentile())), escape(Cells.figure(point.value())), escape(row.unit())));
            }
            html.append("<polyline class=\"curve\" data-variant=\"").append(variant.key()).append("\" points=\"")
                .append(points.toString().strip()).append("\" stroke=\"").append(COLOURS.get(variant))
                .append("\"/>\n").append(dots).append('\n');
            final double ly = TOP + 14 + legend * 16;
            keys.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" " +
                "stroke=\"%s\" class=\"key\"/><text x=\"%d\" y=\"%.1f\" class=\"legend\">%s</text>\n",
                LEFT + 10, LEFT + 30, ly, ly, COLOURS.get(variant), LEFT + 36, ly + 4, escape(variant.label())));
            legend++;
        }
        // The legend last, on a light background, so that no curve hides it.
        html.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" " +
            "class=\"legendbox\"/>\n", LEFT + 4, TOP + 4, 170, legend * 16 + 4)).append(keys);
        html.append("</svg>\n</figure>\n");
    }

    private static void barChart(final StringBuilder html, final ResultRow row)
    {
        final List<Variant> shown = new ArrayList<>();
        double high = 0;
        for (final Variant variant : Variant.values())
        {
            final double value = row.figure(variant);
            if (value != ResultRow.NONE)
            {
                shown.add(variant);
            }
            if (Double.isFinite(value))
            {
                high = Math.max(high, value);
            }
        }
        if (shown.isEmpty() || high <= 0)
        {
            return;
        }
        final int height = TOP + shown.size() * (BAR_HEIGHT + BAR_GAP) + 8;
        final double room = BAR_WIDTH - BAR_LABEL - 90;
        final String title = row.operation().strip() + " (" + row.unit() + ")";
        html.append("<figure class=\"chart\" data-chart=\"throughput\">\n<figcaption>").append(escape(title))
            .append("</figcaption>\n");
        html.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" " +
            "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n", BAR_WIDTH, height, BAR_WIDTH,
            height, escape("throughput: " + title)));
        int index = 0;
        for (final Variant variant : shown)
        {
            final double value = row.figure(variant);
            final double y = TOP + index * (BAR_HEIGHT + BAR_GAP);
            index++;
            html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"ylabel\">%s</text>\n",
                BAR_LABEL - 8, y + BAR_HEIGHT / 2.0 + 4, escape(variant.label())));
            if (!Double.isFinite(value))
            {
                html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"ylabel missing\">" +
                    "n/a: not measured in this run</text>\n", BAR_LABEL + 6, y + BAR_HEIGHT / 2.0 + 4));
                continue;
            }
            final double length = Math.max(1, room * value / high);
            html.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-id=\"%s\" x=\"%d\" y=\"%.1f\" " +
                "width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s %s</title></rect>\n",
                escape(row.ids().of(variant)), BAR_LABEL, y, length, BAR_HEIGHT, COLOURS.get(variant),
                escape(row.ids().of(variant)), escape(Cells.figure(value)), escape(row.unit())));
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"value\">%s</text>\n",
                BAR_LABEL + length + 6, y + BAR_HEIGHT / 2.0 + 4, escape(Cells.figure(value))));
        }
        html.append("</svg>\n</figure>\n");
    }

    private static double xOf(final double percentile)
    {
        return Math.log10(100 / (100 - percentile));
    }

    private static String tick(final double value)
    {
        if (value >= 1000)
        {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return trim(value);
    }

    private static String trim(final double value)
    {
        final String text = String.format(Locale.ROOT, "%.4f", value);
        return text.replaceFirst("\\.?0+$", "");
    }

    /**
     * @param text any text.
     * @return it with {@code & < > " '} escaped, for element text and attribute values.
     */
    static String escape(final String text)
    {
        final StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static final String STYLE = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 2em;
               color: #1f2328; max-width: 1200px; }
        h1 { font-size: 1.6em; margin-bottom: 0.3em; }
        h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
        .hint { color: #57606a; font-size: 0.9em; }
        dl.machine { display: grid; grid-template-columns: max-content auto; gap: 0.15em 1em; font-size: 0.95em; }
        dl.machine dt { font-weight: 600; }
        dl.machine dd { margin: 0; }
        .charts { display: flex; flex-wrap: wrap; gap: 1em; }
        figure.chart { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.6em; }
        figcaption { font-weight: 600; font-size: 0.95em; margin-bottom: 0.3em; max-width: 520px; }
        svg { font-size: 11px; }
        svg .plot { fill: #ffffff; stroke: #8c959f; }
        svg .grid { stroke: #d0d7de; stroke-width: 1; }
        svg .grid.minor { stroke-dasharray: 2 3; }
        svg .ylabel { text-anchor: end; fill: #57606a; }
        svg .ylabel.missing { text-anchor: start; font-style: italic; }
        svg .xlabel { text-anchor: middle; fill: #57606a; }
        svg .legend { fill: #1f2328; }
        svg .legendbox { fill: #ffffff; fill-opacity: 0.85; stroke: #d0d7de; }
        svg .value { fill: #1f2328; }
        svg .curve { fill: none; stroke-width: 2; }
        svg .key { stroke-width: 3; }
        table { border-collapse: collapse; font-size: 0.9em; margin-top: 0.5em; }
        th, td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; }
        th { background: #f6f8fa; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td:nth-child(2) { white-space: nowrap; }
        tbody tr:nth-child(even) { background: #f6f8fa; }
        ul.notes { color: #57606a; font-size: 0.85em; }
        li.failed { color: #cf222e; font-weight: 600; }
        """;
}
